"""Which accounts a KPI covers: the whole book, or a segment, owner, plan, stage or tag."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from store.database import Connection

_FIELDS = ("segment", "owner", "plan", "stage", "tag")


@dataclass(frozen=True, slots=True)
class BookFilter:
    """A subset of accounts by their current attributes; None fields do not filter."""

    segment: str | None = None
    owner: str | None = None
    plan: str | None = None
    stage: str | None = None
    tag: str | None = None
    materialized: str | None = None
    """A temp table already holding the filtered ids (see `materialize`)."""

    @property
    def is_whole_book(self) -> bool:
        """True when nothing is filtered."""
        return all(getattr(self, name) is None for name in _FIELDS)

    def materialize(self, conn: Connection) -> BookFilter:
        """Copy the filtered ids into a temp table once, so that the many queries of a dashboard
        or a trend look ids up in it instead of filtering the accounts table each time."""
        if self.is_whole_book or self.materialized:
            return self
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS kpi_scope (id TEXT PRIMARY KEY) "
                     "WITHOUT ROWID")
        conn.execute("DELETE FROM temp.kpi_scope")
        condition, params = self.sql("a")
        conn.execute(f"INSERT INTO temp.kpi_scope SELECT a.id FROM accounts a WHERE {condition}",
                     params)
        return replace(self, materialized="temp.kpi_scope")

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
                f"EXISTS (SELECT 1 FROM json_each({alias}.tags) t "
                "WHERE lower(t.value) = lower(:f_tag))"
            )
            params["f_tag"] = self.tag
        return (" AND ".join(clauses) or "1"), params

    def account_ids_sql(self) -> tuple[str, dict[str, Any]]:
        """A sub-select of the ids of the accounts the filter covers."""
        if self.materialized:
            return f"SELECT id FROM {self.materialized}", {}
        condition, params = self.sql("a")
        return f"SELECT a.id FROM accounts a WHERE {condition}", params

    def scope(self, column: str) -> tuple[str, dict[str, Any]]:
        """` AND column IN (<filtered ids>)` and its parameters; nothing for the whole book."""
        if self.is_whole_book:
            return "", {}
        ids, params = self.account_ids_sql()
        # The unary + keeps SQLite from driving the query through the (large) id list: the
        # period or month index narrows the rows first, then each is checked against the list.
        return f" AND +{column} IN ({ids})", params

    def describe(self) -> str:
        """'segment=SMB, owner=Dana' or 'whole book'."""
        parts = [f"{name}={getattr(self, name)}" for name in _FIELDS
                 if getattr(self, name) is not None]
        return ", ".join(parts) or "whole book"
