"""Pass one of an import: read, map, convert and validate every row, spooling the good ones."""

from __future__ import annotations

import csv
import json
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from store.errors import InvalidInput
from store.imports import values as v
from store.imports.context import BookFacts
from store.imports.kinds import FieldError, Kind
from store.imports.mapping import Mapping, choose
from store.imports.presets import Preset
from store.imports.sources import Source

BATCH_ROWS = 5000
MAX_SHOWN_ERRORS = 20
Progress = Callable[[str, int, int, int | None], None]


@dataclass
class RowError:
    """One rejected row: where, which column, why."""

    file: str
    where: str
    column: str
    reason: str

    @property
    def detail(self) -> str:
        """The column and the reason, without the place (the rejects file's `reason`)."""
        return f"column {self.column!r}: {self.reason}" if self.column else self.reason

    def __str__(self) -> str:
        return f"{self.file}:{self.where}: {self.detail}"


@dataclass
class ReadResult:
    """What pass one learned about one file."""

    source: Source
    mapping: Mapping
    spool: IO[bytes]
    rows_read: int = 0
    valid: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    provided: set[str] = field(default_factory=set)
    """Fields the file gives values for (an update writes only these)."""
    touched_accounts: set[str] = field(default_factory=set)
    rejects_path: Path | None = None
    orders: dict[str, v.SlashOrder] = field(default_factory=dict)

    def note(self, error: RowError) -> None:
        """Count an error, keeping the first few for the report."""
        self.error_count += 1
        if len(self.errors) < MAX_SHOWN_ERRORS:
            self.errors.append(error)


class _Rejects:
    """Writes rejected rows, unchanged, with a `reason` column, beside the input."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.stream: IO[str] | None = None
        self.writer: Any = None
        base = source.path if source.path is not None else Path("stdin.csv")
        suffix = ".rejects.csv" if source.raw_rows else ".rejects.jsonl"
        self.path = base.with_name(base.name.removesuffix(".gz").rsplit(".", 1)[0] + suffix)

    def write(self, cells: list[Any], reason: str) -> None:
        if self.stream is None:
            self.stream = self.path.open("w", encoding="utf-8", newline="")
            if self.source.raw_rows:
                self.writer = csv.writer(self.stream, lineterminator="\n")
                self.writer.writerow([*self.source.headers, "reason"])
        if self.source.raw_rows:
            self.writer.writerow([*cells, reason])
        else:
            record = dict(zip(self.source.headers, cells, strict=False)) | {"_reason": reason}
            self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()


def read_file(source: Source, kind: Kind, preset: Preset | None, overrides: dict[str, str],
              facts: BookFacts, *, constants: dict[str, Any], now: str, keep_rejects: bool,
              progress: Progress | None = None) -> ReadResult:
    """Map and validate every record of `source`; valid rows go, encoded, to a spool file."""
    known = kind.known() | {name: () for name in (preset.extra if preset else {})}
    mapping = choose(kind.name, known, source.headers, preset.columns if preset else None,
                     overrides, source.name)
    mapping.constants = {**(preset.constants if preset else {}), **constants}
    _check_required(kind, mapping, preset, source.name)
    converters = {**kind.converters, **(preset.extra if preset else {})}
    plan = [(name, index, converters[name]) for name, index in mapping.columns.items()]
    constants_items = list(mapping.constants.items())
    result = ReadResult(source, mapping, tempfile.TemporaryFile(prefix="retain-import-"))
    rejects = _Rejects(source) if keep_rejects else None
    columns = kind.columns
    defaults = _defaults(kind, now)
    date_fields = [name for name in columns if kind.converters[name] in (v.day, v.timestamp)]
    model = kind.model
    derive = preset.derive if preset else None
    skip_blank = preset.skip_blank if preset else None
    is_accounts = kind.name == "accounts"
    track_accounts = kind.name == "subscriptions"
    width = len(source.headers)
    where_of = (lambda n: f"[{n}]") if source.format == "json" else str
    batch: list[tuple[Any, ...]] = []
    lines: list[int] = []
    # Two rows with one key in one file: which is meant? Refuse rather than let the last win.
    key_column = mapping.header_of("id") if "id" in mapping.columns else ""
    first_seen: dict[str, int] = {}
    for line, cells in source.records:
        result.rows_read += 1
        if len(cells) != width:
            reason = f"has {len(cells)} cells but the header has {width}"
            _reject(result, rejects, cells, RowError(source.name, where_of(line), "", reason))
            continue
        row: dict[str, Any] = {}
        try:
            for name, index, convert in plan:
                try:
                    row[name] = convert(cells[index])
                except ValueError as error:
                    raise FieldError(name, str(error)) from None
            for name, value in constants_items:  # a mapped column wins over a preset's constant
                if row.get(name) is None:
                    row[name] = value
            if derive is not None:
                derive(row)
            if skip_blank is not None and row.get(skip_blank) is None:
                result.skipped += 1
                continue
            kind.finish(row, facts)
            record = _complete(row, columns, defaults)
            _validate(model, record, date_fields, is_accounts, facts.default_stage)
        except FieldError as error:
            column = mapping.header_of(error.field)
            _reject(result, rejects, cells, RowError(source.name, where_of(line), column,
                                                     error.reason))
            continue
        except ValidationError as error:
            problem = error.errors(include_url=False)[0]
            name = str(problem["loc"][0]) if problem["loc"] else ""
            reason = problem["msg"].removeprefix("Value error, ")
            given = problem.get("input")
            if given is None:
                reason = "is required but blank"
            elif not isinstance(given, dict):
                reason += f" (got {given!r:.60})"
            _reject(result, rejects, cells, RowError(source.name, where_of(line),
                                                     mapping.header_of(name), reason))
            continue
        if key_column and record["id"] in first_seen:
            _reject(result, rejects, cells, RowError(
                source.name, where_of(line), key_column,
                f"{record['id']!r} appears twice (first on line {first_seen[record['id']]})"))
            continue
        if key_column:
            first_seen[record["id"]] = line
        for name in date_fields:
            value = record[name]
            if type(value) is v.Deferred:
                result.orders.setdefault(name, v.SlashOrder()).see(value, line)
        if result.valid < 100:
            result.provided.update(name for name, value in row.items() if value is not None)
        if track_accounts:
            result.touched_accounts.add(record["account_id"])
        if is_accounts and record["tags"] is not None:
            record["tags"] = json.dumps(record["tags"], ensure_ascii=False)
        batch.append(tuple(record[name] for name in columns))
        lines.append(line)
        result.valid += 1
        if len(batch) >= BATCH_ROWS:
            pickle.dump((lines, batch), result.spool, protocol=pickle.HIGHEST_PROTOCOL)
            batch, lines = [], []
        if progress is not None and result.rows_read % BATCH_ROWS == 0:
            progress("read", result.rows_read, source.bytes_read(), source.total_bytes)
    if batch:
        pickle.dump((lines, batch), result.spool, protocol=pickle.HIGHEST_PROTOCOL)
    if progress is not None:
        progress("read", result.rows_read, source.bytes_read(), source.total_bytes)
    if rejects is not None:
        rejects.close()
        result.rejects_path = rejects.path if rejects.stream is not None else None
    result.provided.update(mapping.columns, mapping.constants)
    if result.skipped and preset is not None:
        why = preset.skip_reason or f"no {mapping.header_of(preset.skip_blank or '')!r}"
        source.notes.append(f"{source.name}: {result.skipped:,} row(s) skipped: {why}")
    return result


def _reject(result: ReadResult, rejects: _Rejects | None, cells: list[Any], error: RowError) -> None:
    result.note(error)
    if rejects is not None:
        rejects.write(cells, error.detail)


_ALTERNATIVES = {"account_id": ("account_name", "subscription_id"),
                 "amount_cents": ("amount", "unit_price"), "attempted_at": ("paid_at",)}
"""Fields another column can stand in for (an account found by name or by subscription)."""


def _check_required(kind: Kind, mapping: Mapping, preset: Preset | None, name: str) -> None:
    """Refuse, before reading rows, a file with no column for a field every row needs."""
    given = set(mapping.columns) | set(mapping.constants) | set(preset.derives if preset else ())
    for field_name, info in kind.model.model_fields.items():
        if not info.is_required() or field_name in given:
            continue
        if field_name == "id" and kind.key_parts or (kind.name, field_name) == ("accounts", "stage"):
            continue  # a derived key; a default stage
        if given & set(_ALTERNATIVES.get(field_name, ())):
            continue
        headers = ", ".join(repr(header) for header in mapping.headers)
        hint = " or pass --account KEY" if field_name == "account_id" else ""
        raise InvalidInput(f"{name}: no column for {field_name!r} (its columns: {headers}); "
                           f"choose one with --map COLUMN={field_name}{hint}")


def _defaults(kind: Kind, now: str) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for name, info in kind.model.model_fields.items():
        if info.default_factory is not None:
            defaults[name] = info.default_factory()  # type: ignore[call-arg]
        elif not info.is_required():
            default = info.default
            defaults[name] = getattr(default, "value", default)
    for name in ("updated_at", "created_at", "stage_entered_at"):
        if name in defaults:
            defaults[name] = now
    return defaults


def _complete(row: dict[str, Any], columns: list[str], defaults: dict[str, Any]) -> dict[str, Any]:
    record = {}
    for name in columns:
        value = row.get(name)
        record[name] = defaults.get(name) if value is None else value
    return record


def _validate(model: Any, record: dict[str, Any], date_fields: list[str], is_accounts: bool,
              default_stage: str) -> None:
    data = record
    for name in date_fields:
        value = record[name]
        if type(value) is v.Deferred:
            if data is record:
                data = dict(record)
            month_first = v.valid_date(value[2], value[0], value[1])
            if not month_first and not v.valid_date(value[2], value[1], value[0]):
                raise FieldError(name, f"'{value[0]}/{value[1]}/{value[2]}' is not a valid date "
                                       "as M/D/YYYY or as D/M/YYYY")
            data[name] = v.resolve(value, month_first)
    if is_accounts and record["stage"] is None:
        data = {**data, "stage": default_stage}
    model.model_validate(data)


def spooled(result: ReadResult) -> Any:
    """Yield the spooled (lines, rows) batches of a file from the start."""
    result.spool.seek(0)
    while True:
        try:
            yield pickle.load(result.spool)
        except EOFError:
            return
