"""How long the mock takes to answer: latency models per operation, seeded, and the timeout.

A model is ``fixed`` (``ms``), ``uniform`` (``min_ms``..``max_ms``) or ``lognormal`` (``median_ms``
and ``sigma``, the shape real response times have). Each random model has its own seeded
generator, so a scenario replays the same delays in the same order. NetSuite cuts a SOAP
request off after 15 minutes; ``REQUEST_TIMEOUT_SECONDS`` is that limit.
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass

from mockserver.domain.errors import ConfigurationError

REQUEST_TIMEOUT_SECONDS = 15 * 60


@dataclass
class LatencyModel:
    kind: str = "fixed"
    ms: float = 0.0
    min_ms: float = 0.0
    max_ms: float = 0.0
    median_ms: float = 0.0
    sigma: float = 0.5
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("fixed", "uniform", "lognormal"):
            raise ConfigurationError(f"unknown latency model {self.kind!r} "
                                     f"(use fixed, uniform or lognormal)")
        for name in ("ms", "min_ms", "max_ms", "median_ms", "sigma"):
            if getattr(self, name) < 0:
                raise ConfigurationError(f"latency {name} must not be negative")
        if self.kind == "uniform" and self.max_ms < self.min_ms:
            raise ConfigurationError("latency max_ms must not be below min_ms")
        self._random = random.Random(self.seed)
        self._lock = threading.Lock()

    @classmethod
    def parse(cls, spec: "dict | float | int") -> "LatencyModel":
        """``50`` (fixed ms) or ``{"model": "lognormal", "median_ms": 80, "sigma": 0.4}``."""
        if isinstance(spec, (int, float)) and not isinstance(spec, bool):
            return cls("fixed", ms=float(spec))
        if not isinstance(spec, dict):
            raise ConfigurationError(f"a latency is a number of ms or a table, not {spec!r}")
        spec = dict(spec)
        kind = spec.pop("model", "fixed")
        known = {"ms", "min_ms", "max_ms", "median_ms", "sigma", "seed"}
        unknown = set(spec) - known
        if unknown:
            raise ConfigurationError(f"unknown latency setting(s) {', '.join(sorted(unknown))}")
        try:
            values = {k: (int(v) if k == "seed" else float(v)) for k, v in spec.items()}
        except (TypeError, ValueError):
            raise ConfigurationError(f"latency settings must be numbers: {spec!r}") from None
        return cls(kind, **values)

    def sample_ms(self) -> float:
        if self.kind == "fixed":
            return self.ms
        with self._lock:
            if self.kind == "uniform":
                return self._random.uniform(self.min_ms, self.max_ms)
            return self.median_ms * math.exp(self.sigma * self._random.gauss(0.0, 1.0))

    def describe(self) -> dict:
        fields = {"fixed": ("ms",), "uniform": ("min_ms", "max_ms"),
                  "lognormal": ("median_ms", "sigma")}[self.kind]
        out = {"model": self.kind, **{f: getattr(self, f) for f in fields}}
        if self.seed is not None:
            out["seed"] = self.seed
        return out


class LatencyPlan:
    """A default model plus per-operation ones."""

    def __init__(self, default: LatencyModel | None = None,
                 per_operation: dict[str, LatencyModel] | None = None):
        self.default = default or LatencyModel()
        self.per_operation = per_operation or {}

    @classmethod
    def parse(cls, table: dict) -> "LatencyPlan":
        table = dict(table)
        default = LatencyModel.parse(table.pop("default", 0))
        return cls(default, {op: LatencyModel.parse(spec) for op, spec in table.items()})

    def sample_seconds(self, operation: str) -> float:
        return self.per_operation.get(operation, self.default).sample_ms() / 1000.0

    def describe(self) -> dict:
        return {"default": self.default.describe(),
                **{op: m.describe() for op, m in self.per_operation.items()}}
