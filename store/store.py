"""The Store: the one seam through which the CLI and the TUI read and write a book."""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from store import board, health_history
from store import search as full_text
from store.account_list import AccountFilter, list_accounts
from store.account_lookup import resolve_account
from store.board import BoardView
from store.clock import format_timestamp, parse_timestamp, utc_now
from store.current_stage import move_order
from store.database import (
    DEFAULT_BUSY_TIMEOUT,
    SQLITE_ERRORS,
    Connection,
    connect,
    immediate,
)
from store.errors import DatabaseBusy, InvalidInput, NotFound, StoreError
from store.freshness import MONTHS_THROUGH, MRR_AS_OF
from store.gc_pause import gc_paused
from store.ids import new_id
from store.kpis import account_months, dashboard, drilldown, trends
from store.kpis import health as health_kpis
from store.kpis import stages as stages_kpis
from store.kpis.cohorts import CohortRow, cohort_matrix
from store.kpis.drilldown import DrillRow
from store.kpis.filters import BookFilter
from store.kpis.payments import UNRECOVERED
from store.kpis.periods import Period, month_key
from store.kpis.results import KpiValue
from store.kpis.stages import StageAnalytics, StageCount
from store.lifecycle import DEFAULT_PRESET, LifecycleModel, Phase, Stage, preset
from store.migrations import migrate
from store.models import (
    Account,
    BoardCard,
    BoardColumn,
    Contact,
    Deal,
    Interaction,
    Payment,
    Record,
    StageMove,
    Subscription,
    SurveyAnswer,
    Task,
    TaskStatus,
    UsageRecord,
)
from store.models.views import AccountRow, TimelineEntry
from store.nps import latest_answers
from store.playbooks import PlaybookCache, PlaybookSet
from store.playbooks import firing as playbook_firing
from store.rows import TABLES, columns, from_row, to_row
from store.search import SearchHit
from store.settings import (
    REASON_KINDS,
    SETTING_KEYS,
    BookSettings,
    load_settings,
    validate_setting,
)
from store.timeline import account_timeline
from store.today import Scope, TodayQueue, owners_of, rank, snoozed_accounts
from store.triage import (
    TriageItem,
    customer_stages,
    prospect_stages,
    triage,
)

CHURN_TIMED = frozenset({
    "mrr", "mrr_new", "mrr_expansion", "mrr_reactivation", "mrr_contraction", "mrr_churned",
    "logo_churn_rate", "revenue_churn_rate", "grr", "nrr", "arpu", "cltv", "upgrade_rate",
})
"""The KPIs read from the derived months, which follow the setting `kpi.churn_at`."""

PAYING_ON_DAY = (
    "s.status != 'trial' AND s.mrr_cents > 0 AND s.started_on <= :day "
    "AND (s.ended_on IS NULL OR s.ended_on > :day) "
    "AND NOT (s.status = 'cancelled' AND s.ended_on IS NULL)"
)
"""A subscription `s` carries MRR on `:day`: not a trial, `:day` is in [started_on, ended_on),
and not cancelled with no end (a paused Stripe subscription: not paying, end unknown)."""

ACCOUNT_MRR_ON_DAY = (
    "(SELECT coalesce(sum(s.mrr_cents), 0) FROM subscriptions s "
    f"WHERE s.account_id = accounts.id AND {PAYING_ON_DAY})"
)
"""What an `accounts` row's `mrr_cents` should be on `:day` (in an UPDATE of accounts)."""


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
        self._write_serial = 0
        """Counts this store's committed writes (cached reads compare it)."""
        self._mrr_checked_on: date | None = None
        """The day `catch_up_mrr` last found every MRR right (it runs once a day)."""
        self._health_cache: tuple[tuple[date, int], str] | None = None
        self._playbooks = PlaybookCache()

    # -- opening and closing ---------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Store:
        """Open (creating and migrating as needed) the book at `path`."""
        store = cls(Path(path).expanduser(), busy_timeout)
        conn = store.conn
        store.backup_path = migrate(conn, store.path)
        if store.backup_path is not None:
            store._derive_after_upgrade()
        if not store._stage_rows():
            store.set_lifecycle(preset(DEFAULT_PRESET))
        return store

    def _derive_after_upgrade(self) -> None:
        # A book from before the month table (migration 3) has subscriptions but no months:
        # derived here by today's code, at the latest schema, not inside a frozen migration.
        if self.conn.execute("SELECT NOT EXISTS (SELECT 1 FROM account_months)").fetchone()[0]:
            self.rebuild_account_months()

    @property
    def conn(self) -> Connection:
        """This thread's connection, opened on first use."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, self.busy_timeout)
            board.register_functions(conn)
            self._local.conn = conn
            with self._lock:
                self._all_connections.append(conn)
        return conn

    @property
    def db(self) -> Any:
        """This thread's connection wrapped by sqlite-utils, for schema questions.

        Imported on first use: sqlite-utils pulls in numpy when it is installed, which would
        add ~100 ms to every start of the app for nothing the board needs.
        """
        import sqlite_utils

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
            self._write_serial += 1  # before COMMIT: never seen by another connection first

    @property
    def write_count(self) -> int:
        """How many write transactions this store has run (to tell its commits from others')."""
        return self._write_serial

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file and truncate it (after a big write)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def data_version(self) -> int:
        """A number that changes when another connection commits (PRAGMA data_version)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- settings and lifecycle ------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A setting's value (stored as JSON), or `default` when unset."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any, *, at: datetime | None = None) -> None:
        """Store a JSON-serialisable setting (`at` stamps it, for reproducible books).

        Changing when churn counts (`kpi.churn_at`) re-derives every account's months in the
        same transaction: the revenue KPIs never see one timing mixed with the other.
        """
        with self.transaction() as conn:
            before = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            conn.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                (key, json.dumps(value), format_timestamp(at or utc_now())),
            )
            changed = before is None or before[0] != json.dumps(value)
            if key == account_months.CHURN_AT_SETTING and changed:
                account_months.refresh(conn, utc_now().date())

    def min_sample(self) -> int:
        """The sample below which a rate's change is marked unreliable (setting kpi.min_sample)."""
        return self.settings().kpi.min_sample

    def settings(self) -> BookSettings:
        """Every setting of the book, typed (see `store.settings`), defaults where unset."""
        keys = ", ".join("?" * len(SETTING_KEYS))
        rows = self.conn.execute(
            f"SELECT key, value FROM settings WHERE key IN ({keys})", SETTING_KEYS).fetchall()
        return load_settings({key: json.loads(value) for key, value in rows})

    def change_setting(self, key: str, value: Any) -> None:
        """Validate, then store, a user-facing setting (InvalidInput names what is wrong)."""
        self.set_setting(key, validate_setting(key, value))

    def reset_setting(self, key: str) -> None:
        """Forget a user-facing setting: it has its default again."""
        if key not in SETTING_KEYS:
            raise InvalidInput(f"unknown setting {key!r}; known: {', '.join(SETTING_KEYS)}")
        with self.transaction() as conn:
            gone = conn.execute("DELETE FROM settings WHERE key = ?", (key,)).rowcount
            if gone and key == account_months.CHURN_AT_SETTING:
                account_months.refresh(conn, utc_now().date())

    def churn_at(self) -> str:
        """When churn counts: `period_end` (default) or `cancellation` (setting kpi.churn_at)."""
        return self.settings().kpi.churn_at

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
                self.refresh_mrr(conn, [stamped.account_id])
        return stamped

    def insert_many(self, model: type[Record], rows: Iterable[Sequence[Any]],
                    names: Sequence[str] | None = None) -> int:
        """Bulk-insert pre-encoded rows (columns `names`, else `model`'s field order) in one
        transaction."""
        table = TABLES[model]
        names = list(names or columns(model))
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        with self.transaction() as conn:
            return int(conn.executemany(sql, rows).rowcount)  # not the search index's writes

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
        author: str | None = None,
    ) -> StageMove:
        """Move an account to any stage (forwards, backwards, to churned and back).

        An account with no stage history (imported) first gets its entry into the stage it
        leaves recorded, at its `stage_entered_at`: the move overwrites that date, and stage
        analytics (and undo) would lose where the account had been since when.
        """
        target = self.lifecycle().stage(to_stage)
        moved_at = at or utc_now()
        playbooks = self.playbooks()
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT stage, stage_entered_at, EXISTS (SELECT 1 FROM stage_history h "
                "WHERE h.account_id = accounts.id) FROM accounts WHERE id = ?", (account_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no account with key {account_id!r}")
            if row[0] == target.key:
                raise InvalidInput(f"account {account_id!r} is already in {target.key}")
            if not row[2] and row[1] < format_timestamp(moved_at):
                self._insert(conn, StageMove(
                    id=new_id(), account_id=account_id, to_stage=row[0],
                    moved_at=parse_timestamp(row[1]), source="import", updated_at=utc_now()))
            move = StageMove(
                id=new_id(), account_id=account_id, from_stage=row[0], to_stage=target.key,
                moved_at=moved_at, reason=reason or None, source=source, updated_at=utc_now(),
                author=author,
            )
            self._insert(conn, move)
            conn.execute(
                "UPDATE accounts SET stage = ?, stage_entered_at = ?, updated_at = ? WHERE id = ?",
                (target.key, format_timestamp(moved_at), format_timestamp(utc_now()), account_id),
            )
            playbook_firing.on_stage_entry(conn, playbooks, account_id, target.key, move.id,
                                           moved_at, utc_now().date())
        return move

    def undo_move(self, move: StageMove) -> None:
        """Take back `move` if it is still the account's latest one (else InvalidInput)."""
        with self.transaction() as conn:
            rows = conn.execute(
                "SELECT id, moved_at FROM stage_history WHERE account_id = ? "
                f"ORDER BY {move_order(latest_first=True)} LIMIT 2",
                (move.account_id,),
            ).fetchall()
            if not rows or rows[0][0] != move.id or move.from_stage is None:
                raise InvalidInput(
                    f"cannot undo: {move.account_id!r} has moved again since (or never moved)"
                )
            entered = rows[1][1] if len(rows) > 1 else format_timestamp(move.moved_at)
            conn.execute("DELETE FROM stage_history WHERE id = ?", (move.id,))
            playbook_firing.forget_move(conn, move.account_id, move.id)
            conn.execute(
                "UPDATE accounts SET stage = ?, stage_entered_at = ?, updated_at = ? WHERE id = ?",
                (move.from_stage, entered, format_timestamp(utc_now()), move.account_id),
            )

    def stage_history(self, account_id: str) -> list[StageMove]:
        """Every stage move of an account, oldest first."""
        rows = self._rows(
            f"SELECT * FROM stage_history WHERE account_id = ? ORDER BY {move_order()}",
            [account_id],
        )
        return [from_row(StageMove, row) for row in rows]

    def refresh_mrr(
        self, conn: Connection, account_ids: Sequence[str], on: date | None = None
    ) -> None:
        """Re-derive some accounts' MRR after their subscriptions changed (inside the write).

        Updates the current MRR on each account (what the board sorts by) and the month-end
        MRR and movements the revenue KPIs read.
        """
        today = on or utc_now().date()
        conn.executemany(
            f"UPDATE accounts SET mrr_cents = {ACCOUNT_MRR_ON_DAY} WHERE id = :id",
            [{"day": today.isoformat(), "id": account_id} for account_id in account_ids],
        )
        account_months.refresh(conn, today, account_ids)

    def catch_up_mrr(self, today: date | None = None) -> int:
        """Bring each account's current MRR (the board's) up to `today`; returns how many
        accounts changed.

        Writes refresh it for the accounts they touch, but days pass without writes: a
        subscription that ended yesterday would stay in the board's MRR. The board and the
        commands that show MRR call this first. It looks at the accounts whose subscriptions
        started or ended since the last catch-up that changed something (every account with
        subscriptions in a book that never had one), and writes only when an MRR is wrong: a
        command refused for bad input leaves the file as it was. Once per day per process;
        when another process holds the write lock it is skipped rather than making anyone wait.
        """
        today = today or utc_now().date()
        if self._mrr_checked_on == today:
            return 0
        as_of = self.get_setting(MRR_AS_OF)
        if as_of is not None and as_of >= today.isoformat():
            self._mrr_checked_on = today
            return 0
        # Accounts with subscriptions only: one imported with its MRR and no subscriptions (a
        # CRM export) keeps the MRR it came with.
        candidates = "SELECT account_id FROM subscriptions" + (
            "" if as_of is None else " WHERE started_on > :as_of AND started_on <= :day"
                                     "    OR ended_on > :as_of AND ended_on <= :day")
        stale = f"id IN ({candidates}) AND mrr_cents IS NOT {ACCOUNT_MRR_ON_DAY}"
        params = {"day": today.isoformat(), "as_of": as_of}
        if not self.conn.execute(f"SELECT EXISTS (SELECT 1 FROM accounts WHERE {stale})",
                                 params).fetchone()[0]:
            self._mrr_checked_on = today
            return 0
        conn = self.conn
        timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            with self.transaction() as conn:
                changed = conn.execute(
                    f"UPDATE accounts SET mrr_cents = {ACCOUNT_MRR_ON_DAY} WHERE {stale}",
                    params).rowcount
                self.set_setting(MRR_AS_OF, today.isoformat())
        except DatabaseBusy:
            return 0
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        self._mrr_checked_on = today
        return int(changed)

    def find_account(self, query: str) -> str:
        """The key of the account `query` names: a key, an exact name, or a unique match."""
        return resolve_account(self.conn, query)

    def contacts(self, account_id: str) -> list[Contact]:
        """An account's contacts, primary first."""
        rows = self._rows(
            "SELECT * FROM contacts WHERE account_id = ? ORDER BY is_primary DESC, name, id",
            [account_id],
        )
        return [from_row(Contact, row) for row in rows]

    def latest_nps(self, account_id: str) -> tuple[int, datetime] | None:
        """The account's newest NPS answer: (score, answered_at), or None."""
        row = self.conn.execute(
            f"SELECT score, answered_at FROM ({latest_answers(' AND account_id = ?')})",
            (account_id,),
        ).fetchone()
        return (int(row[0]), parse_timestamp(row[1])) if row else None

    def subscriptions(self, account_id: str) -> list[Subscription]:
        """An account's subscriptions, newest start first."""
        rows = self._rows(
            "SELECT * FROM subscriptions WHERE account_id = ? ORDER BY started_on DESC, id",
            [account_id],
        )
        return [from_row(Subscription, row) for row in rows]

    def deals(self, account_id: str) -> list[Deal]:
        """An account's CRM deals: open ones first, then by close date, newest first."""
        rows = self._rows(
            "SELECT * FROM deals WHERE account_id = ? "
            "ORDER BY status != 'open', close_on IS NULL, close_on DESC, id", [account_id])
        return [from_row(Deal, row) for row in rows]

    def payments(self, account_id: str, limit: int = 200) -> list[Payment]:
        """An account's most recent payments (attempts, refunds, order lines), newest first."""
        rows = self._rows(
            "SELECT * FROM payments WHERE account_id = ? ORDER BY attempted_at DESC, id LIMIT ?",
            [account_id, limit])
        return [from_row(Payment, row) for row in rows]

    def unrecovered_failed_payment(self, account_id: str) -> Payment | None:
        """The account's newest failed payment that no collected payment has followed (the
        condition of the KPI `unrecovered_failed_payments`), or None."""
        rows = self._rows(
            f"SELECT p.* FROM payments p WHERE p.account_id = :account AND {UNRECOVERED} "
            "ORDER BY p.attempted_at DESC, p.id LIMIT 1",
            {"account": account_id, "end": "9999-12-31T00:00:00Z"})
        return from_row(Payment, rows[0]) if rows else None

    def usage(self, account_id: str, limit: int = 100) -> list[UsageRecord]:
        """An account's most recent usage rows, newest first."""
        rows = self._rows(
            "SELECT * FROM usage WHERE account_id = ? ORDER BY used_on DESC, id LIMIT ?",
            [account_id, limit],
        )
        return [from_row(UsageRecord, row) for row in rows]

    def mrr_history(self, account_id: str) -> list[tuple[str, int]]:
        """(month, month-end MRR in cents) for every month the account has paid or churned."""
        return [
            (row[0], int(row[1]))
            for row in self.conn.execute(
                "SELECT month, mrr_cents FROM account_months WHERE account_id = ? "
                "AND month <= ? ORDER BY month",
                (account_id, month_key(utc_now().date())),
            )
        ]

    def find_contact(self, account_id: str, query: str) -> str:
        """The id of the account's contact named by id, e-mail or (case-insensitive) name."""
        rows = self.conn.execute(
            "SELECT id FROM contacts WHERE account_id = ? AND "
            "(id = ? OR email = ? COLLATE NOCASE OR name = ? COLLATE NOCASE) LIMIT 2",
            (account_id, query, query, query),
        ).fetchall()
        if not rows:
            raise NotFound(f"account {account_id!r} has no contact {query!r}")
        if len(rows) > 1:
            raise InvalidInput(f"several contacts of {account_id!r} match {query!r}; use the id")
        return str(rows[0][0])

    def list_accounts(self, wanted: AccountFilter, today: date | None = None) -> list[AccountRow]:
        """Accounts matching the filter, sorted and limited as it says."""
        for stage in wanted.stages:
            self.lifecycle().stage(stage)
        return list_accounts(self.conn, wanted, today or utc_now().date())

    def timeline(self, account_id: str, limit: int | None = None) -> list[TimelineEntry]:
        """The account's interactions, stage moves, answers and billing changes, newest first."""
        self.get_account(account_id)
        return account_timeline(self.conn, account_id, limit)

    # -- logging: interactions, surveys, tasks ---------------------------------------------

    def log_interaction(self, interaction: Interaction) -> tuple[Interaction, Task | None]:
        """Record an interaction; a follow-up date also opens a task due that day (written by
        the interaction's author)."""
        now = utc_now()
        logged = interaction.model_copy(update={"updated_at": now})
        task = None
        if logged.follow_up_on is not None:
            title = f"Follow up: {logged.summary.splitlines()[0] if logged.summary else logged.kind}"
            task = Task(id=new_id(), account_id=logged.account_id, title=title[:200],
                        due_on=logged.follow_up_on, interaction_id=logged.id,
                        created_at=now, updated_at=now, author=logged.author)
        with self.transaction() as conn:
            self._insert(conn, logged)
            if task is not None:
                self._insert(conn, task)
        return logged, task

    def get_interaction(self, interaction_id: str) -> Interaction:
        """One interaction by id; NotFound if there is none."""
        rows = self._rows("SELECT * FROM interactions WHERE id = ?", [interaction_id])
        if not rows:
            raise NotFound(f"no interaction with id {interaction_id!r}")
        return from_row(Interaction, rows[0])

    def update_interaction(self, interaction: Interaction) -> Interaction:
        """Correct a logged interaction's kind, contact, summary and sentiment (its time,
        author and follow-up task stay)."""
        updated = interaction.model_copy(update={"updated_at": utc_now()})
        row = to_row(updated)
        with self.transaction() as conn:
            changed = conn.execute(
                "UPDATE interactions SET kind = ?, contact_id = ?, summary = ?, sentiment = ?, "
                "updated_at = ? WHERE id = ?",
                [row["kind"], row["contact_id"], row["summary"], row["sentiment"],
                 row["updated_at"], row["id"]],
            ).rowcount
        if not changed:
            raise NotFound(f"no interaction with id {interaction.id!r}")
        return updated

    def delete_interaction(self, interaction_id: str) -> tuple[Interaction, list[str]]:
        """Delete a logged interaction; returns it and the ids of the tasks it had opened (they
        stay open), which is what `restore_interaction` needs to undo the delete."""
        with self.transaction() as conn:
            deleted = self.get_interaction(interaction_id)
            tasks = [row[0] for row in conn.execute(
                "SELECT id FROM tasks WHERE interaction_id = ?", [interaction_id])]
            conn.execute("DELETE FROM interactions WHERE id = ?", [interaction_id])
        return deleted, tasks

    def restore_interaction(self, interaction: Interaction, task_ids: Sequence[str]) -> None:
        """Put back a deleted interaction as it was, its tasks linked to it again."""
        with self.transaction() as conn:
            self._insert(conn, interaction)
            conn.executemany("UPDATE tasks SET interaction_id = ? WHERE id = ?",
                             [(interaction.id, task_id) for task_id in task_ids])

    def add_survey_answers(self, answers: Sequence[SurveyAnswer]) -> list[SurveyAnswer]:
        """Record one or more answers together (a CLI response is several rows)."""
        now = utc_now()
        stamped = [answer.model_copy(update={"updated_at": now}) for answer in answers]
        playbooks = self.playbooks()
        with self.transaction() as conn:
            for answer in stamped:
                self._insert(conn, answer)
            playbook_firing.on_nps_answers(
                conn, playbooks, [(a.id, a.account_id, a.score, a.answered_at)
                                  for a in stamped if a.kind.value == "nps"], now.date())
        return stamped

    def add_task(self, task: Task) -> Task:
        """Open a task for an account."""
        now = utc_now()
        return self.add(task.model_copy(update={"created_at": task.created_at or now}))  # type: ignore[return-value]

    def find_task(self, ref: str) -> Task:
        """A task by its id or by the end of its id (the short id lists show)."""
        ref = ref.strip()
        if len(ref) < 4:
            raise InvalidInput("a task id needs at least 4 characters")
        exact = self._rows("SELECT * FROM tasks WHERE id = ?", [ref])
        if exact:
            return from_row(Task, exact[0])
        pattern = "%" + ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._rows(
            "SELECT * FROM tasks WHERE id LIKE ? ESCAPE '\\' LIMIT 2", [pattern]
        )
        if not rows:
            raise NotFound(f"no task with id {ref!r}")
        if len(rows) > 1:
            raise InvalidInput(f"task id {ref!r} is ambiguous; give more of it")
        return from_row(Task, rows[0])

    def tasks(
        self,
        account_id: str | None = None,
        status: TaskStatus | None = TaskStatus.OPEN,
        due_by: date | None = None,
    ) -> list[Task]:
        """Tasks, soonest due first (undated last), optionally for one account or due by a day."""
        where, params = [], []
        if account_id is not None:
            where.append("account_id = ?")
            params.append(account_id)
        if status is not None:
            where.append("status = ?")
            params.append(status.value)
        if due_by is not None:
            where.append("due_on <= ?")
            params.append(due_by.isoformat())
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self._rows(
            f"SELECT * FROM tasks {clause} ORDER BY due_on IS NULL, due_on, created_at, id", params
        )
        return [from_row(Task, row) for row in rows]

    def complete_task(self, task_id: str) -> Task:
        """Mark a task done (doing it twice changes nothing)."""
        return self._update_task(task_id, status=TaskStatus.DONE, done_at=utc_now())

    def snooze_task(self, task_id: str, until: date) -> Task:
        """Push a task's due date to `until` (it stays open)."""
        return self._update_task(task_id, due_on=until, status=TaskStatus.OPEN, done_at=None)

    def _update_task(self, task_id: str, **changes: Any) -> Task:
        with self.transaction() as conn:
            task = self.find_task(task_id)
            if task.status == TaskStatus.DONE and changes.get("status") == TaskStatus.DONE:
                return task
            updated = task.model_copy(update={**changes, "updated_at": utc_now()})
            row = to_row(updated)
            assignments = ", ".join(f"{name} = :{name}" for name in row if name != "id")
            conn.execute(f"UPDATE tasks SET {assignments} WHERE id = :id", row)
        return updated

    # -- playbooks -------------------------------------------------------------------------

    def playbooks(self) -> PlaybookSet:
        """The playbooks in force: the shipped ones and the user's playbooks.toml (re-read
        when the file changes). A bad file raises InvalidInput naming its line and key, and
        writes that would fire a playbook (stage moves, answers, imports) are refused."""
        return self._playbooks.get()

    def playbook_tasks(self, account_id: str, run_key: str) -> list[Task]:
        """The tasks a playbook trigger event opened on an account (`move:<stage move id>`,
        `answer:<survey answer id>`, `renewal:<date>`...), in step order."""
        rows = self._rows(
            "SELECT t.* FROM tasks t JOIN playbook_runs r ON r.id = t.playbook_run "
            "WHERE r.account_id = ? AND r.run_key = ? ORDER BY r.started_at, t.rowid",
            [account_id, run_key])
        return [from_row(Task, row) for row in rows]

    def _late_onboarding(self, day: date) -> set[str]:
        """The accounts past their time-to-value target on `day`: Today's onboarding rule."""
        return {item.account_id for item in self.today_reasons(day, None, ["onboarding"])}

    def evaluate_playbooks(
        self,
        today: date | None = None,
        health: Mapping[str, float | None] | None = None,
    ) -> playbook_firing.Fired:
        """Fire the date-based playbook triggers for `today`; idempotent, cheap when nothing
        is due: renewals `days_before` days ahead, onboarding past its time-to-value target,
        health in the red band (and end the condition runs whose condition stopped holding).

        `retain today`, the Today screen and `retain playbook run` call it (off the UI thread:
        it may write). `health` is the scores of the paying accounts if the caller has them;
        else the day's recorded health is read (recording it first, as Today does). Writes
        nothing, and takes no write lock, when there is nothing to start or end.
        """
        day = today or utc_now().date()
        playbooks = self.playbooks()
        lifecycle = self.lifecycle()
        late = None
        if playbooks.for_trigger(playbook_firing.Trigger.ONBOARDING_LATE):
            late = self._late_onboarding(day)
        red = None
        if playbooks.for_trigger(playbook_firing.Trigger.HEALTH_RED):
            # The accounts Today's health rule reads: paying, in a stage after the purchase.
            sql = ("SELECT id FROM accounts WHERE mrr_cents > 0 "
                   "AND stage IN (SELECT value FROM json_each(:stages))")
            stages = json.dumps(customer_stages(lifecycle)[1:])
            if health is None:  # the day's recorded scores, as Today reads them
                self.record_health(day)
                health = dict(self.conn.execute(
                    "SELECT a.id, (SELECT h.score FROM health_history h WHERE h.account_id = a.id "
                    f"AND h.day <= :day ORDER BY h.day DESC LIMIT 1) FROM ({sql}) a",
                    {"stages": stages, "day": day.isoformat()}).fetchall())
            red = [row[0] for row in self.conn.execute(
                f"{sql} AND id IN (SELECT value FROM json_each(:red))",
                {"stages": stages, "red": json.dumps(playbook_firing.in_red(health))})]
        plan = playbook_firing.plan_date_triggers(self.conn, playbooks, lifecycle, day, late,
                                                  red)
        if not plan.starts and not plan.ends:
            return playbook_firing.Fired()
        with self.transaction() as conn:
            return playbook_firing.apply_plan(conn, plan, day)

    # -- export ----------------------------------------------------------------------------

    def export_rows(self, model: type[Record]) -> Iterator[Record]:
        """Every row of one kind, as validated models, in key order (streamed)."""
        cursor = self.conn.execute(f"SELECT * FROM {TABLES[model]} ORDER BY id")
        names = [column[0] for column in cursor.description]
        for row in cursor:
            yield from_row(model, dict(zip(names, row, strict=True)))

    # -- KPIs ------------------------------------------------------------------------------

    def gross_margin(self) -> float:
        """The gross margin CLTV uses (setting `kpi.gross_margin`, default 0.8)."""
        return self.settings().kpi.gross_margin

    def rebuild_account_months(self, today: date | None = None) -> None:
        """Re-derive every account's month-end MRR and movements (after a bulk write)."""
        with self.transaction() as conn:
            account_months.refresh(conn, today or utc_now().date())

    def _derive_months_through(self, month: str) -> None:
        """Make sure the derived month table reaches `month` (it lags after a year unused)."""
        through = self.get_setting(MONTHS_THROUGH)
        if through is None or month > through:
            with self.transaction() as conn:
                account_months.refresh(conn, utc_now().date())

    def kpis(self, period: Period, book: BookFilter | None = None) -> dict[str, KpiValue]:
        """Every KPI for the period and filter, by name; a None value means no data."""
        self._derive_months_through(period.months[-1])
        values = dashboard.compute_all(self.conn, period, book or BookFilter(),
                                       self.gross_margin())
        if self.churn_at() == "cancellation":
            for name in CHURN_TIMED & values.keys():
                value = values[name]
                note = "churn counted when the customer cancelled (setting kpi.churn_at)"
                values[name] = replace(value, note=f"{value.note}; {note}" if value.note else note)
        return values

    def kpi_trend(
        self, name: str, last: Period, months: int, book: BookFilter | None = None
    ) -> list[tuple[Period, KpiValue]]:
        """One KPI for each of `months` months ending with `last`'s last month."""
        self._derive_months_through(last.months[-1])
        return dashboard.trend(self.conn, name, last, months, book or BookFilter(),
                               self.gross_margin())

    def kpi_trends(
        self, last: Period, months: int, book: BookFilter | None = None
    ) -> Iterator[tuple[list[Period], dict[str, list[KpiValue]]]]:
        """Every KPI's monthly series, one family at a time as each is ready (for sparklines)."""
        self._derive_months_through(last.months[-1])
        yield from trends.all_trends(self.conn, last, months, book or BookFilter(),
                                     self.gross_margin())

    def kpi_accounts(
        self, name: str, view: str, period: Period, book: BookFilter | None = None
    ) -> list[DrillRow]:
        """The accounts behind a KPI's figure (the detractors of an NPS, the churned...)."""
        self._derive_months_through(period.months[-1])
        return drilldown.accounts_behind(self.conn, name, view, period, book or BookFilter())

    def cohorts(
        self, first: str, last: str, through: str, book: BookFilter | None = None
    ) -> list[CohortRow]:
        """Retention of the customers who started paying in each month from `first` to `last`."""
        self._derive_months_through(through)
        return cohort_matrix(self.conn, first, last, through, book or BookFilter())

    def stage_analytics(
        self, period: Period, on: date, book: BookFilter | None = None
    ) -> StageAnalytics:
        """Accounts per stage on `on`, time in stage, and the period's moves between stages."""
        scope = (book or BookFilter()).materialize(self.conn)
        model = self.lifecycle()
        return StageAnalytics(
            per_stage=stages_kpis.accounts_per_stage(self.conn, on, scope, model),
            dwell=stages_kpis.days_in_stage(self.conn, None, scope, model),
            transitions=stages_kpis.stage_transitions(self.conn, period, scope, model),
            moves=stages_kpis.move_directions(self.conn, period, scope, model),
        )

    def stage_counts(
        self, days: Sequence[date], book: BookFilter | None = None
    ) -> list[tuple[StageCount, ...]]:
        """Accounts per lifecycle stage at the end of each of `days` (for the stages chart)."""
        scope = (book or BookFilter()).materialize(self.conn)
        return stages_kpis.accounts_per_stage_on(self.conn, list(days), scope, self.lifecycle())

    # -- health ----------------------------------------------------------------------------

    def health_weights(self) -> dict[str, float]:
        """The health-score weights: setting `health.weights` over the defaults."""
        return self.settings().health.weights.model_dump()

    def health(self, account_id: str, today: date | None = None) -> health_kpis.Health:
        """An account's health score, band and components (weight, score, reason)."""
        day = today or utc_now().date()
        self._derive_months_through(month_key(day))
        return health_kpis.account_health(self.conn, account_id, day, self.health_weights(),
                                          prospect_stages(self.lifecycle()))

    def health_many(
        self, account_ids: Sequence[str] | None = None, today: date | None = None
    ) -> dict[str, health_kpis.Health]:
        """Full health, with reasons, of some accounts (a page of a list); all when None."""
        day = today or utc_now().date()
        self._derive_months_through(month_key(day))
        return health_kpis.health_many(self.conn, day, self.health_weights(), account_ids,
                                       prospect_stages(self.lifecycle()))

    def health_scores(
        self, account_ids: Sequence[str] | None = None, today: date | None = None
    ) -> dict[str, float | None]:
        """Overall health scores by account (all accounts when None); None means no data."""
        day = today or utc_now().date()
        self._derive_months_through(month_key(day))
        return health_kpis.health_scores(self.conn, day, self.health_weights(), account_ids,
                                         prospect_stages(self.lifecycle()))

    # -- Today ------------------------------------------------------------------------------

    def record_health(self, today: date | None = None) -> int:
        """Record every account's health score for `today` where it changed (once a day; the
        first call of a day scores the whole book). Returns how many scores were written."""
        day = today or utc_now().date()
        done = health_history.recorded_on(self.conn)
        if done is not None and done >= day:
            return 0
        scores = self.health_scores(None, day)
        with self.transaction() as conn:
            return health_history.record(conn, day, scores)

    def health_trend(self, account_id: str, days: int = 90,
                     today: date | None = None) -> list[float | None]:
        """The account's recorded health on each of the last `days` days (None: no score)."""
        day = today or utc_now().date()
        since = day - timedelta(days=days - 1)
        return health_history.daily(health_history.history(self.conn, account_id, since, day),
                                    since, day)

    def today(self, today: date | None = None, scope: Scope | None = None,
              kinds: Collection[str] = REASON_KINDS) -> TodayQueue:
        """Today: one ranked row per account of the scope (whole book when None) that needs its
        CSM, snoozed accounts aside. Records the day's health first when it is not yet."""
        day = today or utc_now().date()
        return self.rank_today(day, scope or Scope(),
                               self.today_reasons(day, scope, kinds), kinds)

    def today_reasons(self, today: date, scope: Scope | None = None,
                      kinds: Collection[str] = REASON_KINDS) -> list[TriageItem]:
        """The reasons of the given kinds, for the scope, on `today` (a screen reads the quick
        kinds first, then health, and ranks them together with `rank_today`)."""
        if "health" in kinds:
            self.record_health(today)
        owner = scope.owner if scope else None
        with gc_paused():
            return triage(self.conn, today, self.settings().triage, self.lifecycle(),
                          owner=owner, kinds=kinds)

    def rank_today(self, today: date, scope: Scope, items: Sequence[TriageItem],
                   kinds: Collection[str] = REASON_KINDS) -> TodayQueue:
        """Rank reasons into Today's rows (one per account), leaving snoozed accounts out."""
        asleep = snoozed_accounts(self.conn, today)
        kept = [item for item in items if item.account_id not in asleep]
        snoozed = len({item.account_id for item in items} & asleep)
        owners = owners_of(self.conn, list({item.account_id for item in kept}))
        with gc_paused():
            rows = rank(kept, self.settings().triage, owners)
        return TodayQueue(today, scope, rows, snoozed, tuple(kinds))

    def snooze_account(self, account_id: str, until: date, author: str | None = None) -> None:
        """Keep an account out of Today until `until` (it is back that day)."""
        self.get_account(account_id)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO today_snoozes (account_id, until, author, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(account_id) DO UPDATE SET "
                "until = excluded.until, author = excluded.author, "
                "created_at = excluded.created_at",
                (account_id, until.isoformat(), author, format_timestamp(utc_now())))

    def distinct_values(self, column: str) -> list[str]:
        """The values an account attribute takes (segment, owner, plan or stage), sorted."""
        if column not in {"segment", "owner", "plan", "stage"}:
            raise InvalidInput(f"cannot break down by {column!r}")
        rows = self.conn.execute(
            f"SELECT DISTINCT {column} FROM accounts WHERE {column} IS NOT NULL ORDER BY 1"
        )
        return [row[0] for row in rows]

    # -- the board -------------------------------------------------------------------------

    def board_columns(self, view: BoardView | None = None) -> list[BoardColumn]:
        """One column per stage, in order, with its account count and MRR total (for churned:
        the MRR its accounts had before they churned)."""
        view = view or BoardView()
        return board.board_columns(self.conn, self.lifecycle(), view, self._health_json(view),
                                   paying_on_day=PAYING_ON_DAY)

    def board_cards(
        self, stage: str, offset: int, limit: int, view: BoardView | None = None,
        *, with_health: bool = False,
    ) -> list[BoardCard]:
        """A page of a stage's cards (default: highest MRR first), optionally health-scored."""
        view = view or BoardView()
        cards = board.board_cards(self.conn, stage, offset, limit, view, utc_now().date(),
                                  self._health_json(view))
        if with_health and cards:
            scores = self.health_scores([card.account_id for card in cards])
            cards = [replace(card, health=scores.get(card.account_id)) for card in cards]
        return cards

    def _health_json(self, view: BoardView) -> str | None:
        """Every account's health as a JSON object, when the view sorts or filters by it.

        Scoring the whole book takes ~1.7 s at 100k accounts, so the scores are kept for the
        day until a write goes through this store or `forget_health` is called.
        """
        if not view.needs_health:
            return None
        key = (utc_now().date(), self._write_serial)
        with self._lock:
            cached = self._health_cache
        if cached is None or cached[0] != key:
            scores = self.health_scores()
            cached = (key, json.dumps({k: v for k, v in scores.items() if v is not None}))
            with self._lock:
                self._health_cache = cached
        return cached[1]

    def forget_health(self) -> None:
        """Drop the cached whole-book health scores (another process wrote to the book)."""
        with self._lock:
            self._health_cache = None

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over account names, interaction summaries, task titles and survey
        comments: matching accounts first, then the newest texts (see `store.search`)."""
        return full_text.search(self.conn, text, limit)

    def search_accounts(self, text: str, limit: int = 20) -> list[tuple[str, str, str]]:
        """(key, name, stage) of accounts whose name, key or domain hold every word of `text`."""
        condition, params = BoardView(search=text).where()
        rows = self.conn.execute(
            f"SELECT a.id, a.name, a.stage FROM accounts a WHERE {condition} "
            "ORDER BY a.mrr_cents DESC, a.id LIMIT :limit",
            {**params, "limit": limit},
        ).fetchall()
        return [(row[0], row[1], row[2]) for row in rows]

    def card_position(
        self, stage: str, account_id: str, view: BoardView | None = None
    ) -> int | None:
        """An account's index in its column under a view, or None if the view hides it."""
        view = view or BoardView()
        return board.card_position(self.conn, stage, account_id, view, self._health_json(view))
