"""Pass one of an import: read, map, convert and validate every row, spooling the good ones."""

from __future__ import annotations

import json
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from store.errors import InvalidInput
from store.imports.columns import ColumnFacts, resolve_row
from store.imports.context import BlankAccount, BookFacts
from store.imports.kinds import REPEATABLE_FACTS, Kind, stable_key
from store.imports.mapping import Mapping, Overrides, check_preset_fits, choose
from store.imports.preset import Preset
from store.imports.rejects import Rejects
from store.imports.source_file import Source
from store.imports.values import FieldError
from store.validation import plain_reason

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
    rejects_kept: list[Path] = field(default_factory=list)
    """Earlier rejects files of the same name, left alone."""
    repeated: int = 0
    """Rows that repeat an earlier row's derived key, kept as separate facts."""
    blank_accounts: int = 0
    """Rows refused because their account cell is blank."""

    def note(self, error: RowError) -> None:
        """Count an error, keeping the first few for the report."""
        self.error_count += 1
        if len(self.errors) < MAX_SHOWN_ERRORS:
            self.errors.append(error)


_SOURCE_FIELDS = {"mrr_cents": ("mrr", "arr", "amount"), "spend_cents": ("spend",),
                  "amount_cents": ("amount",)}
"""Stored fields filled from a file's virtual field (the file says `mrr`, the book `mrr_cents`)."""


class _Reader:
    """Turns one file's converted rows into validated, keyed records on the spool."""

    def __init__(self, source: Source, kind: Kind, preset: Preset | None, mapping: Mapping,
                 facts: BookFacts, result: ReadResult, rejects: Rejects | None, now: str) -> None:
        self.source, self.kind, self.mapping, self.facts = source, kind, mapping, facts
        self.result, self.rejects = result, rejects
        self.columns = kind.columns
        self.defaults = _defaults(kind, now)
        self.constants_items = list(mapping.constants.items())
        self.derive = preset.derive if preset else None
        self.skip_blank = preset.skip_blank if preset else None
        self.is_accounts = kind.name == "accounts"
        self.track_accounts = kind.name in ("subscriptions", "stages")  # MRR / current stage to redo
        self.repeatable = kind.name in REPEATABLE_FACTS
        self.where_of = (lambda n: f"[{n}]") if source.format == "json" else str
        self.batch: list[tuple[Any, ...]] = []
        self.lines: list[int] = []
        # Two rows with one key in one file: which is meant? Refuse rather than let the last win.
        self.key_column = mapping.header_of("id") if "id" in mapping.columns else ""
        self.first_seen: dict[str, int] = {}
        self.derived_seen: dict[bytes, int] = {}
        """A derived key (its 16 bytes) -> the line it first appeared on."""
        self.repeats: dict[bytes, int] = {}
        """A derived key seen more than once -> how many rows had it so far."""

    def reject(self, cells: list[Any], line: int, column: str, reason: str) -> None:
        """Count a rejected row (and keep it in the rejects file)."""
        _reject(self.result, self.rejects, cells,
                RowError(self.source.name, self.where_of(line), column, reason))

    def cell(self, cells: list[Any], field_name: str) -> Any:
        """The file's own cell for a field (or the cell of the field it was derived from)."""
        for name in (field_name, *_SOURCE_FIELDS.get(field_name, ())):
            index = self.mapping.columns.get(name)
            if index is not None and index < len(cells):
                return cells[index]
        return None

    def column_of(self, field_name: str) -> str:
        """The file's column for a field, or for the field it was derived from."""
        for name in (field_name, *_SOURCE_FIELDS.get(field_name, ())):
            if name in self.mapping.columns:
                return self.mapping.header_of(name)
        return field_name

    def take(self, line: int, cells: list[Any], row: dict[str, Any]) -> None:
        """Finish, validate and key one converted row; spool it or reject it."""
        result = self.result
        try:
            for name, value in self.constants_items:  # a mapped column wins over a preset's constant
                if row.get(name) is None:
                    row[name] = value
            if self.derive is not None:
                self.derive(row)
            if self.skip_blank is not None and row.get(self.skip_blank) is None:
                result.skipped += 1
                return
            derived = row.get("id") is None
            self.kind.finish(row, self.facts)
            record = _complete(row, self.columns, self.defaults)
            _validate(self.kind.model, record, self.is_accounts, self.facts.default_stage)
        except BlankAccount:
            result.blank_accounts += 1
            owners = [name for name in ("account_id", "account_name", "subscription_id")
                      if name in self.mapping.columns]
            if owners:
                reason = "is blank; every row needs an account"
                self.reject(cells, line, self.mapping.header_of(owners[0]), reason)
            else:
                self.reject(cells, line, "", "names no account (map a column to account_id, "
                                             "or pass --account KEY)")
            return
        except FieldError as error:
            self.reject(cells, line, self.column_of(error.field), error.reason)
            return
        except ValidationError as error:
            problem = error.errors(include_url=False)[0]
            name = str(problem["loc"][0]) if problem["loc"] else ""
            given = self.cell(cells, name) if name else None
            if given is None:
                given = problem.get("input")
            if not name:  # a check across fields: name the first field its message names
                said = str(problem.get("msg", "")).removeprefix("Value error, ")
                name = next((field_name for field_name in self.columns
                             if said.startswith(f"{field_name} ")), "")
                given = self.cell(cells, name) if name else None
            reason = plain_reason(problem)
            if (given is None or isinstance(given, str) and not given.strip()) \
                    and problem.get("type") != "value_error":
                reason = "is required but blank"
            elif given is not None and not isinstance(given, dict) \
                    and problem.get("type") != "value_error":
                reason += f" (got {given!r:.60})"
            self.reject(cells, line, self.column_of(name) if name else "", reason)
            return
        if not self._keyed(record, line, cells, derived):
            return
        self._keep(record, line, row)

    def _keyed(self, record: dict[str, Any], line: int, cells: list[Any], derived: bool) -> bool:
        """Give a repeated derived key its occurrence number, or refuse a repeated key."""
        key = record["id"]
        if derived and self.kind.key_parts:
            digest = bytes.fromhex(key)
            first = self.derived_seen.setdefault(digest, line)
            if first == line:
                return True
            if self.repeatable:
                occurrence = self.repeats.get(digest, 1) + 1
                self.repeats[digest] = occurrence
                record["id"] = stable_key(key, "occurrence", occurrence)
                self.result.repeated += 1
                return True
            parts = ", ".join(self.column_of(part) for part in self.kind.key_parts)
            self.reject(cells, line, "", f"repeats line {first} (the same {parts}); give each "
                                         "row an id column or remove the repeat")
            return False
        if self.key_column and key in self.first_seen:
            self.reject(cells, line, self.key_column,
                        f"{key!r} appears twice (first on line {self.first_seen[key]})")
            return False
        if self.key_column:
            self.first_seen[key] = line
        return True

    def _keep(self, record: dict[str, Any], line: int, row: dict[str, Any]) -> None:
        result = self.result
        if result.valid < 100:
            result.provided.update(name for name, value in row.items() if value is not None)
        if self.track_accounts:
            result.touched_accounts.add(record["account_id"])
        if self.is_accounts and record["tags"] is not None:
            record["tags"] = json.dumps(record["tags"], ensure_ascii=False)
        self.batch.append(tuple(record[name] for name in self.columns))
        self.lines.append(line)
        result.valid += 1
        if len(self.batch) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write the rows kept so far to the spool."""
        if self.batch:
            pickle.dump((self.lines, self.batch), self.result.spool,
                        protocol=pickle.HIGHEST_PROTOCOL)
            self.batch, self.lines = [], []


def read_file(source: Source, kind: Kind, preset: Preset | None, overrides: Overrides,
              facts: BookFacts, *, constants: dict[str, Any], now: str, keep_rejects: bool,
              progress: Progress | None = None) -> ReadResult:
    """Map and validate every record of `source`; valid rows go, encoded, to a spool file.

    A value whose meaning depends on its whole column (a slash date's day/month order, a key a
    spreadsheet wrote as `12431.0`) waits, with every row after it, until the column is read;
    only then are rows finished, so what is derived from a date (a subscription's status) is
    derived from the settled date.
    """
    known = kind.known() | {name: () for name in (preset.extra if preset else {})}
    if preset is not None:
        check_preset_fits(preset, source.headers, source.name)
    mapping = choose(kind.name, known, source.headers, preset.columns if preset else None,
                     overrides, source.name)
    mapping.constants = {**(preset.constants if preset else {}), **constants}
    _check_required(kind, mapping, preset, source)
    converters = {**kind.converters, **(preset.extra if preset else {})}
    plan = [(name, index, converters[name]) for name, index in mapping.columns.items()]
    key_fields = [name for name in mapping.columns if name == "id" or name.endswith("_id")]
    result = ReadResult(source, mapping, tempfile.TemporaryFile(prefix="retain-import-"))
    rejects = Rejects(source) if keep_rejects else None
    reader = _Reader(source, kind, preset, mapping, facts, result, rejects, now)
    columns = ColumnFacts()
    waiting: IO[bytes] | None = None
    pending: list[tuple[int, list[Any], dict[str, Any] | RowError]] = []
    width = len(source.headers)
    for line, cells in source.records:
        result.rows_read += 1
        outcome: dict[str, Any] | RowError
        if len(cells) != width:
            outcome = RowError(source.name, reader.where_of(line), "",
                               f"has {len(cells)} cells but the header has {width}")
        else:
            row: dict[str, Any] = {}
            try:
                for name, index, convert in plan:
                    try:
                        row[name] = convert(cells[index])
                    except ValueError as error:
                        raise FieldError(name, str(error)) from None
                outcome = row
                if columns.see(row, key_fields, line) and waiting is None:
                    waiting = tempfile.TemporaryFile(prefix="retain-import-wait-")
            except FieldError as error:
                outcome = RowError(source.name, reader.where_of(line),
                                   mapping.header_of(error.field), error.reason)
        if waiting is not None:
            pending.append((line, cells, outcome))
            if len(pending) >= BATCH_ROWS:
                pickle.dump(pending, waiting, protocol=pickle.HIGHEST_PROTOCOL)
                pending = []
        elif isinstance(outcome, RowError):
            _reject(result, rejects, cells, outcome)
        else:
            reader.take(line, cells, outcome)
        if progress is not None and result.rows_read % BATCH_ROWS == 0:
            progress("read", result.rows_read, source.bytes_read(), source.total_bytes)
    if waiting is not None:
        decided, whole_keys = columns.settle(result)
        pickle.dump(pending, waiting, protocol=pickle.HIGHEST_PROTOCOL)
        waiting.seek(0)
        while True:
            try:
                chunk = pickle.load(waiting)
            except EOFError:
                break
            for line, cells, outcome in chunk:
                if isinstance(outcome, RowError):
                    _reject(result, rejects, cells, outcome)
                else:
                    resolve_row(outcome, decided, whole_keys)
                    reader.take(line, cells, outcome)
        waiting.close()
    reader.flush()
    if progress is not None:
        progress("read", result.rows_read, source.bytes_read(), source.total_bytes)
    if rejects is not None:
        rejects.close()
        result.rejects_path = rejects.path
        result.rejects_kept = rejects.kept if rejects.path is not None else []
    result.provided.update(mapping.columns, mapping.constants)
    if result.skipped and preset is not None:
        why = preset.skip_reason or f"no {mapping.header_of(preset.skip_blank or '')!r}"
        source.notes.append(f"{source.name}: {result.skipped:,} row(s) skipped: {why}")
    return result


def _reject(result: ReadResult, rejects: Rejects | None, cells: list[Any], error: RowError) -> None:
    result.note(error)
    if rejects is not None:
        rejects.write(cells, error.detail)


_ALTERNATIVES = {"account_id": ("account_name", "subscription_id"),
                 "amount_cents": ("amount", "unit_price"), "attempted_at": ("paid_at",)}
"""Fields another column can stand in for (an account found by name or by subscription)."""


def _check_required(kind: Kind, mapping: Mapping, preset: Preset | None, source: Source) -> None:
    """Refuse, before reading rows, a file with no column for a field every row needs."""
    name = source.name
    given = set(mapping.columns) | set(mapping.constants) | set(preset.derives if preset else ())
    for field_name, info in kind.model.model_fields.items():
        if not info.is_required() or field_name in given:
            continue
        if field_name == "id" and kind.key_parts or (kind.name, field_name) == ("accounts", "stage"):
            continue  # a derived key; a default stage
        if given & {*_ALTERNATIVES.get(field_name, ()), *_SOURCE_FIELDS.get(field_name, ())}:
            continue
        headers = ", ".join(repr(header) for header in mapping.headers)
        if len(mapping.headers) == 1 and source.raw_rows:
            raise InvalidInput(f"{name}: its header has one column ({headers}): the delimiter "
                               "was not recognised; pass --delimiter (for example "
                               "--delimiter ';' or --delimiter aligned)")
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


def _validate(model: Any, record: dict[str, Any], is_accounts: bool, default_stage: str) -> None:
    data = record
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
