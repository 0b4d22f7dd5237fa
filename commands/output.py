"""Print lists the way scripts and people want them: a table, `--json` or `--csv`."""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from store.clock import format_timestamp
from store.display import visible

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (stable field names).")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\$?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?%?")
"""A number as the tables show it (-35.9, +1,234, -$300, 4.2%): a spreadsheet reads it as a
number, never as a formula, so the guard leaves it alone."""

FILE_WIDTH = 10_000
"""Tables written to a file or a pipe are as wide as they need (no terminal wraps them)."""


@dataclass(frozen=True)
class Column:
    """A field of the output: its JSON/CSV name, its table heading, how to show it in a table."""

    name: str
    heading: str
    show: Callable[[Any], str] = lambda value: "" if value is None else str(value)
    justify: str = "left"
    in_table: bool = True
    """False for fields that only `--json` and `--csv` carry."""
    figure: bool = False
    """A figure retain formatted (-35.9, +4.2%), never user text: CSV leaves its sign alone."""


def plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO text, timestamps as UTC `Z`, enums as their value."""
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def neutralise(value: Any, *, figure: bool = False) -> Any:
    """Stop a spreadsheet from running a text cell as a formula (prefix it with `'`).

    Text from users is always guarded, even `+1` (a spreadsheet would turn the name into a
    number); a `figure` retain formatted itself, such as -35.9, is left as it is.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS) \
            and not (figure and _NUMBER.fullmatch(value)):
        return "'" + value
    return value


def csv_cell(value: Any, *, figure: bool = False) -> Any:
    """One CSV cell: nested values (a KPI's inputs) as JSON, text guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return neutralise(plain(value), figure=figure)


def console() -> Console:
    """A console for stdout: colour only on a terminal and without NO_COLOR; never markup."""
    terminal = sys.stdout.isatty()
    return Console(
        no_color=bool(os.environ.get("NO_COLOR")) or not terminal,
        highlight=False,
        markup=False,
        emoji=False,
        width=None if terminal else FILE_WIDTH,
        soft_wrap=False,
    )


def write_csv(rows: Sequence[dict[str, Any]], names: Sequence[str], stream: Any,
              figures: frozenset[str] = frozenset()) -> None:
    """CSV with a header; text cells neutralised against formula injection (`figures` names
    the columns retain formatted itself)."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([csv_cell(row[n], figure=n in figures) for n in names])


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    as_json: bool = False,
    as_csv: bool = False,
    title: str | None = None,
) -> None:
    """Print `rows` as JSON, CSV, or a table whose cells are shown literally."""
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv")
    names = [column.name for column in columns]
    if as_json:
        typer.echo(json.dumps([{n: plain(row[n]) for n in names} for row in rows],
                              ensure_ascii=False, indent=2))
        return
    if as_csv:
        write_csv(rows, names, sys.stdout,
                  frozenset(column.name for column in columns if column.figure))
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    columns = [column for column in columns if column.in_table]
    for column in columns:
        table.add_column(column.heading, justify=column.justify, overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(Text(visible(column.show(row[column.name]))) for column in columns))
    out = console()
    if title:  # on its own line: as a table title it wraps to the width of narrow tables
        out.print(Text(visible(title), style="italic"))
    out.print(table)
