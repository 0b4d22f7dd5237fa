"""The Store: the one seam through which the CLI and the TUI read and write a book."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from store.clock import format_timestamp, parse_timestamp, utc_now
from store.database import (
    DEFAULT_BUSY_TIMEOUT,
    SQLITE_ERRORS,
    Connection,
    connect,
    immediate,
)
from store.errors import InvalidInput, NotFound, StoreError
from store.ids import new_id
from store.lifecycle import DEFAULT_PRESET, LifecycleModel, Phase, Stage, preset
from store.migrations import migrate
from store.models import Account, BoardCard, BoardColumn, Record, StageMove, Subscription
from store.rows import TABLES, columns, from_row, to_row

_ACTIVE_MRR_STATUSES = ("active", "past_due")


class Store:
    """A retain book in one SQLite file.

    Connections are per thread (SQLite forbids sharing one across threads); every write runs
    in one BEGIN IMMEDIATE transaction. Nothing touches the disk until `Store.open`.
    """

    def __init__(self, path: Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self.backup_path: Path | None = None
        """Where the pre-migration copy went, if opening this file migrated it."""
        self._local = threading.local()
        self._all_connections: list[Connection] = []
        self._lock = threading.Lock()
        self._lifecycle: LifecycleModel | None = None

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Store:
        """Open (creating and migrating as needed) the book at `path`."""
        store = cls(Path(path).expanduser(), busy_timeout)
        conn = store.conn
        store.backup_path = migrate(conn, store.path)
        if not store._stage_rows():
            store.set_lifecycle(preset(DEFAULT_PRESET))
        return store

    @property
    def conn(self) -> Connection:
        """This thread's connection, opened on first use."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, self.busy_timeout)
            self._local.conn = conn
            with self._lock:
                self._all_connections.append(conn)
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection wrapped by sqlite-utils (for reads and schema questions)."""
        db = getattr(self._local, "db", None)
        if db is None or db.conn is not self.conn:
            db = sqlite_utils.Database(self.conn)
            self._local.db = db
        return db

    def close(self) -> None:
        """Close every connection this store opened, in any thread."""
        with self._lock:
            connections, self._all_connections = self._all_connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One all-or-nothing write transaction (BEGIN IMMEDIATE); nested blocks join it."""
        with immediate(self.conn, self.path) as conn:
            yield conn

    def data_version(self) -> int:
        """A number that changes when another connection commits (PRAGMA data_version)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    # -- settings and lifecycle ------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A setting's value (stored as JSON), or `default` when unset."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable setting."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                (key, json.dumps(value), format_timestamp(utc_now())),
            )

    def _stage_rows(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM stages ORDER BY position")

    def lifecycle(self) -> LifecycleModel:
        """The book's lifecycle model: its stages in order, `churned` last."""
        if self._lifecycle is None:
            stages = tuple(
                Stage(row["key"], row["label"], Phase(row["phase"]), bool(row["terminal"]))
                for row in self._stage_rows()
            )
            self._lifecycle = LifecycleModel(
                name=self.get_setting("lifecycle.name", DEFAULT_PRESET),
                stages=stages,
                customer_from=self.get_setting("lifecycle.customer_from", stages[0].key),
            )
        return self._lifecycle

    def set_lifecycle(self, model: LifecycleModel) -> None:
        """Make `model` the book's stage list; refused while accounts sit in a stage it lacks."""
        with self.transaction() as conn:
            in_use = [
                row[0]
                for row in conn.execute("SELECT DISTINCT stage FROM accounts")
                if row[0] not in model.keys
            ]
            if in_use:
                raise InvalidInput(
                    f"cannot switch to the {model.name!r} stages: accounts are still in "
                    f"{', '.join(sorted(in_use))}"
                )
            now = format_timestamp(utc_now())
            conn.execute("UPDATE stages SET position = -position - 1")  # free the positions
            for position, stage in enumerate(model.stages):
                conn.execute(
                    "INSERT INTO stages (key, label, phase, position, terminal, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                    "label = excluded.label, phase = excluded.phase, "
                    "position = excluded.position, terminal = excluded.terminal, "
                    "updated_at = excluded.updated_at",
                    (stage.key, stage.label, stage.phase.value, position, int(stage.terminal), now),
                )
            placeholders = ", ".join("?" for _ in model.keys)
            conn.execute(f"DELETE FROM stages WHERE key NOT IN ({placeholders})", model.keys)
            self.set_setting("lifecycle.name", model.name)
            self.set_setting("lifecycle.customer_from", model.customer_from)
        self._lifecycle = None

    # -- generic rows ----------------------------------------------------------------------

    def _insert(self, conn: Connection, record: Record) -> None:
        row = to_row(record)
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        table = TABLES[type(record)]
        try:
            conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))
        except SQLITE_ERRORS as error:
            raise self._explain(error, record) from None

    def _explain(self, error: BaseException, record: Record) -> StoreError:
        text = str(error)
        if "FOREIGN KEY" in text:
            account_id = getattr(record, "account_id", None)
            return NotFound(f"no account with key {account_id!r}")
        if "UNIQUE" in text:
            return InvalidInput(f"a {type(record).__name__.lower()} with id {record.id!r} exists")  # type: ignore[attr-defined]
        return StoreError(f"{self.path}: {text}")

    def add(self, record: Record) -> Record:
        """Insert a contact, interaction, survey answer, usage row, task... (not an account)."""
        if isinstance(record, Account):
            raise TypeError("use add_account, which also records the first stage move")
        stamped = record.model_copy(update={"updated_at": utc_now()})
        with self.transaction() as conn:
            self._insert(conn, stamped)
            if isinstance(stamped, Subscription):
                self._refresh_mrr(conn, [stamped.account_id])
        return stamped

    def insert_many(self, model: type[Record], rows: Iterable[Sequence[Any]]) -> int:
        """Bulk-insert pre-encoded rows (columns in `model`'s field order) in one transaction."""
        table = TABLES[model]
        names = columns(model)
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        with self.transaction() as conn:
            before = conn.total_changes
            conn.executemany(sql, rows)
            return conn.total_changes - before

    def count(self, model: type[Record]) -> int:
        """How many rows of `model` the book holds."""
        return int(self.conn.execute(f"SELECT count(*) FROM {TABLES[model]}").fetchone()[0])

    # -- accounts and stages ---------------------------------------------------------------

    def add_account(self, account: Account, *, source: str | None = None) -> Account:
        """Insert a new account and record its entry into its first stage."""
        self.lifecycle().stage(account.stage)
        now = utc_now()
        entered = account.stage_entered_at or now
        stamped = account.model_copy(update={
            "stage_entered_at": entered,
            "created_at": account.created_at or now,
            "updated_at": now,
            "mrr_cents": 0,
        })
        move = StageMove(
            id=new_id(), account_id=account.id, to_stage=account.stage,
            moved_at=entered, source=source, updated_at=now,
        )
        with self.transaction() as conn:
            self._insert(conn, stamped)
            self._insert(conn, move)
        return stamped

    def get_account(self, account_id: str) -> Account:
        """The account with key `account_id`, or NotFound."""
        rows = self._rows("SELECT * FROM accounts WHERE id = ?", [account_id])
        if not rows:
            raise NotFound(f"no account with key {account_id!r}")
        return from_row(Account, rows[0])

    def move_stage(
        self,
        account_id: str,
        to_stage: str,
        *,
        reason: str | None = None,
        at: datetime | None = None,
        source: str | None = None,
    ) -> StageMove:
        """Move an account to any stage (forwards, backwards, to churned and back)."""
        target = self.lifecycle().stage(to_stage)
        moved_at = at or utc_now()
        with self.transaction() as conn:
            row = conn.execute("SELECT stage FROM accounts WHERE id = ?", (account_id,)).fetchone()
            if row is None:
                raise NotFound(f"no account with key {account_id!r}")
            if row[0] == target.key:
                raise InvalidInput(f"account {account_id!r} is already in {target.key}")
            move = StageMove(
                id=new_id(), account_id=account_id, from_stage=row[0], to_stage=target.key,
                moved_at=moved_at, reason=reason or None, source=source, updated_at=utc_now(),
            )
            self._insert(conn, move)
            conn.execute(
                "UPDATE accounts SET stage = ?, stage_entered_at = ?, updated_at = ? WHERE id = ?",
                (target.key, format_timestamp(moved_at), format_timestamp(utc_now()), account_id),
            )
        return move

    def stage_history(self, account_id: str) -> list[StageMove]:
        """Every stage move of an account, oldest first."""
        rows = self._rows(
            "SELECT * FROM stage_history WHERE account_id = ? ORDER BY moved_at, id", [account_id]
        )
        return [from_row(StageMove, row) for row in rows]

    def _refresh_mrr(self, conn: Connection, account_ids: Sequence[str], on: date | None = None) -> None:
        """Recompute the denormalised current MRR of some accounts from their subscriptions."""
        day = (on or utc_now().date()).isoformat()
        statuses = ", ".join(f"'{status}'" for status in _ACTIVE_MRR_STATUSES)
        conn.executemany(
            f"""UPDATE accounts SET mrr_cents = (
                    SELECT coalesce(sum(mrr_cents), 0) FROM subscriptions s
                    WHERE s.account_id = accounts.id AND s.status IN ({statuses})
                      AND s.started_on <= :day AND (s.ended_on IS NULL OR s.ended_on > :day)
                ) WHERE id = :id""",
            [{"day": day, "id": account_id} for account_id in account_ids],
        )

    # -- the board -------------------------------------------------------------------------

    def board_columns(self) -> list[BoardColumn]:
        """One column per stage, in order, with its account count and MRR total."""
        totals = {
            row[0]: (row[1], row[2])
            for row in self.conn.execute(
                "SELECT stage, count(*), coalesce(sum(mrr_cents), 0) FROM accounts GROUP BY stage"
            )
        }
        return [
            BoardColumn(stage, *totals.get(stage.key, (0, 0)))
            for stage in self.lifecycle().stages
        ]

    def board_cards(self, stage: str, offset: int, limit: int) -> list[BoardCard]:
        """A page of a stage's cards, highest MRR first (served by the stage/MRR index)."""
        rows = self.conn.execute(
            "SELECT id, name, mrr_cents, stage_entered_at, renewal_on FROM accounts "
            "WHERE stage = ? ORDER BY mrr_cents DESC, id LIMIT ? OFFSET ?",
            (stage, limit, offset),
        ).fetchall()
        return [
            BoardCard(
                account_id=row[0],
                name=row[1],
                mrr_cents=row[2],
                stage_entered_at=parse_timestamp(row[3]),
                renewal_on=date.fromisoformat(row[4]) if row[4] else None,
            )
            for row in rows
        ]


