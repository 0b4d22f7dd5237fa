"""Opening SQLite connections (pysqlite3, WAL, foreign keys) and write transactions."""

from __future__ import annotations

import os
import sqlite3 as _stdlib_sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pysqlite3.dbapi2 as sqlite3

from store.errors import DatabaseBusy, StoreError

MIN_SQLITE_VERSION = (3, 51, 3)
"""Older releases have the WAL-reset bug that can corrupt a file written by two connections."""

DEFAULT_BUSY_TIMEOUT = 90.0
"""Seconds a writer waits for another process's write lock before giving up with a message:
longer than the ~35 s a million-row import holds it (the TUI's forms retry beyond this)."""

if TYPE_CHECKING:  # pysqlite3 ships no types; its Connection is the standard library's API
    from sqlite3 import Connection as Connection
else:
    Connection = sqlite3.Connection
OperationalError = sqlite3.OperationalError
IntegrityError = sqlite3.IntegrityError
DatabaseError = sqlite3.DatabaseError

# sqlite-utils and the CLI may meet errors from either module; both are caught as one.
SQLITE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, _stdlib_sqlite3.Error)


def sqlite_version() -> tuple[int, int, int]:
    """The version of the SQLite library retain runs on."""
    major, minor, patch = (int(part) for part in sqlite3.sqlite_version.split(".")[:3])
    return major, minor, patch


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only (0600), if it is missing.

    An empty file that is already there (`touch book.db`) is adopted: it becomes 0600, and
    so do a `-wal` and `-shm` beside it, before SQLite writes anything into them.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        if path.stat().st_size == 0:
            for suffix in ("", "-wal", "-shm"):
                _make_private(Path(f"{path}{suffix}"))
        return
    os.close(fd)


def _make_private(path: Path) -> None:
    """chmod 0600 a regular file we own; a link, a missing file or someone else's is left."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode) and os.fstat(fd).st_uid == os.getuid():
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def connect(path: Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Connection:
    """Open `path` (creating it 0600 if needed) with the pragmas every retain connection uses.

    The connection is in autocommit mode (`isolation_level=None`): writes happen only inside
    `immediate()` transactions, which take the write lock up front.
    """
    if sqlite_version() < MIN_SQLITE_VERSION:
        raise StoreError(
            f"SQLite {sqlite3.sqlite_version} is too old; retain needs 3.51.3 or later"
        )
    _create_private_file(path)
    try:
        conn: Connection = sqlite3.connect(
            str(path), isolation_level=None, timeout=busy_timeout, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_size_limit = 67108864")
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: cannot open as a SQLite database: {error}") from None
    if str(mode).lower() != "wal":
        conn.close()
        raise StoreError(f"{path}: cannot switch to WAL mode (got {mode!r})")
    return conn


def is_busy(error: BaseException) -> bool:
    """True when a SQLite error means another connection holds the lock."""
    return isinstance(error, SQLITE_ERRORS) and "locked" in str(error).lower()


@contextmanager
def immediate(conn: Connection, path: Path) -> Iterator[Connection]:
    """Run the block in one `BEGIN IMMEDIATE` transaction: all of it is written, or none.

    Taking the write lock at BEGIN means a busy database is met while waiting (for up to
    the busy timeout) instead of failing half-way through a read-then-write.
    """
    if conn.in_transaction:  # joined by an enclosing transaction
        yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except SQLITE_ERRORS as error:
        if is_busy(error):
            raise DatabaseBusy(
                f"{path}: another process is writing (an import?) and kept the database "
                "locked past the timeout; nothing was written, try again when it finishes"
            ) from None
        raise
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except SQLITE_ERRORS as error:
        # Never leave the connection inside a transaction that later blocks would join.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if is_busy(error):
            raise DatabaseBusy(f"{path}: could not commit, the database stayed busy; "
                               "nothing was written") from None
        raise
