"""`import_files`: read and validate every input first, then write it all in one transaction."""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from store.clock import utc_now
from store.current_stage import keep_to_latest_move
from store.database import Connection
from store.errors import InvalidInput
from store.ids import new_id
from store.imports.context import BookFacts, require_account
from store.imports.kinds import KINDS
from store.imports.mapping import Overrides
from store.imports.preset import Preset
from store.imports.presets import get_preset
from store.imports.reading import Progress, ReadResult, read_file
from store.imports.sources import open_source
from store.imports.writing import Counts, create_accounts, write_file
from store.lifecycle import LifecycleModel
from store.playbooks.definitions import PlaybookSet
from store.playbooks.firing import after_import


class Book(Protocol):
    """What an import needs of a book: `store.Store` has it (imports never import the Store)."""

    @property
    def conn(self) -> Connection: ...

    def lifecycle(self) -> LifecycleModel: ...

    def transaction(self) -> AbstractContextManager[Connection]: ...

    def refresh_mrr(self, conn: Connection, account_ids: Sequence[str],
                    on: date | None = None) -> None: ...

    def checkpoint(self) -> None: ...

    def playbooks(self) -> PlaybookSet: ...


@dataclass
class ImportRequest:
    """Everything `retain import` was asked to do."""

    kind: str
    files: list[str]
    preset: str | None = None
    overrides: Overrides = field(default_factory=list)
    encoding: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    create_accounts: bool = False
    account: str | None = None
    delimiter: str | None = None
    """The CSV delimiter (one character, `tab`, `space` or `aligned`); sniffed when None."""


@dataclass
class FileReport:
    """The outcome for one input file."""

    file: str
    sha256: str
    format: str
    encoding: str
    mapping: list[str]
    rows: int
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    stage_moves: int = 0
    rejects_file: str | None = None
    rejects_kept: list[str] = field(default_factory=list)
    """Earlier rejects files of the same name, left alone (the new one took the next name)."""
    repeated: int = 0
    """Rows repeating an earlier row of the file (no id of their own), kept as separate facts."""
    blank_accounts: int = 0
    notes: list[str] = field(default_factory=list)
    previously_imported_at: str | None = None


@dataclass
class ImportReport:
    """The outcome of one `retain import` run."""

    kind: str
    dry_run: bool
    files: list[FileReport]
    errors: list[str]
    error_count: int
    accounts_created: int = 0
    stages_set: int = 0
    """Accounts whose current stage became the latest move of an imported stage history."""
    written: bool = False
    started_at: str = ""
    finished_at: str = ""
    write_seconds: float = 0.0
    """How long the write lock was held."""
    every_row_rejected: bool = False
    """Rows were rejected and none was valid: nothing is (or would be) imported."""
    playbook_runs: int = 0
    """Playbook runs the import started (stage changes, detractor answers)."""
    playbook_tasks: int = 0
    """Tasks those runs opened."""


class ImportRejected(InvalidInput):
    """All-or-nothing import refused because rows were invalid; nothing was written."""

    def __init__(self, report: ImportReport, every_row: bool = False) -> None:
        more = report.error_count - len(report.errors)
        blank = sum(file.blank_accounts for file in report.files)
        if every_row:
            message = (f"every row was rejected ({report.error_count:,}); nothing was imported")
        else:
            message = f"{report.error_count} invalid row(s); nothing was written"
        details = [f"{blank:,} with a blank account"] if blank else []
        if more > 0:
            details.append(f"{more} more not shown")
        super().__init__(message + (f" ({'; '.join(details)})" if details else ""))
        self.report = report


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def _file_report(result: ReadResult) -> FileReport:
    source = result.source
    return FileReport(
        file=source.name, sha256=source.sha256(), format=source.format,
        encoding=source.encoding, mapping=result.mapping.describe(), rows=result.rows_read,
        rejected=result.error_count, skipped=result.skipped,
        rejects_file=str(result.rejects_path) if result.rejects_path else None,
        rejects_kept=[str(path) for path in result.rejects_kept], repeated=result.repeated,
        blank_accounts=result.blank_accounts, notes=list(source.notes),
    )


def import_files(store: Book, request: ImportRequest, progress: Progress | None = None) -> ImportReport:
    """Import `request.files` as `request.kind`: validate all, then write all or nothing."""
    kind = KINDS.get(request.kind)
    if kind is None:
        raise InvalidInput(f"unknown kind {request.kind!r}; kinds: {', '.join(KINDS)}")
    preset: Preset | None = get_preset(request.preset, kind.name) if request.preset else None
    started = utc_now()
    now = started.strftime("%Y-%m-%dT%H:%M:%SZ")
    lifecycle = store.lifecycle()
    playbooks = store.playbooks()  # a bad playbooks.toml refuses the import before any work
    conn = store.conn
    constants: dict[str, Any] = {}
    if request.account is not None:
        if not kind.owned:
            raise InvalidInput(f"--account applies to kinds that belong to an account, not {kind.name}")
        constants["account_id"] = require_account(conn, request.account, request.create_accounts)
    elif preset is not None and preset.needs_account:
        raise InvalidInput(f"preset {preset.name!r}: the file names no account; pass --account KEY")
    facts = BookFacts(conn, lifecycle.keys, lifecycle.customer_from, started.date().isoformat(),
                      request.create_accounts, constants.get("account_id"),
                      {stage.key: stage.label for stage in lifecycle.stages})
    results: list[ReadResult] = []
    for name in request.files:
        source = open_source(name, request.encoding, kind.name, request.delimiter)
        try:
            result = read_file(source, kind, preset, request.overrides, facts,
                               constants=constants, now=now, progress=progress,
                               keep_rejects=request.skip_invalid and not request.dry_run)
        finally:
            source.close()
        results.append(result)
    reports = [_file_report(result) for result in results]
    errors = [str(error) for result in results for error in result.errors][:20]
    report = ImportReport(kind.name, request.dry_run, reports, errors,
                          sum(result.error_count for result in results), started_at=now)
    every_row = report.error_count and not any(result.valid for result in results)
    report.every_row_rejected = bool(every_row)
    if report.error_count and (every_row or not request.skip_invalid) and not request.dry_run:
        for result in results:
            result.spool.close()
        raise ImportRejected(report, every_row=bool(every_row and request.skip_invalid))
    for file_report in reports:
        row = conn.execute(
            "SELECT finished_at FROM imports WHERE sha256 = ? AND kind = ? AND status = 'ok' "
            "ORDER BY finished_at DESC LIMIT 1", (file_report.sha256, kind.name)).fetchone()
        file_report.previously_imported_at = row[0] if row else None
    lock_taken = time.perf_counter()
    try:
        with store.transaction() as tx:
            if facts.missing_accounts:
                report.accounts_created = create_accounts(
                    tx, facts.missing_accounts, lifecycle.customer_from, now,
                    record_entry=kind.name != "stages")
            touched: set[str] = set()
            for result, file_report in zip(results, reports, strict=True):
                counts: Counts = write_file(tx, result, kind, lifecycle.customer_from, now, progress)
                file_report.new, file_report.updated = counts.new, counts.updated
                file_report.unchanged, file_report.stage_moves = counts.unchanged, counts.stage_moves
                touched |= result.touched_accounts
            if touched and kind.name == "stages":
                report.stages_set = keep_to_latest_move(tx, now, touched)
            if touched and kind.name == "subscriptions":
                store.refresh_mrr(tx, sorted(touched))
            fired = after_import(tx, playbooks, kind.name, now, started.date())
            report.playbook_runs, report.playbook_tasks = fired.run_count, fired.tasks
            report.finished_at = utc_now().strftime("%Y-%m-%dT%H:%M:%SZ")
            if request.dry_run:
                raise _DryRun
            for file_report in reports:
                _record(tx, kind.name, request.preset, file_report, now, report.finished_at)
    except _DryRun:
        pass
    finally:
        report.write_seconds = round(time.perf_counter() - lock_taken, 3)
        for result in results:
            result.spool.close()
    report.written = not request.dry_run
    if report.written and sum(r.new + r.updated for r in reports) > 10_000:
        store.checkpoint()
    return report


def _record(conn: Any, kind: str, preset: str | None, report: FileReport, started: str,
            finished: str) -> None:
    conn.execute(
        "INSERT INTO imports (id, kind, file_name, sha256, preset, rows_read, new_count, "
        "updated_count, unchanged_count, rejected_count, skipped_count, status, started_at, "
        "finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (new_id(), kind, report.file, report.sha256, preset, report.rows, report.new,
         report.updated, report.unchanged, report.rejected, report.skipped,
         "ok" if not report.rejected else "partial", started, finished))


def list_imports(store: Book, limit: int = 100) -> list[dict[str, Any]]:
    """The most recent imports, newest first."""
    cursor = store.conn.execute(
        "SELECT * FROM imports ORDER BY started_at DESC, id DESC LIMIT ?", [limit])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
