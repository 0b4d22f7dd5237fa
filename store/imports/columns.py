"""What a whole column decides about its cells: a slash date's day/month order, keys written as `12431.0`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from store.errors import InvalidInput
from store.imports import values as v
from store.imports.values import FieldError

_INTEGRAL_FLOAT = re.compile(r"^-?\d+\.0+$")
_WHOLE = re.compile(r"^-?\d+$")


@dataclass
class ColumnFacts:
    """What the whole file says about a column: its slash-date order, its spreadsheet-float keys."""

    orders: dict[str, v.SlashOrder] = field(default_factory=dict)
    float_keys: set[str] = field(default_factory=set)
    """Key fields with a value such as `12431.0`."""
    other_keys: set[str] = field(default_factory=set)
    """Key fields with a value that is not a whole number (so `12431.0` stays as written)."""

    def see(self, row: dict[str, Any], key_fields: list[str], line: int) -> bool:
        """Note the row's slash dates and keys; True when it needs the column's verdict."""
        waits = False
        for name, value in row.items():
            if type(value) is v.Deferred and not v.valid_date(value[2], value[0], value[1]) \
                    and not v.valid_date(value[2], value[1], value[0]):
                raise FieldError(name, f"'{value[0]}/{value[1]}/{value[2]}' is not a valid date "
                                       "as M/D/YYYY or as D/M/YYYY")
        for name, value in row.items():
            if type(value) is v.Deferred:
                self.orders.setdefault(name, v.SlashOrder()).see(value, line)
                waits = True
        for name in key_fields:
            value = row.get(name)
            if not isinstance(value, str):
                continue
            if _INTEGRAL_FLOAT.match(value):
                self.float_keys.add(name)
                waits = waits or name not in self.other_keys
            elif not _WHOLE.match(value):
                self.other_keys.add(name)
        return waits

    def settle(self, result: Any) -> tuple[dict[str, bool], set[str]]:
        """The date order of each slash-date field, and the key fields to write as integers."""
        decided: dict[str, bool] = {}
        for name, order in self.orders.items():
            month_first = order.month_first()
            if month_first is None:
                raise InvalidInput(
                    f"{result.source.name}: column {result.mapping.header_of(name)!r}: its dates "
                    f"fit neither M/D/YYYY (line {order.evidence.get(True)}) nor D/M/YYYY "
                    f"(line {order.evidence.get(False)}); fix the file")
            decided[name] = month_first
        return decided, self.float_keys - self.other_keys


def resolve_row(row: dict[str, Any], decided: dict[str, bool], whole_keys: set[str]) -> None:
    """Put each slash date in its column's order and each spreadsheet-float key as an integer."""
    for name, value in row.items():
        if type(value) is v.Deferred:
            row[name] = v.resolve(value, decided[name])
    for name in whole_keys:
        value = row.get(name)
        if isinstance(value, str) and _INTEGRAL_FLOAT.match(value):
            row[name] = value.split(".", 1)[0]
