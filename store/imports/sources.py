"""Open an input (path or `-`), undo gzip, pick the encoding, and stream its records with line numbers."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from store.errors import InvalidInput
from store.imports.json_sources import open_json
from store.imports.source_file import HashingReader, Source, decode_error

FIELD_SIZE_LIMIT = 32 * 1024 * 1024
"""The largest single CSV cell read (32 MiB); larger cells are reported, not loaded."""
SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
ALIGNED = "aligned"
"""Columns lined up with runs of spaces (a report printed as text), not one delimiter."""
_DELIMITER_WORDS = {"tab": "\t", "\\t": "\t", "space": " ", "comma": ",", "semicolon": ";",
                    "pipe": "|", ALIGNED: ALIGNED}
_CELL = re.compile(r"\S+(?: \S+)*")
"""Text between runs of two or more spaces (one space stays inside a cell)."""
csv.field_size_limit(FIELD_SIZE_LIMIT)


class _NulWatch(io.RawIOBase):
    """Passes decompressed bytes through and remembers whether any NUL byte went by."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.seen_nul = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        if not self.seen_nul and b"\x00" in data:
            self.seen_nul = True
        return size


def _raw_stream(name: str) -> tuple[IO[bytes], Path | None, int | None]:
    if name == "-":
        return sys.stdin.buffer, None, None
    path = Path(name)
    if not path.exists():
        raise FileNotFoundError(2, "No such file", name)
    if path.is_dir():
        raise InvalidInput(f"{name}: is a directory, not a file to import")
    return path.open("rb"), path, path.stat().st_size


def _guess_encoding(sample: bytes, name: str) -> tuple[str, list[str]]:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", []
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8-sig", []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise InvalidInput(f"{name}: is not UTF-8 text and its encoding cannot be guessed; "
                           "pass --encoding (for example --encoding latin-1)")
    return best.encoding, [f"{name}: not UTF-8; read as {best.encoding} (a guess; "
                           "pass --encoding to choose)"]


def _format_of(name: str, sample: str) -> str:
    lowered = name.lower().removesuffix(".gz")
    for suffix, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "json"),
                        (".csv", "csv"), (".tsv", "csv"), (".txt", "csv")):
        if lowered.endswith(suffix):
            return fmt
    stripped = sample.lstrip()
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        first = stripped.split("\n", 1)[0]
        try:
            json.loads(first)
            return "jsonl"
        except (ValueError, RecursionError):
            return "json"
    return "csv"


def _sniff_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut short
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for count in counts if count == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    if best_score == (0, 0) and lines and len(_CELL.findall(lines[0])) > 1:
        return ALIGNED  # no delimiter splits the header, runs of spaces do
    return best


def delimiter_option(value: str) -> str:
    """The delimiter `--delimiter VALUE` names: one character, or tab, space, comma... aligned."""
    word = _DELIMITER_WORDS.get(value.strip().lower(), value)
    if word != ALIGNED and (len(word) != 1 or word in "\"\r\n"):
        raise InvalidInput(f"--delimiter {value!r}: give one character, or tab, space or "
                           "aligned (columns separated by runs of spaces)")
    return word


def open_source(name: str, encoding: str | None = None, kind: str | None = None,
                delimiter: str | None = None) -> Source:
    """Open `name` (`-` is standard input) and return its headers and a record stream."""
    if delimiter is not None:
        delimiter = delimiter_option(delimiter)
    raw, path, size = _raw_stream(name)
    hasher = HashingReader(raw)
    buffered: io.BufferedReader[Any] = io.BufferedReader(hasher, buffer_size=SAMPLE_BYTES)
    if buffered.peek(2)[:2] == b"\x1f\x8b":
        buffered = io.BufferedReader(gzip.GzipFile(fileobj=buffered, mode="rb"),
                                     buffer_size=SAMPLE_BYTES)
    watch = _NulWatch(buffered)
    binary = io.BufferedReader(watch, buffer_size=SAMPLE_BYTES)
    try:
        sample = binary.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
    except (OSError, EOFError, zlib.error) as error:
        raise InvalidInput(f"{name}: cannot read: {error}") from None
    notes: list[str] = []
    if encoding is None:
        encoding, notes = _guess_encoding(sample, name)
    else:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidInput(f"unknown encoding {encoding!r}") from None
    stream = io.TextIOWrapper(binary, encoding=encoding, newline="")
    try:
        text_sample = sample.decode(encoding, errors="ignore").lstrip("\ufeff")
    except LookupError:
        raise InvalidInput(f"unknown encoding {encoding!r}") from None
    fmt = _format_of(name, text_sample)
    if delimiter is not None and fmt != "csv":
        raise InvalidInput(f"{name}: --delimiter is for delimited text, and this is {fmt.upper()}")
    source = Source(name=name, path=path, format=fmt, encoding=encoding, headers=[],
                    records=iter(()), hasher=hasher, total_bytes=size, notes=notes,
                    sample=bytes(sample))
    if fmt == "csv":
        _open_csv(source, stream, watch, text_sample, delimiter)
    else:
        open_json(source, stream, kind)
    return source


_RULED = re.compile(r"^[\s=\-+|_]+$")
"""A line drawn with dashes or equals signs (`------  ----`): not a row."""


def _nearness(start: int, end: int, column: tuple[int, int, str]) -> tuple[int, int]:
    """How well a cell spanning [start, end) sits under a header cell: the most overlap first,
    then the smallest gap."""
    overlap = min(end, column[1]) - max(start, column[0])
    gap = max(column[0] - end, start - column[1], 0)
    return (-overlap, gap)


def _aligned_reader(stream: IO[str]) -> Any:
    """Rows of a text report whose columns are lined up with spaces, placed under the header.

    A cell is text between runs of two or more spaces. A row with as many cells as the header is
    read in order; a shorter one (blank cells) places each cell under the header cell it overlaps
    or lies nearest, so blank cells and right-aligned numbers land in their own columns.
    """

    class Reader:
        line_num = 0

        def __iter__(self) -> Reader:
            return self

        def __next__(self) -> list[str]:
            line = next(stream).rstrip("\r\n").replace("\t", "    ")
            self.line_num += 1
            spans = [(found.start(), found.end(), found.group()) for found in _CELL.finditer(line)]
            if self.line_num == 1:
                self.header = spans
                return [text for _start, _end, text in spans]
            if not spans or _RULED.match(line):
                return []  # blank, or the rule a report prints under its header
            if len(spans) >= len(self.header):  # no blank cell: the cells in order
                return [text for _start, _end, text in spans]
            cells = [""] * len(self.header)
            for start, end, text in spans:
                nearness = [_nearness(start, end, column) for column in self.header]
                index = nearness.index(min(nearness))
                if cells[index]:
                    return [*cells, text]  # two cells under one column: reported as ragged
                cells[index] = text
            return cells

    return Reader()


def _open_csv(source: Source, stream: IO[str], watch: _NulWatch, sample: str,
              delimiter: str | None = None) -> None:
    delimiter = delimiter or _sniff_delimiter(sample)
    if delimiter == ALIGNED:
        source.notes.append(f"{source.name}: columns separated by runs of spaces "
                            "(pass --delimiter if they are not)")
        reader = _aligned_reader(stream)
    else:
        reader = csv.reader(stream, delimiter=delimiter, strict=False)
    name = source.name
    try:
        header = next(reader, None)
    except UnicodeDecodeError:
        raise decode_error(name, 1, source.encoding, source.sample) from None
    except csv.Error as error:
        raise InvalidInput(f"{name}:1: {error}") from None
    if header is None or not any(cell.strip() for cell in header):
        raise InvalidInput(f"{name}: is empty (no header row)")
    if watch.seen_nul and any("\x00" in cell for cell in header):
        raise InvalidInput(f"{name}:1: contains a NUL byte; is it UTF-16 or binary? "
                           "pass --encoding utf-16 if so")
    source.headers = [cell.strip().lstrip("\ufeff") for cell in header]

    def records() -> Iterator[tuple[int, list[Any]]]:
        line = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise decode_error(name, reader.line_num + 1, source.encoding, source.sample) from None
            except csv.Error as error:
                raise InvalidInput(f"{name}:{reader.line_num}: {error}") from None
            except (OSError, EOFError, zlib.error) as error:  # a truncated or corrupt .gz
                raise InvalidInput(f"{name}:{reader.line_num + 1}: cannot read: {error}") from None
            start, line = line + 1, reader.line_num
            if not row:
                continue
            if watch.seen_nul and "\x00" in "".join(row):
                raise InvalidInput(f"{name}:{start}: contains a NUL byte (binary data or "
                                   "a UTF-16 file?); remove it or pass --encoding")
            yield start, row

    source.records = records()
