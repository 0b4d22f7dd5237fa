"""`retain import KIND FILE...` and `retain imports`: bring other tools' exports into the book."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from enum import StrEnum
from typing import Annotated, Any

import typer

from commands.context import DbOption, open_store
from commands.errors import EXIT_NOT_FOUND, EXIT_USAGE, fail
from commands.output import Column, JsonOption, emit
from store.display import visible
from store.imports.kinds import KINDS
from store.imports.presets import PRESETS

ImportKind = StrEnum("ImportKind", {name: name for name in KINDS})  # type: ignore[misc]


def _progress_bar() -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(),
                   TextColumn("{task.fields[rows]:,} rows, {task.fields[rate]:,.0f} rows/s"),
                   TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("reading", total=None, rows=0, rate=0.0)
    started: dict[str, float] = {}

    def update(phase: str, rows: int, done: int, total: int | None) -> None:
        now = time.monotonic()
        start = started.setdefault(phase, now)
        rate = rows / (now - start) if now > start else 0.0
        bar.update(task, description="reading" if phase == "read" else "writing",
                   completed=done, total=total, rows=rows, rate=rate)

    return bar, update


def _summary(report: Any) -> str:
    parts = []
    for file in report.files:
        counts = (f"{file.rows:,} rows: {file.new:,} new, {file.updated:,} updated, "
                  f"{file.unchanged:,} unchanged, {file.rejected:,} rejected")
        if file.blank_accounts:
            counts += f" ({file.blank_accounts:,} with a blank account)"
        if file.skipped:
            counts += f", {file.skipped:,} skipped"
        if file.stage_moves:
            counts += f", {file.stage_moves:,} stage moves"
        if file.repeated:
            counts += (f" ({file.repeated:,} repeat an earlier row: kept as separate "
                       f"{_FACTS.get(report.kind, 'rows')})")
        parts.append(f"{visible(file.file)}: {counts}")
    verb = "would import" if report.dry_run else "imported"
    line = f"{report.kind}: {verb} " + "; ".join(parts)
    if report.accounts_created:
        line += f"; {report.accounts_created:,} accounts created"
    if report.stages_set:
        line += f"; {report.stages_set:,} accounts now in the stage of their latest move"
    if report.playbook_runs:
        line += (f"; {report.playbook_runs:,} playbook runs started "
                 f"({report.playbook_tasks:,} tasks)")
    return line


_FACTS = {"interactions": "interactions", "surveys": "answers", "tasks": "tasks",
          "usage": "usage rows, whose events add up", "spend": "spend rows, which add up"}


def _fields_of(kind: str) -> str:
    """The fields a file of `kind` may map, for `retain import --fields KIND`."""
    from store.imports.fields_help import describe_fields

    return describe_fields(kind)


def _show_fields(value: str | None) -> None:
    if value is None:
        return
    if value not in KINDS:
        raise fail(f"--fields {value!r}: kinds are {', '.join(KINDS)}")
    typer.echo(_fields_of(value))
    raise typer.Exit(0)


def import_(
    ctx: typer.Context,
    kind: Annotated[ImportKind, typer.Argument(metavar="KIND", help="What the files hold.")],  # type: ignore[valid-type]
    files: Annotated[list[str], typer.Argument(metavar="FILE", help="CSV, JSON or JSON Lines files (gzip ok); - for stdin.")],
    fields: Annotated[str | None, typer.Option("--fields", metavar="KIND", is_eager=True, callback=_show_fields, help="List the fields a file of KIND may map, and exit.")] = None,
    preset: Annotated[str | None, typer.Option(metavar="NAME", help=f"A tool's export layout: {', '.join(sorted(PRESETS))}.")] = None,
    maps: Annotated[list[str] | None, typer.Option("--map", metavar="SOURCE=FIELD", help="Map a column to a field (FIELD '-' ignores it; a column may feed several fields); --fields KIND lists them.")] = None,
    mapping: Annotated[str | None, typer.Option(metavar="NAME", help="Use a mapping saved with --save-mapping.")] = None,
    save_mapping: Annotated[str | None, typer.Option(metavar="NAME", help="Save this preset and --map under a name.")] = None,
    encoding: Annotated[str | None, typer.Option(metavar="ENC", help="The files' encoding (default: UTF-8, else guessed).")] = None,
    delimiter: Annotated[str | None, typer.Option(metavar="D", help="The CSV delimiter: one character, tab, space, or aligned (columns lined up with spaces); default: sniffed.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the mapping and what would change; write nothing.")] = False,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Write the good rows; put rejected ones in FILE.rejects.csv (FILE is the whole input name).")] = False,
    create_accounts: Annotated[bool, typer.Option("--create-accounts", help="Add accounts the rows name that the book lacks.")] = False,
    account: Annotated[str | None, typer.Option(metavar="KEY", help="The account every row belongs to (files without an account column).")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import exports (billing, CRM, support, surveys); re-importing the same file changes nothing."""
    from store.imports.mapping import merge_overrides, parse_overrides
    from store.imports.runner import ImportRejected, ImportRequest, import_files
    from store.imports.saved import SavedMapping, check_can_save, load_mapping
    from store.imports.sources import delimiter_option

    overrides = parse_overrides(maps or [])
    if mapping:
        saved = load_mapping(mapping)
        if saved.kind != kind.value:
            raise fail(f"mapping {mapping!r} is for {saved.kind}, not {kind.value}")
        preset = preset or saved.preset
        overrides = merge_overrides(saved.overrides, overrides)
    if save_mapping:
        check_can_save(save_mapping)  # before importing: a committed import never "fails" later
    if delimiter is not None:
        delimiter_option(delimiter)
    if "-" in files and len(files) > 1:
        raise fail("standard input (-) cannot be combined with other files")
    request = ImportRequest(kind.value, files, preset, overrides, encoding, dry_run,
                            skip_invalid, create_accounts, account, delimiter)
    show_bar = sys.stderr.isatty() and not as_json
    with open_store(ctx, db) as store:
        bar, update = _progress_bar() if show_bar else (None, None)
        try:
            if bar is not None:
                bar.start()
            report = import_files(store, request, update)
        except ImportRejected as rejected:
            if bar is not None:
                bar.stop()
            if as_json:
                typer.echo(json.dumps(asdict(rejected.report) | {"ok": False}, indent=2))
            for line in rejected.report.errors:
                typer.echo(visible(line), err=True)
            for file in rejected.report.files:
                if file.rejects_file:
                    typer.echo(f"retain: {file.rejected:,} rejected rows written to "
                               f"{visible(file.rejects_file)}", err=True)
            raise fail(str(rejected), EXIT_USAGE) from None
        except FileNotFoundError as missing:
            raise fail(f"{missing.filename}: no such file", EXIT_NOT_FOUND) from None
        except UnicodeDecodeError as error:
            raise fail(f"cannot decode the input as {error.encoding}; pass --encoding") from None
        finally:
            if bar is not None:
                bar.stop()
    if save_mapping:
        _save_after(save_mapping, SavedMapping(kind.value, preset, overrides), dry_run)
    if as_json:
        ok = not (report.error_count and not skip_invalid)
        typer.echo(json.dumps(asdict(report) | {"ok": ok}, indent=2))
        if not ok:
            raise typer.Exit(EXIT_USAGE)
        return
    if dry_run:
        for file in report.files:
            typer.echo(f"{visible(file.file)} ({file.format}, {file.encoding}):")
            for line in file.mapping:
                typer.echo(f"  {visible(line)}")
        for line in report.errors:
            typer.echo(visible(line), err=True)
        if report.every_row_rejected:
            typer.echo(_summary(report))
            raise fail(f"every row would be rejected ({report.error_count:,}); nothing would be "
                       "imported")
        if report.error_count and not skip_invalid:
            typer.echo(_summary(report))
            raise fail(f"{report.error_count:,} invalid row(s): this import would write nothing "
                       "(--skip-invalid would write the rest)")
    for file in report.files:
        for note in file.notes:
            typer.echo(f"retain: {visible(note)}", err=True)
        if file.rejects_file:
            kept = (f" (an earlier {visible(file.rejects_kept[-1])} was left as it was)"
                    if file.rejects_kept else "")
            typer.echo(f"retain: {file.rejected:,} rejected rows written to "
                       f"{visible(file.rejects_file)}{kept}", err=True)
        if file.previously_imported_at and not file.new and not file.updated:
            typer.echo(f"retain: {visible(file.file)}: nothing changed (same file imported at "
                       f"{file.previously_imported_at})", err=True)
    typer.echo(_summary(report))


def _save_after(name: str, mapping: Any, dry_run: bool) -> None:
    """Save the mapping once the import is committed; a failure now is a warning, not exit 2."""
    from store.errors import StoreError
    from store.imports.saved import save_mapping

    try:
        path = save_mapping(name, mapping)
    except (StoreError, OSError) as error:
        done = "nothing was written" if dry_run else "the import was written"
        typer.echo(f"retain: {done}, but mapping {name!r} was not saved: "
                   f"{visible(str(error))}", err=True)
        return
    typer.echo(f"saved mapping {name!r} in {visible(str(path))}", err=True)


_IMPORT_FIELDS = ("id", "kind", "file_name", "sha256", "preset", "rows_read", "new_count",
                  "updated_count", "unchanged_count", "rejected_count", "skipped_count", "status",
                  "started_at", "finished_at")
_IMPORT_TABLE = [
    Column("started_at", "Started"), Column("kind", "Kind"), Column("file_name", "File"),
    Column("rows_read", "Rows", justify="right"), Column("new_count", "New", justify="right"),
    Column("updated_count", "Updated", justify="right"),
    Column("unchanged_count", "Same", justify="right"),
    Column("rejected_count", "Rejected", justify="right"), Column("status", "Status"),
    Column("sha256", "SHA-256", show=lambda value: value[:12]),
]


def imports(ctx: typer.Context, as_json: JsonOption = False, db: DbOption = None) -> None:
    """List past imports, newest first: file, sha256, kind, counts, when."""
    from store.imports.runner import list_imports

    with open_store(ctx, db) as store:
        rows = list_imports(store)
    columns = [Column(name, name) for name in _IMPORT_FIELDS] if as_json else _IMPORT_TABLE
    emit(rows, columns, as_json=as_json, title="Imports")
