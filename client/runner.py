"""Running the import and export configurations users already have.

An *import* (``import_configs[]``: ``master_data_name``, ``payload.method_name``,
``method_args``, ``method_headers``) is fetched in full (a search page after page, ``getAll`` in
one go) and written as JSON lines to ``<out>/<master_data_name>.jsonl``, one record or search
row per line, with ``_ns_type``. The file appears only when the import is complete.

An *export* (``export_configs[]``: ``payload.soap_method``, ``soap_record``) is sent once, in
the order given; the answers go to ``<out>/exports.jsonl``. A write that lost its connection
is reported, never sent again (it may have been applied).

``{name}`` placeholders in any string (``"{last_modified_date}"``) are filled from
``--set name=value`` before anything is sent; a placeholder without a value stops the run.
With ``"run_async": true`` the imports run side by side (the client's concurrency limit still
holds).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from client.errors import ConnectionFailed, NetSuiteError, RequestError
from client.objects import to_json
from client.paging import SearchPages, page_items
from client.progress import Progress
from suitetalk.config import ConfigError, NetSuiteSettings, load_jsonc

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
PAGED_METHODS = {"search"}


@dataclass
class ImportJob:
    name: str
    method: str
    args: list
    headers: dict | None


@dataclass
class ExportJob:
    number: int
    method: str
    record: dict


@dataclass
class RunConfig:
    source: str
    settings: NetSuiteSettings
    run_async: bool
    imports: list[ImportJob]
    exports: list[ExportJob]


@dataclass
class JobResult:
    kind: str                       # "import" or "export"
    name: str
    ok: bool = False
    records: int = 0
    pages: int = 0
    total_records: int | None = None
    seconds: float = 0.0
    path: Path | None = None
    response: dict | None = None
    error: Exception | None = None
    extra: dict = field(default_factory=dict)

    def line(self) -> str:
        if self.kind == "import":
            if self.ok:
                pages = f", {self.pages} page{'s' if self.pages != 1 else ''}" if self.pages else ""
                counted = (f" (NetSuite counted {self.total_records})"
                           if self.total_records not in (None, self.records) else "")
                records = f"{self.records} record{'s' if self.records != 1 else ''}"
                return (f"{self.name}: {records}{counted}{pages} in "
                        f"{self.seconds:.1f}s -> {self.path}")
            return f"{self.name}: FAILED: {self.error}"
        if self.ok:
            ref = (self.response or {}).get("baseRef") or {}
            ids = ", ".join(f"{k} {ref[k]}" for k in ("type", "internalId", "externalId")
                            if ref.get(k))
            return f"{self.name}: ok ({ids})"
        return f"{self.name}: FAILED: {self.error}"


# -- reading configurations ----------------------------------------------------------------------
def load_run_config(path: str | os.PathLike) -> RunConfig:
    source = str(path)
    data = load_jsonc(path)
    settings = NetSuiteSettings.from_dict(data, source=source)
    imports = [_import_job(item, i, source) for i, item in
               enumerate(_list(data, "import_configs", source))]
    exports = [_export_job(item, i, source) for i, item in
               enumerate(_list(data, "export_configs", source))]
    if not imports and not exports:
        raise ConfigError(f"{source}: no import_configs or export_configs to run")
    names = [job.name for job in imports]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{source}: master_data_name used twice: {', '.join(duplicates)}")
    return RunConfig(source, settings, bool(data.get("run_async", False)), imports, exports)


def _list(data: dict, key: str, source: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ConfigError(f"{source}: {key} must be a list")
    return value


def _payload(item, where: str) -> dict:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected an object")
    payload = item.get("payload")
    if not isinstance(payload, dict):
        raise ConfigError(f"{where}: payload is missing or not an object")
    return payload


def _import_job(item, index: int, source: str) -> ImportJob:
    where = f"{source}: import_configs[{index}]"
    payload = _payload(item, where)
    name = item.get("master_data_name")
    if not isinstance(name, str) or not SAFE_NAME.match(name):
        raise ConfigError(f"{where}: master_data_name must be a file-name-safe string "
                          f"(letters, digits, _ . -), not {name!r}")
    where = f"{source}: import {name!r}"
    method = payload.get("method_name")
    if not isinstance(method, str) or not method:
        raise ConfigError(f"{where}: payload.method_name is missing")
    args = payload.get("method_args", [])
    if not isinstance(args, list):
        args = [args]
    headers = payload.get("method_headers")
    if headers is not None and not isinstance(headers, dict):
        raise ConfigError(f"{where}: payload.method_headers must be an object")
    return ImportJob(name, method, args, headers)


def _export_job(item, index: int, source: str) -> ExportJob:
    where = f"{source}: export_configs[{index}]"
    payload = _payload(item, where)
    method = payload.get("soap_method")
    if not isinstance(method, str) or not method:
        raise ConfigError(f"{where}: payload.soap_method is missing")
    record = payload.get("soap_record")
    if not isinstance(record, dict):
        raise ConfigError(f"{where}: payload.soap_record is missing or not an object")
    return ExportJob(index + 1, method, record)


def select(config: RunConfig, only: list[str] | None) -> RunConfig:
    """Only the imports named (and no exports), or the whole configuration."""
    if not only:
        return config
    names = [j.name for j in config.imports]
    unknown = sorted(set(only) - set(names))
    if unknown:
        raise ConfigError(f"{config.source}: no import named {', '.join(unknown)} "
                          f"(there are: {', '.join(names)})")
    return RunConfig(config.source, config.settings, config.run_async,
                     [j for j in config.imports if j.name in only], [])


# -- placeholders ----------------------------------------------------------------------------------
def placeholders(value) -> set[str]:
    if isinstance(value, str):
        return set(PLACEHOLDER.findall(value))
    if isinstance(value, dict):
        return set().union(*(placeholders(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(placeholders(v) for v in value)) if value else set()
    return set()


def fill(value, values: dict[str, str]):
    """``value`` with every ``{name}`` replaced (all names must be in ``values``)."""
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: values[m.group(1)], value)
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return value


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not PLACEHOLDER.fullmatch("{" + name.strip() + "}"):
            raise ConfigError(f"--set {pair!r}: expected NAME=VALUE, e.g. "
                              f"last_modified_date=2024-01-01T00:00:00Z")
        values[name.strip()] = value
    return values


def resolve(config: RunConfig, values: dict[str, str]) -> RunConfig:
    """The configuration with placeholders filled, or a ``ConfigError`` naming what is missing."""
    missing: dict[str, list[str]] = {}
    for job in config.imports:
        for name in placeholders([job.args, job.headers]):
            if name not in values:
                missing.setdefault(name, []).append(f"import {job.name!r}")
    for job in config.exports:
        for name in placeholders(job.record):
            if name not in values:
                missing.setdefault(name, []).append(f"export {job.number}")
    if missing:
        lines = [f"{{{name}}} (used by {', '.join(users)})" for name, users in missing.items()]
        example = next(iter(missing))
        raise ConfigError(f"{config.source}: no value for " + "; ".join(lines)
                          + f". Pass --set {example}=VALUE")
    return RunConfig(
        config.source, config.settings, config.run_async,
        [ImportJob(j.name, j.method, fill(j.args, values), fill(j.headers, values))
         for j in config.imports],
        [ExportJob(j.number, j.method, fill(j.record, values)) for j in config.exports])


# -- running ---------------------------------------------------------------------------------------
class Runner:
    def __init__(self, client, out_dir: str | os.PathLike = ".", *,
                 progress: Progress | None = None, report=None):
        self.client = client
        self.out_dir = Path(out_dir)
        self.progress = progress or Progress(enabled=False)
        self.report = report  # a stream for one line per finished job (None: quiet)

    def _report(self, result: JobResult) -> None:
        if self.report is not None:
            self.progress.println(result.line(), self.report)

    def run(self, config: RunConfig) -> list[JobResult]:
        imports, exports = config.imports, config.exports
        for job in imports:  # refuse a bad request before anything is sent
            self.client.prepare(job.method, tuple(job.args), {}, job.headers)
        for job in exports:
            self.client.prepare(job.method, (job.record,), {}, None)
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            probe = tempfile.TemporaryFile(dir=self.out_dir)  # writable: before any request
            probe.close()
        except OSError as error:
            raise ConfigError(f"cannot write output files to {self.out_dir}: "
                              f"{error.strerror or error}") from None

        results: list[JobResult] = []
        if config.run_async and len(imports) > 1:
            workers = min(len(imports), self.client.settings.concurrency_limit)
            with ThreadPoolExecutor(workers, thread_name_prefix="import") as pool:
                results += list(pool.map(self.run_import, imports))
        else:
            results += [self.run_import(job) for job in imports]
        if exports:
            results += self.run_exports(exports)
        return results

    def run_import(self, job: ImportJob) -> JobResult:
        result = JobResult("import", job.name)
        started = time.monotonic()
        path = self.out_dir / f"{job.name}.jsonl"
        try:
            with _AtomicLines(path) as out:
                if job.method in PAGED_METHODS:
                    pages = SearchPages(self.client, job.args[0] if job.args else None,
                                        headers=job.headers, progress=self.progress,
                                        label=job.name)
                    for item in pages:
                        out.write(to_json(item))
                    result.pages = pages.pages_read
                    result.total_records = pages.total_records
                    result.extra = pages.summary()
                    result.records = pages.records_read
                else:
                    answer = self.client.call(job.method, *job.args, headers=job.headers)
                    items = _records_of(answer)
                    for item in items:
                        out.write(to_json(item))
                    result.records = len(items)
            result.ok = True
            result.path = path
        except (NetSuiteError, RequestError) as error:
            result.error = error
        result.seconds = time.monotonic() - started
        self._report(result)
        return result

    def run_exports(self, jobs: list[ExportJob]) -> list[JobResult]:
        results = []
        with _AtomicLines(self.out_dir / "exports.jsonl") as out:
            for job in jobs:
                name = f"export {job.number} ({job.method} {job.record.get('_ns_type', '?')}" + (
                    f" {job.record['externalId']}" if job.record.get("externalId") else "") + ")"
                result = JobResult("export", name)
                started = time.monotonic()
                line = {"export": job.number, "method": job.method}
                try:
                    result.response = self.client.call(job.method, job.record, as_json=True)
                    result.ok = True
                    line["response"] = result.response
                except (NetSuiteError, RequestError) as error:
                    result.error = error
                    line["error"] = {"type": type(error).__name__,
                                     "code": getattr(error, "code", None),
                                     "message": getattr(error, "message", str(error))}
                    if isinstance(error, ConnectionFailed):
                        line["error"]["may_have_been_applied"] = error.may_have_been_applied
                result.seconds = time.monotonic() - started
                out.write(line)
                self._report(result)
                results.append(result)
        return results


def _records_of(answer) -> list:
    """The records a non-paged import answer carries (getAll, getList, get), else the answer."""
    items = page_items(answer)
    fields = getattr(answer, "__values__", {})
    if items or "recordList" in fields or "searchRowList" in fields:
        return items
    if isinstance(fields.get("readResponse"), list):  # getList
        return [r.record for r in fields["readResponse"] if r.record is not None]
    if "record" in fields:  # get
        return [fields["record"]] if fields["record"] is not None else []
    return [answer]


class _AtomicLines:
    """JSON lines written to a temporary file that replaces ``path`` only when all went well."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> "_AtomicLines":
        fd, self._tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        self._file = os.fdopen(fd, "w", encoding="utf-8")
        return self

    def write(self, obj) -> None:
        self._file.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")

    def __exit__(self, exc_type, *exc) -> None:
        self._file.close()
        if exc_type is None:
            os.replace(self._tmp, self.path)
        else:
            os.unlink(self._tmp)
