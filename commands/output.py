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


def is_terminal(stream: Any) -> bool:
    """True when `stream` is a terminal, where text must be shown, never acted on."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed, or not a real file
        return False


def _json_escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:  # JSON spells these as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_for(stream: Any, text: str) -> str:
    """JSON text unchanged for files and pipes; for a terminal, every character `visible()`
    would replace is written as a `\\u` escape instead (the same JSON, nothing to act on)."""
    if not is_terminal(stream):
        return text
    return "".join(char if char in "\n\t" or visible(char) == char else _json_escape(char)
                   for char in text)


def print_json(document: Any) -> None:
    """Print `document` as indented JSON on stdout (escaped as `json_for` says on a terminal)."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    typer.echo(json_for(sys.stdout, text))


def csv_cell(value: Any, *, figure: bool = False, terminal: bool = False) -> Any:
    """One CSV cell: nested values (a KPI's inputs) as JSON, text guarded against formulas;
    for a `terminal`, text is shown as `visible()` shows it (raw bytes only to files and pipes)."""
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        cell: Any = json.dumps(value, ensure_ascii=False, default=str)
    else:
        cell = neutralise(plain(value), figure=figure)
    return visible(cell) if terminal and isinstance(cell, str) else cell


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
    terminal = is_terminal(stream)
    for row in rows:
        writer.writerow([csv_cell(row[n], figure=n in figures, terminal=terminal)
                         for n in names])


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
        print_json([{n: plain(row[n]) for n in names} for row in rows])
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
