"""Which accounts a KPI covers: the whole book, or a segment, owner, plan, stage or tag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class BookFilter:
    """A subset of accounts by their current attributes; None fields do not filter."""

    segment: str | None = None
    owner: str | None = None
    plan: str | None = None
    stage: str | None = None
    tag: str | None = None

    @property
    def is_whole_book(self) -> bool:
        """True when nothing is filtered."""
        return all(getattr(self, name) is None for name in self.__slots__)

    def sql(self, alias: str = "a") -> tuple[str, dict[str, Any]]:
        """An SQL condition on the accounts table (aliased `alias`) and its bound parameters."""
        clauses, params = [], {}
        for name in ("segment", "owner", "plan", "stage"):
            value = getattr(self, name)
            if value is not None:
                clauses.append(f"{alias}.{name} = :f_{name} COLLATE NOCASE")
                params[f"f_{name}"] = value
        if self.tag is not None:
            clauses.append(
                f"EXISTS (SELECT 1 FROM json_each({alias}.tags) t WHERE t.value = :f_tag)"
            )
            params["f_tag"] = self.tag
        return (" AND ".join(clauses) or "1"), params

    def account_ids_sql(self) -> tuple[str, dict[str, Any]]:
        """A sub-select of the ids of the accounts the filter covers."""
        condition, params = self.sql("a")
        return f"SELECT a.id FROM accounts a WHERE {condition}", params

    def describe(self) -> str:
        """'segment=SMB, owner=Dana' or 'whole book'."""
        parts = [f"{name}={getattr(self, name)}" for name in self.__slots__
                 if getattr(self, name) is not None]
        return ", ".join(parts) or "whole book"
