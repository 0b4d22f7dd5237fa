"""Match a file's headers to a kind's fields: exact names, common synonyms, presets and --map."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from store.errors import InvalidInput

IGNORE = "-"
"""`--map COLUMN=-` leaves a column out."""
Overrides = list[tuple[str, str]]
"""(source column, field) pairs from --map, in order; one column may feed several fields."""
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(header: str) -> str:
    """`Customer ID` -> `customer_id`, `subscription.customer_id` -> `subscription_customer_id`."""
    return _NON_WORD.sub("_", header.strip().lower()).strip("_")


@dataclass
class Mapping:
    """Which column feeds which field, what is constant, and what was left out."""

    columns: dict[str, int] = field(default_factory=dict)
    """field -> column index in the file."""
    headers: list[str] = field(default_factory=list)
    constants: dict[str, Any] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def header_of(self, field_name: str) -> str:
        """The source column a field came from (or the field name for constants)."""
        index = self.columns.get(field_name)
        return self.headers[index] if index is not None else field_name

    def describe(self) -> list[str]:
        """`header -> field` lines, for --dry-run."""
        lines = [f"{self.headers[index]!r} -> {name}" for name, index in self.columns.items()]
        lines += [f"(constant) {name} = {value!r}" for name, value in self.constants.items()]
        if self.ignored:
            lines.append(f"ignored: {', '.join(repr(header) for header in self.ignored)}")
        return lines


def parse_overrides(pairs: list[str]) -> Overrides:
    """`["Company=name", "X=-"]` -> [("Company", "name"), ("X", "-")], refusing malformed pairs."""
    overrides: Overrides = []
    for pair in pairs:
        source, sep, target = pair.rpartition("=")
        source, target = source.strip(), target.strip()
        if not sep or not source or not target:
            raise InvalidInput(f"--map {pair!r}: write SOURCE_COLUMN=FIELD (or SOURCE_COLUMN=-)")
        if target != IGNORE and not target.isidentifier():
            raise InvalidInput(f"--map {pair!r}: {target!r} is not a field name")
        overrides.append((source, target))
    return overrides


def merge_overrides(saved: Overrides, given: Overrides) -> Overrides:
    """A saved mapping's pairs, with every column `given` names taken from `given` instead."""
    replaced = {source for source, _target in given}
    return [pair for pair in saved if pair[0] not in replaced] + list(given)


def check_preset_fits(preset: Any, headers: list[str], name: str) -> None:
    """Refuse a file that lacks most of the columns `preset` expects (the wrong kind of export)."""
    expected = list(preset.columns)
    missing = [column for column in expected if _find_header(headers, column) is None]
    if expected and len(missing) * 2 > len(expected):
        shown = ", ".join(repr(column.removeprefix("re:")) for column in missing)
        raise InvalidInput(f"{name}: does not look like a {preset.name} export: it lacks "
                           f"{len(missing)} of the {len(expected)} columns the preset expects "
                           f"({shown}); check the file or the preset")


def _find_header(headers: list[str], wanted: str) -> int | None:
    if wanted.startswith("re:"):
        pattern = re.compile(wanted[3:], re.IGNORECASE)
        return next((i for i, header in enumerate(headers) if pattern.search(header)), None)
    if wanted in headers:
        return headers.index(wanted)
    key = normalise(wanted)
    return next((i for i, header in enumerate(headers) if normalise(header) == key), None)


def choose(
    kind: str,
    known: dict[str, tuple[str, ...]],
    headers: list[str],
    preset_columns: dict[str, str] | None = None,
    overrides: Overrides | None = None,
    name: str = "",
) -> Mapping:
    """Pick a column for each field of `known` (field -> synonyms): --map, preset, then names."""
    mapping = Mapping(headers=headers)
    used: set[int] = set()
    shown = ", ".join(repr(header) for header in headers)
    for source, target in overrides or ():
        index = _find_header(headers, source)
        if index is None:
            raise InvalidInput(f"--map {source}={target}: {name} has no column {source!r} "
                               f"(its columns: {shown})")
        used.add(index)
        if target == IGNORE:
            continue
        if target not in known:
            raise InvalidInput(f"--map {source}={target}: {kind} have no field {target!r} "
                               f"(fields: {', '.join(known)})")
        if target in mapping.columns and mapping.columns[target] != index:
            raise InvalidInput(f"--map {source}={target}: {target!r} is already mapped to "
                               f"{headers[mapping.columns[target]]!r}; map one column to it")
        mapping.columns[target] = index
    for source, target in (preset_columns or {}).items():
        index = _find_header(headers, source)
        if index is None or index in used or target in mapping.columns:
            continue
        used.add(index)
        if target != IGNORE:
            mapping.columns[target] = index
    normalised = [normalise(header) for header in headers]
    for field_name, synonyms in known.items():
        if field_name in mapping.columns:
            continue
        for candidate in (field_name, *synonyms):
            matches = [i for i, header in enumerate(normalised)
                       if header == candidate and i not in used]
            if len(matches) > 1:
                first, second = matches[:2]
                raise InvalidInput(
                    f"{name}: duplicate header {headers[first]!r} (columns {first + 1} and "
                    f"{second + 1}); rename one or choose with --map"
                )
            if matches:
                mapping.columns[field_name] = matches[0]
                used.add(matches[0])
                break
    mapping.ignored = [header for i, header in enumerate(headers) if i not in used]
    return mapping
