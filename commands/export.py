"""`retain export KIND`: every row of one kind as CSV, JSON or JSON Lines."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated

import typer

from commands.context import DbOption, open_store
from commands.errors import EXIT_FAILED, EXIT_NOT_FOUND, fail
from commands.output import csv_cell, is_terminal, json_for, plain
from store.display import visible
from store.models import Record
from store.private_files import write_privately
from store.rows import KIND_MODELS as KINDS

ExportKind = StrEnum("ExportKind", {name: name for name in KINDS})  # type: ignore[misc]


class ExportFormat(StrEnum):
    """File formats `export` writes."""

    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


def _cell(value: object) -> object:
    value = plain(value)
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return value


def _write(records, model: type[Record], fmt: ExportFormat, stream: IO[str]) -> int:  # type: ignore[no-untyped-def]
    names = list(model.model_fields)
    terminal = is_terminal(stream)
    count = 0
    if fmt == ExportFormat.CSV:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(names)
    elif fmt == ExportFormat.JSON:
        stream.write("[")
    for record in records:
        values = record.model_dump()
        if fmt == ExportFormat.CSV:
            writer.writerow([csv_cell(_cell(values[n]), terminal=terminal) for n in names])
        else:
            line = json_for(stream, json.dumps({n: plain(values[n]) for n in names},
                                               ensure_ascii=False))
            if fmt == ExportFormat.JSON:
                stream.write(("," if count else "") + "\n  " + line)
            else:
                stream.write(line + "\n")
        count += 1
    if fmt == ExportFormat.JSON:
        stream.write("\n]\n" if count else "]\n")
    return count


def export(
    ctx: typer.Context,
    kind: Annotated[ExportKind, typer.Argument(help="What to export.")],  # type: ignore[valid-type]
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")] = ExportFormat.CSV,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output if it exists.")] = False,
    db: DbOption = None,
) -> None:
    """Export one kind as CSV, JSON or JSON Lines.

    In CSV, text cells starting with = + - or @ get a leading ' so that a spreadsheet shows
    them instead of running them.
    """
    model = KINDS[kind.value]
    if output is not None and os.path.lexists(output) and not force:
        raise fail(f"{visible(str(output))} exists; pass --force to overwrite it")
    with open_store(ctx, db) as store:
        store.catch_up_mrr()
        records = store.export_rows(model)
        if output is None:
            _write(records, model, fmt, sys.stdout)
            return
        count = _write_file(output, force, lambda stream: _write(records, model, fmt, stream))
    typer.echo(f"Exported {count:,} {kind.value} to {visible(str(output))}", err=True)


def _write_file(output: Path, force: bool, write: Callable[[IO[str]], int]) -> int:
    """Write `output` privately (0600, via a scratch file); one line naming it on failure."""
    shown = visible(str(output))
    try:
        return write_privately(output, write, replace=force)
    except FileExistsError:
        raise fail(f"{shown} exists; pass --force to overwrite it") from None
    except OSError as error:  # a missing folder is "not found", like a missing input file
        code = EXIT_NOT_FOUND if isinstance(error, FileNotFoundError) else EXIT_FAILED
        raise fail(f"cannot write {shown}: {error.strerror}; nothing was written and no "
                   "partial file was left", code) from None
