"""A small progress display for terminals: one status line redrawn in place, finished work
printed above it. Silent when the stream is not a terminal (CI logs get the summaries only).

Hand-written rather than a dependency: it needs one line, several concurrent tasks and thread
safety, which is about as much code as configuring a library for it.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time


def is_terminal(stream) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


class Progress:
    def __init__(self, stream=None, *, enabled: bool | None = None, interval: float = 0.1):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = is_terminal(self.stream) if enabled is None else enabled
        self.interval = interval
        self._tasks: list[ProgressTask] = []
        self._lock = threading.RLock()
        self._last_draw = 0.0
        self._shown = False

    def task(self, label: str, *, unit: str = "records") -> "ProgressTask":
        task = ProgressTask(self, label, unit)
        with self._lock:
            self._tasks.append(task)
            self._draw(force=True)
        return task

    def println(self, text: str, stream=None) -> None:
        """A line that stays (a summary), written above the status line (to ``stream``, this
        display's own by default)."""
        stream = stream if stream is not None else self.stream
        with self._lock:
            self._clear()
            stream.write(text + "\n")
            stream.flush()
            self._draw(force=True)

    def close(self) -> None:
        with self._lock:
            self._tasks.clear()
            self._clear()

    # -- drawing -------------------------------------------------------------------------------
    def _changed(self, task: "ProgressTask", force: bool = False) -> None:
        with self._lock:
            self._draw(force)

    def _finished(self, task: "ProgressTask") -> None:
        with self._lock:
            if task in self._tasks:
                self._tasks.remove(task)
            self._draw(force=True)

    def _clear(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._shown = False

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < self.interval:
            return
        self._last_draw = now
        width = max(20, shutil.get_terminal_size((100, 20)).columns - 1)
        if not self._tasks:
            self._clear()
            return
        if len(self._tasks) == 1:
            line = self._tasks[0].line(width)
        else:
            line = "  ".join(t.short() for t in self._tasks)
        self.stream.write("\r\x1b[2K" + line[:width])
        self.stream.flush()
        self._shown = True


class ProgressTask:
    def __init__(self, board: Progress, label: str, unit: str):
        self.board = board
        self.label = label
        self.unit = unit
        self.done = 0
        self.total: int | None = None
        self.detail = ""
        self.started = time.monotonic()

    def update(self, done: int | None = None, total: int | None = None,
               detail: str | None = None) -> None:
        if done is not None:
            self.done = done
        if total is not None:
            self.total = total
        if detail is not None:
            self.detail = detail
        self.board._changed(self)

    def finish(self) -> None:
        self.board._finished(self)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def counts(self) -> str:
        total = "?" if self.total is None else str(self.total)
        return f"{self.done}/{total} {self.unit}"

    def short(self) -> str:
        return f"{self.label} {self.done}/{'?' if self.total is None else self.total}"

    def line(self, width: int) -> str:
        tail = f" {self.counts()}" + (f"  {self.detail}" if self.detail else "") + \
            f"  {self.elapsed:.1f}s"
        bar_width = max(10, min(40, width - len(self.label) - len(tail) - 4))
        if self.total:
            filled = int(bar_width * min(1.0, self.done / self.total))
            bar = "#" * filled + "-" * (bar_width - filled)
        else:  # unknown total: a marker that moves
            position = int(self.elapsed * 8) % bar_width
            bar = "-" * position + "#" + "-" * (bar_width - position - 1)
        return f"{self.label} [{bar}]{tail}"
