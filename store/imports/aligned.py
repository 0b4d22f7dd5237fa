"""Space-aligned text tables: columns lined up with runs of spaces, as reports and old systems print them."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from store.errors import InvalidInput

if TYPE_CHECKING:
    from store.imports.sources import Source

_WIDE = re.compile(r" {2,}")
"""Columns apart by two spaces or more: a cell may hold one space (`Acme Corp`)."""
_ANY = re.compile(r"\s+")
"""Columns apart by any run of spaces: no cell holds a space."""
_RULE = re.compile(r"^[\s=\-+|_]+$")
"""A ruled line under the header (`-----  ----`), left out."""
_CSV_DELIMITERS = (",", ";", "\t", "|")


def split_pattern(sample: str) -> re.Pattern[str] | None:
    """How to split the sample's lines when it is a space-aligned table, else None (CSV)."""
    lines = [line for line in sample.splitlines()[:21]
             if line.strip() and not _RULE.match(line)]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut short
    if len(lines) < 2 or any(mark in lines[0] for mark in _CSV_DELIMITERS):
        return None
    for pattern in (_WIDE, _ANY):
        counts = [len(pattern.split(line.strip())) for line in lines]
        if counts[0] >= 2 and all(count == counts[0] for count in counts):
            return pattern
    return None


def open_aligned(source: Source, stream: IO[str], pattern: re.Pattern[str]) -> None:
    """Fill `source`'s headers and records from a space-aligned table."""
    name = source.name
    numbered = enumerate(stream, start=1)

    def lines() -> Iterator[tuple[int, str]]:
        try:
            for number, line in numbered:
                if line.strip() and not _RULE.match(line):
                    yield number, line.strip()
        except UnicodeDecodeError:
            raise InvalidInput(f"{name}: not valid {source.encoding} text; pass --encoding "
                               "(for example --encoding latin-1)") from None
        except (OSError, EOFError, zlib.error) as error:
            raise InvalidInput(f"{name}: cannot read: {error}") from None

    rows = lines()
    first = next(rows, None)
    if first is None:
        raise InvalidInput(f"{name}: is empty (no header row)")
    source.headers = [cell.lstrip("\ufeff") for cell in pattern.split(first[1])]
    source.notes.append(f"{name}: read as a space-aligned table "
                        f"({len(source.headers)} columns)")

    def records() -> Iterator[tuple[int, list[Any]]]:
        for number, line in rows:
            yield number, pattern.split(line)

    source.records = records()
