"""NetSuite's WSDL, parsed once per process and kept on disk keyed by its content.

Reading NetSuite's WSDL means fetching it and the 46 schema documents it imports (2.6 MB) and
parsing them all. A process does that once per ``wsdl_url`` (later clients share the parsed
``zeep.wsdl.Document``); the parsed document is also pickled to the cache directory under the
SHA-256 of the WSDL's bytes (with the zeep and Python versions), so the next process fetches one
document and unpickles instead of fetching 47 and parsing.

Keying by the WSDL alone is sound when the WSDL's content determines the schema documents:
NetSuite's schema URLs are versioned (``…/v2024_1_0/…``) and never change, and netsuite-mock
writes a fingerprint of its schema into its WSDL. For a server whose schema documents change
behind an unchanged WSDL, turn the cache off (``NETSUITE_CLIENT_WSDL_CACHE=off``).

The cache directory is ``$NETSUITE_CLIENT_CACHE_DIR``, else ``$XDG_CACHE_HOME/netsuite-client``,
else ``~/.cache/netsuite-client``; it is created private (0700) because pickles are code.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import platform
import stat
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import zeep
from lxml import etree
from zeep.settings import Settings
from zeep.transports import Transport
from zeep.wsdl import Document
from zeep.xsd.valueobjects import ArrayValue

log = logging.getLogger("netsuite_client")

FORMAT = 1  # bump when what is pickled changes
DISABLE_VALUES = {"0", "off", "false", "no"}


def default_cache_dir() -> Path:
    explicit = os.environ.get("NETSUITE_CLIENT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "netsuite-client"


def cache_enabled_by_environment() -> bool:
    return os.environ.get("NETSUITE_CLIENT_WSDL_CACHE", "on").strip().lower() not in DISABLE_VALUES


# -- pickling a zeep Document ------------------------------------------------------------------
# zeep builds a Python class per schema type at parse time (module ``zeep.xsd.dynamic_types``)
# and a value class per type on first use (``zeep.objects``); neither is importable, so both are
# pickled as recipes. Transport and settings belong to the client that loads the document.
_DYNAMIC_CLASS_ATTRIBUTES = ("__module__", "_xsd_name")


def _value_class(xsd_type, array: bool):
    return xsd_type._array_class if array else xsd_type._value_class


def _bare(cls):
    return cls.__new__(cls)


def _element(data: bytes):
    return etree.fromstring(data)


class _DocumentPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Transport):
            return "transport"
        if isinstance(obj, Settings):
            return "settings"
        return None

    def reducer_override(self, obj):
        if isinstance(obj, type):
            module = obj.__dict__.get("__module__")
            if module == "zeep.xsd.dynamic_types":
                attributes = {k: v for k, v in obj.__dict__.items()
                              if k in _DYNAMIC_CLASS_ATTRIBUTES}
                return type, (obj.__name__, obj.__bases__, attributes)
            if module == "zeep.objects":
                return _value_class, (obj._xsd_type, issubclass(obj, ArrayValue))
            return NotImplemented
        if isinstance(obj, etree.QName):
            return etree.QName, (obj.text,)
        if isinstance(obj, etree._Element):
            return _element, (etree.tostring(obj),)
        if type(obj).__name__ in ("odict_values", "dict_values", "odict_keys", "dict_keys"):
            return list, (list(obj),)
        state = getattr(obj, "__dict__", None)
        if state:
            cls = type(obj)
            cached = [k for k in state if isinstance(getattr(cls, k, None), cached_property)]
            if cached:  # computed on demand again after loading (they may hold value classes)
                return _bare, (cls,), {k: v for k, v in state.items() if k not in cached}
        return NotImplemented


class _DocumentUnpickler(pickle.Unpickler):
    def __init__(self, file, transport: Transport, settings: Settings):
        super().__init__(file)
        self._objects = {"transport": transport, "settings": settings}

    def persistent_load(self, pid):
        return self._objects[pid]


def dumps(document: Document) -> bytes:
    buffer = io.BytesIO()
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))  # schema graphs are deep
    try:
        _DocumentPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(document)
    finally:
        sys.setrecursionlimit(limit)
    return buffer.getvalue()


def loads(data: bytes, transport: Transport, settings: Settings) -> Document:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        document = _DocumentUnpickler(io.BytesIO(data), transport, settings).load()
    finally:
        sys.setrecursionlimit(limit)
    if not isinstance(document, Document):
        raise TypeError("not a zeep Document")
    return document


def _trusted(path: Path) -> bool:
    """Whether a cache entry may be unpickled: it and its folder belong to this user and nobody
    else can write them (loading a pickle runs what it says; a shared, world-writable folder
    is someone else's way in). Elsewhere than on POSIX, the folder's own permissions apply."""
    if not hasattr(os, "getuid"):
        return True
    try:
        entry, folder = path.stat(), path.parent.stat()
    except OSError:
        return False
    uid = os.getuid()
    if entry.st_uid == uid and folder.st_uid == uid and \
            not (entry.st_mode | folder.st_mode) & (stat.S_IWGRP | stat.S_IWOTH):
        return True
    log.warning("not loading the WSDL cache entry %s: it or its folder can be written by "
                "another user (the WSDL is parsed instead)", path)
    return False


# -- the cache ---------------------------------------------------------------------------------
@dataclass
class LoadedWsdl:
    document: Document
    source: str          # "memory" (this process), "disk" (another process parsed it), "parsed"
    seconds: float
    path: Path | None = None


class WsdlCache:
    """Parsed WSDL documents: in this process by URL, on disk by content."""

    def __init__(self, directory: str | os.PathLike | None = None, *, disk: bool | None = None,
                 max_entries: int = 16):
        self._directory = Path(directory) if directory is not None else None
        self._disk = disk
        self.max_entries = max_entries
        self._memory: dict[str, Document] = {}
        self._lock = threading.Lock()
        self._url_locks: dict[str, threading.Lock] = {}

    @property
    def directory(self) -> Path:
        return self._directory if self._directory is not None else default_cache_dir()

    @property
    def disk(self) -> bool:
        return cache_enabled_by_environment() if self._disk is None else self._disk

    def load(self, wsdl_url: str, transport: Transport, settings: Settings) -> LoadedWsdl:
        started = time.perf_counter()
        with self._lock:
            url_lock = self._url_locks.setdefault(wsdl_url, threading.Lock())
        with url_lock:  # two threads starting clients for one URL parse it once
            document = self._memory.get(wsdl_url)
            if document is not None:
                return LoadedWsdl(document, "memory", time.perf_counter() - started)
            loaded = self._load_uncached(wsdl_url, transport, settings, started)
            self._memory[wsdl_url] = loaded.document
            return loaded

    def forget(self) -> None:
        """Drop this process's parsed documents (the disk entries stay)."""
        with self._lock:
            self._memory.clear()

    def key(self, wsdl_bytes: bytes) -> str:
        digest = hashlib.sha256()
        for part in (f"netsuite-client-wsdl/{FORMAT}", zeep.__version__,
                     platform.python_implementation(), "%d.%d" % sys.version_info[:2]):
            digest.update(part.encode() + b"\0")
        digest.update(wsdl_bytes)
        return digest.hexdigest()

    def _load_uncached(self, wsdl_url: str, transport: Transport, settings: Settings,
                       started: float) -> LoadedWsdl:
        if not self.disk:
            document = Document(wsdl_url, transport, settings=settings)
            return LoadedWsdl(document, "parsed", time.perf_counter() - started)
        path = self.directory / f"{self.key(transport.load(wsdl_url))}.wsdl.pickle"
        try:
            data = path.read_bytes() if _trusted(path) else None
        except OSError:
            data = None
        if data is not None:
            try:
                document = loads(data, transport, settings)
            except Exception as error:  # written by another zeep, truncated, …: parse instead
                log.info("ignoring unreadable WSDL cache entry %s (%s)", path, error)
                path.unlink(missing_ok=True)
            else:
                _touch(path)
                return LoadedWsdl(document, "disk", time.perf_counter() - started, path)
        document = Document(wsdl_url, transport, settings=settings)
        seconds = time.perf_counter() - started
        self._store(path, document)
        return LoadedWsdl(document, "parsed", seconds, path)

    def _store(self, path: Path, document: Document) -> None:
        try:
            data = dumps(document)
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except Exception as error:  # a cache that cannot be written only costs time
            log.warning("could not write the WSDL cache at %s: %s", path, error)
            return
        self._evict()

    def _evict(self) -> None:
        directory = self.directory
        entries = sorted(directory.glob("*.wsdl.pickle"), key=_mtime, reverse=True)
        for old in entries[self.max_entries:]:
            old.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


DEFAULT_CACHE = WsdlCache()
