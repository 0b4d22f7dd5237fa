"""Turn exported cell text (or JSON values) into the values the schema stores, with clear reasons."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TRUE = frozenset({"true", "t", "yes", "y", "1", "1.0"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "0.0"})
YES_NO = _TRUE | _FALSE
"""Every spelling `boolean` reads (lower case)."""
_MONEY_NOISE = re.compile(r"[\s$€£¥,]|^[A-Z]{3}\s*|\s*[A-Z]{3}$")
_SLASH_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_CENT = Decimal("0.01")


def full_year(year: str) -> int:
    """A year as written: `24` is 2024 and `69` is 1969 (the POSIX `%y` pivot); `2024` is 2024."""
    number = int(year)
    if len(year) == 2:
        return number + (2000 if number < 69 else 1900)
    return number


class Deferred(tuple[Any, ...]):
    """A slash date (a, b, year, h, m, s) whose day/month order the whole column decides."""

    __slots__ = ()


def text(value: Any) -> str | None:
    """Stripped text, None when blank; undoes the `'` export puts before formula-like cells."""
    if value.__class__ is str and value[:1] != "'":
        return value.strip() or None
    if value is None:
        return None
    if not isinstance(value, str):
        value = json.dumps(value) if isinstance(value, (list, dict)) else str(value)
    if value[:1] == "'" and value[1:2] and value[1:].startswith(_FORMULA_STARTS):
        value = value[1:]
    value = value.strip()
    return value or None


def raw_text(value: Any) -> str | None:
    """Text kept as written (free text such as a summary), None when blank."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    if value[:1] == "'" and value[1:2] and value[1:].startswith(_FORMULA_STARTS):
        value = value[1:]
    return value if value.strip() else None


def boolean(value: Any) -> bool | None:
    """True/False/yes/no/1/0 (any case); None when blank."""
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if not word:
        return None
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{value!r} is not a yes/no value (true/false, yes/no, 1/0)")


def integer(value: Any) -> int | None:
    """A whole number; `4.0` is 4, `4.5` is refused; None when blank."""
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, int):
        return value
    word = str(value).strip().replace(",", "") if not isinstance(value, float) else repr(value)
    if not word:
        return None
    try:
        number = Decimal(word)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def cents(value: Any) -> int | None:
    """Integer cents from money text such as `1,234.50`, `$99`, `29.85 USD`; None when blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount of money")
    word = _MONEY_NOISE.sub("", value.strip()) if isinstance(value, str) else repr(value)
    if not word:
        return None
    negative = word.startswith("(") and word.endswith(")")
    try:
        amount = Decimal(word.strip("()"))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount of money") from None
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount of money")
    result = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return -result if negative else result


def money_decimal(value: Any) -> Decimal | None:
    """The amount as a Decimal of currency units (for MRR derived from a price)."""
    amount = cents(value)
    return None if amount is None else Decimal(amount) / 100


def _iso(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    for suffix in (" UTC", " GMT", " Z"):  # Intercom writes `... UTC`
        if value.endswith(suffix):
            return _iso(value.removesuffix(suffix)).replace(tzinfo=UTC)
    try:  # Zendesk and Delighted write `2024-05-02 10:15:00 -0700`
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        raise ValueError(f"{value!r} is not a date or time this import understands "
                         "(ISO 8601, M/D/YYYY or D/M/YYYY)") from None


def timestamp(value: Any) -> str | Deferred | None:
    """A stored UTC timestamp (`YYYY-MM-DDTHH:MM:SSZ`); a slash date is deferred to its column."""
    word = text(value)
    if word is None:
        return None
    if len(word) == 20 and word[10] == "T" and word[19] == "Z":
        _iso(word)  # already stored form: check it, keep it
        return word
    match = _SLASH_DATE.match(word)
    if match:
        a, b, year, hour, minute, second = match.groups()
        return Deferred((int(a), int(b), full_year(year), int(hour or 0), int(minute or 0),
                         int(second or 0)))
    moment = _iso(word)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def day(value: Any) -> str | Deferred | None:
    """A stored date (`YYYY-MM-DD`); a timestamp keeps its date; a slash date is deferred."""
    word = text(value)
    if word is None:
        return None
    if len(word) == 10 and word[4] == "-" and word[7] == "-":
        try:
            return date.fromisoformat(word).isoformat()
        except ValueError:
            raise ValueError(f"{word!r} is not a valid date") from None
    match = _SLASH_DATE.match(word)
    if match:
        a, b, year = match.groups()[:3]
        return Deferred((int(a), int(b), full_year(year), None, None, None))
    return _iso(word).date().isoformat()


def tags(value: Any) -> list[str]:
    """A list from a JSON list or text joined with `;` (export's list cells)."""
    if value is None:
        return []
    if isinstance(value, list):
        return sorted({str(item).strip() for item in value if str(item).strip()})
    word = text(value) or ""
    return sorted({part.strip() for part in word.split(";") if part.strip()})


class SlashOrder:
    """Decides once per column whether its slash dates are M/D/YYYY or D/M/YYYY."""

    def __init__(self) -> None:
        self.month_first_ok = True
        self.day_first_ok = True
        self.evidence: dict[bool, int] = {}
        """First line that rules out each order (True: month first)."""

    def see(self, value: Deferred, line: int) -> None:
        """Note which orders the value allows."""
        a, b, year = value[0], value[1], value[2]
        if not valid_date(year, a, b):
            self.month_first_ok = False
            self.evidence.setdefault(True, line)
        if not valid_date(year, b, a):
            self.day_first_ok = False
            self.evidence.setdefault(False, line)

    def month_first(self) -> bool | None:
        """True for M/D, False for D/M, None when no single order fits every value."""
        if self.month_first_ok:
            return True
        return False if self.day_first_ok else None


def valid_date(year: int, month: int, day_: int) -> bool:
    """True when the three numbers make a real calendar date."""
    try:
        date(year, month, day_)
    except ValueError:
        return False
    return True


def resolve(value: Deferred, month_first: bool) -> str:
    """The stored text of a deferred slash date once its column's order is known."""
    a, b, year, hour, minute, second = value
    month, day_ = (a, b) if month_first else (b, a)
    if hour is None:
        return date(year, month, day_).isoformat()
    return datetime(year, month, day_, hour, minute, second).strftime("%Y-%m-%dT%H:%M:%SZ")


class FieldError(ValueError):
    """A value that cannot be imported: which field, and why."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason
