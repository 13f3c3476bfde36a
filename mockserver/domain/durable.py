"""Durable state: the record store kept in SQLite, and snapshots of a store as JSON.

``DurableRecordStore`` writes every change to SQLite and commits before it changes the copy in
memory, so a write the mock has acknowledged survives a restart or a ``kill -9``; reads are
served from memory. The snapshot codec keeps types JSON cannot (dates, bytes) as tagged objects,
so a snapshot restores exactly what was exported.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from mockserver.domain.errors import ConfigurationError
from mockserver.domain.store import DeletedRecord, RecordStore

SNAPSHOT_FORMAT = "netsuite-mock-snapshot/1"


def _encode(value):
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, (bytes, bytearray)):
        return {"$base64": base64.b64encode(value).decode()}
    raise TypeError(f"cannot store {type(value).__name__}")


def _decode(obj: dict):
    if len(obj) == 1:
        if "$datetime" in obj:
            return datetime.fromisoformat(obj["$datetime"])
        if "$base64" in obj:
            return base64.b64decode(obj["$base64"])
    return obj


def dumps(value) -> str:
    return json.dumps(value, default=_encode, ensure_ascii=False, separators=(",", ":"))


def loads(text: str):
    return json.loads(text, object_hook=_decode)


def export_store(store: RecordStore) -> dict:
    """Every record, the deletion log and the id sequences, as JSON-safe data."""
    with store.lock:
        state = store.state()
    return json.loads(dumps({"format": SNAPSHOT_FORMAT, **state}))


def import_store(store: RecordStore, snapshot: dict) -> int:
    """Replace the store's contents with a snapshot from ``export_store``."""
    if not isinstance(snapshot, dict) or snapshot.get("format") != SNAPSHOT_FORMAT:
        raise ConfigurationError(f"not a netsuite-mock snapshot (expected format "
                                 f"{SNAPSHOT_FORMAT!r})")
    state = loads(dumps(snapshot))
    try:
        store.restore(state)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise ConfigurationError(f"snapshot is damaged: {error}") from None
    return store.count()


def own_state_file(path: Path):
    """Hold ``path`` for this process, or refuse: two mocks on one state file would hand out
    the same ids and overwrite each other's acknowledged writes.

    The lock is the operating system's (``flock``, or ``msvcrt.locking`` on Windows) on a
    ``<file>.lock`` beside it, held by an open file: it dies with the process, so the lock of a
    killed mock never blocks a restart, and it is not the SQLite file's own, whose byte-range
    locks SQLite uses for itself. The file holds the owner's process id, for the message."""
    try:
        handle = open(path.with_name(path.name + ".lock"), "a+b")
    except OSError as error:
        raise ConfigurationError(f"{path}: cannot use it as a state file "
                                 f"({error.strerror or error})") from None
    try:
        if os.name == "nt":
            import msvcrt
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        try:
            handle.seek(0)
            owner = handle.read(20).decode("ascii", "replace").strip()
        except OSError:  # Windows: the owner's locked byte cannot be read
            owner = ""
        handle.close()
        raise ConfigurationError(
            f"{path} is in use by another netsuite-mock{f' (process {owner})' if owner else ''}:"
            f" a state file has one owner. Stop that mock, or give this one another --state "
            f"file.") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n".encode())
    handle.flush()
    return handle


class DurableRecordStore(RecordStore):
    """A RecordStore whose every change is committed to SQLite before it is visible."""

    def __init__(self, path: str | Path):
        super().__init__()
        self.path = Path(path)
        self._owner = own_state_file(self.path)
        try:
            self._open()
        except BaseException:
            self._owner.close()
            raise

    def _open(self) -> None:
        try:
            self._db = sqlite3.connect(str(self.path), check_same_thread=False,
                                       isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript("""
                CREATE TABLE IF NOT EXISTS records (
                    record_type TEXT NOT NULL, internal_id TEXT NOT NULL, body TEXT NOT NULL,
                    PRIMARY KEY (record_type, internal_id));
                CREATE TABLE IF NOT EXISTS deleted (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS sequences (
                    family TEXT PRIMARY KEY, last_id INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS seen_nonces (
                    token_digest TEXT NOT NULL, nonce TEXT NOT NULL, timestamp TEXT NOT NULL,
                    seen REAL NOT NULL, PRIMARY KEY (token_digest, nonce, timestamp));
                CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
            """)
            # Deleted rows are overwritten, not left in free pages; the nonces table of older
            # versions held token ids as they are.
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.execute("DROP TABLE IF EXISTS nonces")
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('token_key', ?)",
                             (secrets.token_bytes(32),))
            (self._token_key,), = self._db.execute(
                "SELECT value FROM meta WHERE name = 'token_key'")
        except sqlite3.DatabaseError as error:
            raise ConfigurationError(f"{self.path}: not a netsuite-mock state file "
                                     f"({error})") from None
        self._db_lock = threading.Lock()
        self._load()

    @property
    def is_empty(self) -> bool:
        return self.count() == 0 and not self._last_id

    def _load(self) -> None:
        for record_type, body in self._db.execute("SELECT record_type, body FROM records"):
            super().put(record_type, loads(body))
        for (body,) in self._db.execute("SELECT body FROM deleted ORDER BY seq"):
            self._deleted.append(DeletedRecord(**loads(body)))
        for family, last_id in self._db.execute("SELECT family, last_id FROM sequences"):
            self._last_id[family] = last_id

    def _write(self, statements: list[tuple[str, tuple]]) -> None:
        with self._db_lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    self._db.execute(sql, params)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def next_id(self, family: str) -> str:
        with self.lock:
            internal_id = super().next_id(family)
            self._write([("INSERT INTO sequences VALUES (?, ?) ON CONFLICT(family) DO UPDATE "
                          "SET last_id = excluded.last_id", (family, int(internal_id)))])
            return internal_id

    def reserve_id(self, family: str, internal_id: str) -> None:
        with self.lock:
            super().reserve_id(family, internal_id)
            if family in self._last_id:
                self._write([("INSERT INTO sequences VALUES (?, ?) ON CONFLICT(family) DO "
                              "UPDATE SET last_id = excluded.last_id",
                              (family, self._last_id[family]))])

    def put(self, record_type: str, record: dict) -> None:
        with self.lock:
            self._write([("INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
                          (record_type, record["internalId"], dumps(record)))])
            super().put(record_type, record)

    def remove(self, record_type: str, internal_id: str, *, name, at) -> dict | None:
        with self.lock:
            record = self.get(record_type, internal_id)
            if record is None:
                return None
            entry = DeletedRecord(record_type, internal_id, record.get("externalId"), name, at)
            self._write([("DELETE FROM records WHERE record_type = ? AND internal_id = ?",
                          (record_type, internal_id)),
                         ("INSERT INTO deleted (body) VALUES (?)", (dumps(entry.__dict__),))])
            return super().remove(record_type, internal_id, name=name, at=at)

    def clear(self) -> None:
        with self.lock:
            self._write([("DELETE FROM records", ()), ("DELETE FROM deleted", ()),
                         ("DELETE FROM sequences", ())])
            super().clear()

    def restore(self, state: dict) -> None:
        with self.lock:
            super().restore(state)
            statements = [("DELETE FROM records", ()), ("DELETE FROM deleted", ()),
                          ("DELETE FROM sequences", ())]
            statements += [("INSERT INTO records VALUES (?, ?, ?)",
                            (t, r["internalId"], dumps(r))) for t, r in self]
            statements += [("INSERT INTO deleted (body) VALUES (?)", (dumps(d.__dict__),))
                           for d in self._deleted]
            statements += [("INSERT INTO sequences VALUES (?, ?)", (f, n))
                           for f, n in self._last_id.items()]
            self._write(statements)

    # -- nonces: the TokenPassports seen lately, so a restart does not accept them again ------
    # A token id is half of a credential: the file keeps a keyed hash of it (the key is the
    # file's own, random), and a loaded nonce gets its token id back from the tokens the
    # accounts have (``token_ids``, set by whoever builds the accounts).
    token_ids: "Callable[[], Iterable[str]]" = staticmethod(lambda: ())

    def _token_digest(self, token_id: str) -> str:
        return hmac.new(self._token_key, token_id.encode(), hashlib.sha256).hexdigest()

    def save_nonces(self, seen: list[tuple[tuple[str, str, str], float]], horizon: float) -> None:
        """Add nonces seen since the last save and forget those seen before ``horizon``.

        Committed without waiting for the disk (``synchronous=NORMAL``): a nonce must survive
        the mock's process, not a power cut, and waiting for the disk on every save would
        slow requests down."""
        with self._db_lock:
            self._db.execute("PRAGMA synchronous=NORMAL")
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.execute("DELETE FROM seen_nonces WHERE seen < ?", (horizon,))
                    self._db.executemany(
                        "INSERT OR REPLACE INTO seen_nonces VALUES (?, ?, ?, ?)",
                        [(self._token_digest(token_id), nonce, timestamp, at)
                         for (token_id, nonce, timestamp), at in seen])
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
            finally:
                self._db.execute("PRAGMA synchronous=FULL")

    def recent_nonces(self, horizon: float) -> list[tuple[tuple[str, str, str], float]]:
        """The nonces saved and seen at or after ``horizon``, oldest first."""
        with self._db_lock:
            rows = self._db.execute("SELECT token_digest, nonce, timestamp, seen FROM "
                                    "seen_nonces WHERE seen >= ? ORDER BY seen",
                                    (horizon,)).fetchall()
        token_ids = {self._token_digest(token_id): token_id for token_id in self.token_ids()}
        # a token no account has any more keeps its digest: such a key matches no request
        return [((token_ids.get(digest, digest), nonce, timestamp), seen)
                for digest, nonce, timestamp, seen in rows]

    def close(self) -> None:
        """Close the database and give the file up (another mock may then own it)."""
        with self._db_lock:
            self._db.close()
            self._owner.close()
