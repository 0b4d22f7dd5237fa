"""Schema migrations keyed on `PRAGMA user_version`; a backup copy is taken before any upgrade.

Migrations are frozen: each one is SQL written out in its own function (or a pinned library
call), never a call into the live store code, which may later read a column a newer migration
adds. Derived data an upgrade needs is rebuilt by `Store.open` after the last migration."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

import pysqlite3.dbapi2 as sqlite3

from store.clock import utc_now
from store.database import SQLITE_ERRORS, Connection, immediate
from store.errors import MigrationFailed, SchemaTooNew, StoreError

Migration = Callable[[Connection], None]


def _run(conn: Connection, statements: list[str]) -> None:
    # One statement at a time: executescript() would COMMIT the open transaction first.
    for statement in statements:
        conn.execute(statement)


def _001_initial_schema(conn: Connection) -> None:
    """Every entity of MISSION.md section 3, plus settings and the chosen stage list."""
    _run(conn, [
        """CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT""",
        """CREATE TABLE stages (
            key TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            phase TEXT NOT NULL CHECK (phase IN ('acquisition', 'engagement', 'retention')),
            position INTEGER NOT NULL UNIQUE,
            terminal INTEGER NOT NULL DEFAULT 0 CHECK (terminal IN (0, 1)),
            updated_at TEXT NOT NULL
        ) STRICT""",
        """CREATE TABLE accounts (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            domain TEXT,
            segment TEXT,
            plan TEXT,
            owner TEXT,
            stage TEXT NOT NULL REFERENCES stages(key) ON UPDATE CASCADE,
            stage_entered_at TEXT NOT NULL,
            renewal_on TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            mrr_cents INTEGER NOT NULL DEFAULT 0 CHECK (mrr_cents >= 0),
            first_value_on TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX accounts_by_stage_mrr ON accounts(stage, mrr_cents DESC, id)",
        "CREATE INDEX accounts_by_name ON accounts(name COLLATE NOCASE)",
        """CREATE TABLE contacts (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            name TEXT,
            email TEXT,
            role TEXT,
            phone TEXT,
            is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX contacts_by_account ON contacts(account_id)",
        """CREATE TABLE stage_history (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            from_stage TEXT,
            to_stage TEXT NOT NULL,
            moved_at TEXT NOT NULL,
            reason TEXT,
            source TEXT,
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX stage_history_by_account ON stage_history(account_id, moved_at)",
        "CREATE INDEX stage_history_by_time ON stage_history(moved_at)",
        """CREATE TABLE subscriptions (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            plan TEXT,
            status TEXT NOT NULL
                CHECK (status IN ('trial', 'active', 'past_due', 'cancelled')),
            mrr_cents INTEGER NOT NULL CHECK (mrr_cents >= 0),
            currency TEXT NOT NULL DEFAULT 'USD',
            billing_interval TEXT NOT NULL DEFAULT 'month'
                CHECK (billing_interval IN ('month', 'quarter', 'year')),
            started_on TEXT NOT NULL,
            ended_on TEXT CHECK (ended_on IS NULL OR ended_on >= started_on),
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX subscriptions_by_account ON subscriptions(account_id, started_on)",
        """CREATE TABLE interactions (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            author TEXT,
            contact_id TEXT REFERENCES contacts(id) ON DELETE SET NULL,
            summary TEXT NOT NULL DEFAULT '',
            sentiment TEXT CHECK (sentiment IN ('positive', 'neutral', 'negative')),
            follow_up_on TEXT,
            source TEXT,
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX interactions_by_account ON interactions(account_id, occurred_at)",
        "CREATE INDEX interactions_by_time ON interactions(occurred_at)",
        """CREATE TABLE survey_answers (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            contact_id TEXT REFERENCES contacts(id) ON DELETE SET NULL,
            kind TEXT NOT NULL CHECK (kind IN ('nps', 'csat', 'cli')),
            question TEXT,
            score INTEGER NOT NULL CHECK (
                (kind = 'nps' AND score BETWEEN 0 AND 10)
                OR (kind = 'csat' AND score BETWEEN 1 AND 5)
                OR (kind = 'cli' AND score BETWEEN 1 AND 10)
            ),
            comment TEXT,
            answered_at TEXT NOT NULL,
            source TEXT,
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX survey_answers_by_account ON survey_answers(account_id, answered_at)",
        "CREATE INDEX survey_answers_by_kind ON survey_answers(kind, answered_at)",
        """CREATE TABLE usage (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            used_on TEXT NOT NULL,
            feature TEXT,
            events INTEGER NOT NULL DEFAULT 0 CHECK (events >= 0),
            active_users INTEGER CHECK (active_users >= 0),
            monthly_active_users INTEGER CHECK (monthly_active_users >= 0),
            duration_secs INTEGER CHECK (duration_secs >= 0),
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX usage_by_account ON usage(account_id, used_on)",
        """CREATE TABLE acquisition (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            source TEXT,
            channel TEXT,
            campaign TEXT,
            lead_on TEXT,
            trial_on TEXT,
            demo_on TEXT,
            converted_on TEXT,
            spend_cents INTEGER CHECK (spend_cents >= 0),
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX acquisition_by_account ON acquisition(account_id)",
        """CREATE TABLE acquisition_spend (
            id TEXT PRIMARY KEY,
            channel TEXT NOT NULL,
            spent_on TEXT NOT NULL,
            amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX acquisition_spend_by_day ON acquisition_spend(spent_on)",
        """CREATE TABLE tasks (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            due_on TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
            interaction_id TEXT REFERENCES interactions(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            done_at TEXT,
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX tasks_by_account ON tasks(account_id, status)",
        "CREATE INDEX tasks_open_by_due ON tasks(status, due_on)",
    ])


def _002_imports(conn: Connection) -> None:
    """A record of every import: which file (name, sha256), which kind, counts, when, outcome."""
    _run(conn, [
        """CREATE TABLE imports (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            preset TEXT,
            rows_read INTEGER NOT NULL DEFAULT 0,
            new_count INTEGER NOT NULL DEFAULT 0,
            updated_count INTEGER NOT NULL DEFAULT 0,
            unchanged_count INTEGER NOT NULL DEFAULT 0,
            rejected_count INTEGER NOT NULL DEFAULT 0,
            skipped_count INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL CHECK (status IN ('ok', 'partial')),
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX imports_by_file ON imports(sha256, kind)",
        "CREATE INDEX imports_by_time ON imports(started_at)",
    ])


def _003_account_months(conn: Connection) -> None:
    """The derived month-end MRR and movement per account that revenue KPIs read; usage by day."""
    _run(conn, [
        """CREATE TABLE account_months (
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            month TEXT NOT NULL,
            mrr_cents INTEGER NOT NULL CHECK (mrr_cents >= 0),
            movement TEXT CHECK (movement IN
                ('new', 'expansion', 'contraction', 'churned', 'reactivation')),
            delta_cents INTEGER NOT NULL,
            PRIMARY KEY (account_id, month)
        ) STRICT, WITHOUT ROWID""",
        "CREATE INDEX account_months_by_month ON account_months"
        "(month, movement, mrr_cents, delta_cents, account_id)",
        # Usage KPIs read a period's rows across all accounts: a covering index by day.
        "CREATE INDEX usage_by_day ON usage"
        "(used_on, account_id, events, active_users, monthly_active_users, feature)",
    ])
    # Books made before this table have data: `Store.open` derives it after the upgrade, with
    # the code of the day (a migration never calls code that may change after it).


def _004_cancellations(conn: Connection) -> None:
    """The day a subscription was cancelled, apart from the day it ends (setting kpi.churn_at)."""
    _run(conn, ["ALTER TABLE subscriptions ADD COLUMN cancelled_on TEXT"])


def _005_today(conn: Connection) -> None:
    """Health history (a score per account on each day it changes), accounts snoozed in Today,
    and who wrote each task and stage move. Safe to run again on a book that has them."""
    _run(conn, [
        """CREATE TABLE IF NOT EXISTS health_history (
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            score REAL CHECK (score IS NULL OR score BETWEEN 0 AND 100),
            PRIMARY KEY (account_id, day)
        ) STRICT, WITHOUT ROWID""",
        "CREATE INDEX IF NOT EXISTS health_history_by_day "
        "ON health_history(day, account_id, score)",
        """CREATE TABLE IF NOT EXISTS today_snoozes (
            account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
            until TEXT NOT NULL,
            author TEXT,
            created_at TEXT NOT NULL
        ) STRICT""",
        # The last touch of an account (tickets aside) from the index alone: Today's cadence
        # and detractor rules and the health score's engagement read it for every account.
        "DROP INDEX IF EXISTS interactions_by_account",
        "CREATE INDEX interactions_by_account ON interactions(account_id, occurred_at, kind)",
    ])
    for table in ("tasks", "stage_history"):
        names = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if "author" not in names:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN author TEXT")


def _006_playbooks(conn: Connection) -> None:
    """Playbook runs (one per trigger event: the idempotence key) and each task's playbook.

    Written to be re-runnable (a book whose version was set back keeps what it has)."""
    task_columns = {row[1] for row in conn.execute("PRAGMA table_info(tasks)")}
    _run(conn, [
        """CREATE TABLE IF NOT EXISTS playbook_runs (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            playbook TEXT NOT NULL,
            trigger TEXT NOT NULL,
            run_key TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            UNIQUE (account_id, playbook, run_key)
        ) STRICT""",
        "CREATE INDEX IF NOT EXISTS playbook_runs_open "
        "ON playbook_runs(playbook, ended_at, account_id)",
        *[f"ALTER TABLE tasks ADD COLUMN {name} TEXT"
          for name in ("kind", "playbook", "playbook_run") if name not in task_columns],
        "CREATE INDEX IF NOT EXISTS tasks_by_playbook_run ON tasks(playbook_run)",
        # The renewal trigger (and Today) read the accounts renewing within N days.
        "CREATE INDEX IF NOT EXISTS accounts_by_renewal ON accounts(renewal_on)",
    ])


def _007_deals_payments(conn: Connection) -> None:
    """CRM deals (the purchase stage) and payments (invoices, orders, refunds, failures).

    Idempotent (IF NOT EXISTS): a book whose version was set back still opens."""
    _run(conn, [
        """CREATE TABLE IF NOT EXISTS deals (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            name TEXT,
            stage TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
            amount_cents INTEGER CHECK (amount_cents IS NULL OR amount_cents >= 0),
            currency TEXT NOT NULL DEFAULT 'USD',
            created_on TEXT,
            close_on TEXT,
            owner TEXT,
            type TEXT,
            source TEXT,
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX IF NOT EXISTS deals_by_account ON deals(account_id, close_on)",
        "CREATE INDEX IF NOT EXISTS deals_by_close ON deals(close_on, status)",
        """CREATE TABLE IF NOT EXISTS payments (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            amount_cents INTEGER NOT NULL,
            refunded_cents INTEGER CHECK (refunded_cents IS NULL OR refunded_cents >= 0),
            currency TEXT NOT NULL DEFAULT 'USD',
            status TEXT NOT NULL DEFAULT 'paid'
                CHECK (status IN ('paid', 'failed', 'refunded', 'pending')),
            attempted_at TEXT NOT NULL,
            paid_at TEXT,
            invoice_id TEXT,
            quantity INTEGER,
            description TEXT,
            kind TEXT CHECK (kind IS NULL OR kind IN ('recurring', 'one_off')),
            updated_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX IF NOT EXISTS payments_by_account ON payments(account_id, attempted_at)",
        "CREATE INDEX IF NOT EXISTS payments_by_time ON payments(attempted_at, status)",
    ])


def _008_current_stage_is_latest_move(conn: Connection) -> None:
    """Repair books whose imported stage history left accounts in another stage than their
    latest move: the account takes the stage (and the time) of its latest move."""
    conn.execute(
        "UPDATE accounts SET stage = m.to_stage, stage_entered_at = m.moved_at, "
        "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
        "FROM (SELECT account_id, to_stage, moved_at FROM (SELECT account_id, to_stage, "
        "moved_at, row_number() OVER (PARTITION BY account_id ORDER BY moved_at DESC, id DESC) "
        "AS n FROM stage_history) WHERE n = 1) m WHERE m.account_id = accounts.id "
        "AND m.to_stage IN (SELECT key FROM stages) "
        "AND (accounts.stage IS NOT m.to_stage OR accounts.stage_entered_at IS NOT m.moved_at)")


def _009_search_index(conn: Connection) -> None:
    """Full-text indexes (FTS5, kept current by triggers) over account names, interaction
    summaries, task titles and survey comments, for `retain search`.

    sqlite-utils (pinned) writes the index tables and their triggers; it is imported here, not
    at start-up, because it pulls in numpy when numpy is installed. Accounts are rewritten
    often (MRR, stage) and only their name is indexed: their update trigger fires only when
    the name changes, instead of re-indexing the row on every write.
    """
    import sqlite_utils

    db = sqlite_utils.Database(conn, recursive_triggers=False)
    tokenize = "unicode61 remove_diacritics 2"  # 'zurich' finds 'Zürich'
    for table, column in (("accounts", "name"), ("interactions", "summary"),
                          ("tasks", "title"), ("survey_answers", "comment")):
        db.table(table).enable_fts([column], create_triggers=True, tokenize=tokenize,
                                   replace=True)  # idempotent, as a re-run finds them
    _run(conn, [
        "DROP TRIGGER accounts_au",
        """CREATE TRIGGER accounts_au AFTER UPDATE OF name ON accounts BEGIN
          INSERT INTO accounts_fts (accounts_fts, rowid, name) VALUES('delete', old.rowid, old.name);
          INSERT INTO accounts_fts (rowid, name) VALUES (new.rowid, new.name);
        END""",
    ])


_LAST_TOUCH_OF = (
    "INSERT INTO account_last_touch (account_id, last_touch) "
    "SELECT {who}, m FROM (SELECT max(occurred_at) AS m FROM interactions "
    "WHERE account_id = {who} AND kind != 'ticket') "
    "WHERE m IS NOT NULL AND EXISTS (SELECT 1 FROM accounts WHERE id = {who})"
)
"""Re-derive one account's last touch from its interactions (nothing when it has none)."""


def _010_account_last_touch(conn: Connection) -> None:
    """Each account's last touch (latest interaction, tickets aside), kept by triggers on
    `interactions` in the writing transaction, and backfilled (Today's cadence rule reads it
    instead of grouping every interaction); an index of the failed payments for its billing
    rule. Re-runnable (IF NOT EXISTS, then a full rebuild)."""
    recompute = [f"DELETE FROM account_last_touch WHERE account_id = {who}.account_id; "
                 + _LAST_TOUCH_OF.format(who=f"{who}.account_id") + ";"
                 for who in ("OLD", "NEW")]
    _run(conn, [
        """CREATE TABLE IF NOT EXISTS account_last_touch (
            account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
            last_touch TEXT NOT NULL
        ) STRICT, WITHOUT ROWID""",
        "CREATE TRIGGER IF NOT EXISTS account_last_touch_insert AFTER INSERT ON interactions "
        "WHEN NEW.kind != 'ticket' BEGIN "
        "INSERT INTO account_last_touch (account_id, last_touch) "
        "VALUES (NEW.account_id, NEW.occurred_at) ON CONFLICT(account_id) DO UPDATE "
        "SET last_touch = excluded.last_touch WHERE excluded.last_touch > last_touch; END",
        "CREATE TRIGGER IF NOT EXISTS account_last_touch_delete AFTER DELETE ON interactions "
        f"WHEN OLD.kind != 'ticket' BEGIN {recompute[0]} END",
        "CREATE TRIGGER IF NOT EXISTS account_last_touch_update "
        "AFTER UPDATE OF account_id, kind, occurred_at ON interactions "
        f"BEGIN {recompute[0]} {recompute[1]} END",
        # Today's billing rule reads only the failed payments (a few percent of them).
        "CREATE INDEX IF NOT EXISTS payments_failed ON payments(account_id, attempted_at, "
        "amount_cents) WHERE status = 'failed'",
        "DELETE FROM account_last_touch",
        "INSERT INTO account_last_touch (account_id, last_touch) "
        "SELECT i.account_id, max(i.occurred_at) FROM interactions i "
        "WHERE i.kind != 'ticket' AND i.account_id IN (SELECT id FROM accounts) "
        "GROUP BY i.account_id",
    ])


MIGRATIONS: tuple[Migration, ...] = (
    _001_initial_schema, _002_imports, _003_account_months, _004_cancellations,
    _005_today, _006_playbooks, _007_deals_payments, _008_current_stage_is_latest_move,
    _009_search_index, _010_account_last_touch,
)
LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: Connection) -> int:
    """The schema version recorded in the file (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def stored_version(path: Path) -> int:
    """The schema version of the book at `path`, read without changing (or upgrading) it."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return schema_version(conn)
        finally:
            conn.close()
    except SQLITE_ERRORS as error:
        raise StoreError(f"{path}: cannot open as a SQLite database: {error}") from None


def _has_tables(conn: Connection) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return bool(row[0])


def _tables(conn: Connection) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]


def _fingerprint(conn: Connection) -> list[object]:
    """What a backup must share with the book to stand for it: the schema, its version and
    every table's row count."""
    facts: list[object] = [schema_version(conn), conn.execute(
        "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema ORDER BY name)"
    ).fetchone()[0]]
    for table in _tables(conn):
        facts.append((table, conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]))
    return facts


def _earlier_backup(conn: Connection, path: Path, version: int) -> Path | None:
    """A complete backup of this book at `version` left by an upgrade that was interrupted,
    if the book has not changed since (so a retry does not pile up full-size copies)."""
    here = _fingerprint(conn)
    for candidate in sorted(path.parent.glob(f"{path.name}.v{version}-*.bak"), reverse=True):
        if candidate.is_symlink() or not candidate.is_file():
            continue
        try:
            # immutable: read the copy as a plain file, making no -wal or -shm beside it
            copy = sqlite3.connect(f"{candidate.resolve().as_uri()}?mode=ro&immutable=1",
                                   uri=True)
            try:
                if _fingerprint(copy) == here:
                    return candidate
            finally:
                copy.close()
        except SQLITE_ERRORS:
            continue
    return None


def backup_copy(conn: Connection, path: Path, version: int) -> Path:
    """Copy the whole database, consistently, to a new 0600 file beside it; return its path.

    The copy is made under a hidden scratch name (created O_EXCL, never through a link) and
    renamed to `BOOK.vN-STAMP-XXXX.bak` once complete: a name no other copy can have, and a
    file that is whole whenever it carries that name.
    """
    stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.v{version}-{stamp}-",
                                    suffix=".bak.partial", dir=path.parent)
    os.close(handle)
    scratch = Path(name)
    try:
        destination = sqlite3.connect(str(scratch))
        try:
            conn.backup(destination)
            # One self-contained file: the copy of a WAL book would otherwise be in WAL mode.
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
        token = scratch.name.removesuffix(".bak.partial").rsplit("-", 1)[1]
        target = path.with_name(f"{path.name}.v{version}-{stamp}-{token}.bak")
        os.rename(scratch, target)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    return target


@contextmanager
def _upgrade_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `.BOOK.upgrading` beside the book: one upgrader at a time.

    The lock file is removed when the upgrade ends; a process that locked a file removed
    meanwhile tries again, so two processes never hold the lock on two different files.
    """
    if fcntl is None:  # no flock on this platform: the version check in each step remains
        yield
        return
    lock_path = path.with_name(f".{path.name}.upgrading")
    while True:
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            if os.stat(lock_path, follow_symlinks=False).st_ino == os.fstat(handle).st_ino:
                break
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)
    try:
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        os.close(handle)


def _remove_unfinished_backups(path: Path) -> None:
    """Delete scratch copies left by an upgrade that was killed while copying (lock held)."""
    for scratch in path.parent.glob(f".{path.name}.v*-*.bak.partial"):
        scratch.unlink(missing_ok=True)


def migrate(
    conn: Connection, path: Path, migrations: tuple[Migration, ...] = MIGRATIONS
) -> Path | None:
    """Bring the file at `path` up to the latest schema; return the backup path if one was made.

    One process upgrades at a time (a lock file beside the book); the others wait, then find
    the book upgraded. Before upgrading an older book a backup copy is kept, once: an upgrade
    that was interrupted reuses the copy it left. Every step runs in one BEGIN IMMEDIATE
    transaction, so a failure leaves the file at its old version, untouched.
    """
    latest = len(migrations)
    current = schema_version(conn)
    if current > latest:
        raise SchemaTooNew(
            f"{path}: written by a newer retain (schema version {current}; this one knows "
            f"up to {latest}); upgrade retain to open it. The file was not changed."
        )
    if current == latest:
        return None
    with _upgrade_lock(path):
        current = schema_version(conn)  # another process may have upgraded it meanwhile
        if current == latest:
            return None
        if current == 0 and _has_tables(conn):
            raise StoreError(
                f"{path}: is a SQLite file but not a retain database; refusing to change it"
            )
        backup = None
        if current > 0:
            _remove_unfinished_backups(path)
            backup = _earlier_backup(conn, path, current) or backup_copy(conn, path, current)
        _run_steps(conn, path, migrations, current, backup)
    return backup


def _run_steps(conn: Connection, path: Path, migrations: tuple[Migration, ...], current: int,
               backup: Path | None) -> None:
    """Run the steps after `current` in one transaction, each with its `user_version` bump."""
    version = current
    try:
        with immediate(conn, path):
            if schema_version(conn) != current:  # upgraded meanwhile (a platform without flock)
                return
            for version in range(current + 1, len(migrations) + 1):
                migrations[version - 1](conn)
                conn.execute(f"PRAGMA user_version = {version}")
    except SQLITE_ERRORS as error:
        where = f"; the backup is at {backup}" if backup else ""
        raise MigrationFailed(
            f"{path}: migration {version} ({migrations[version - 1].__name__}) failed: "
            f"{error}. The database is unchanged at version {current}{where}."
        ) from None
