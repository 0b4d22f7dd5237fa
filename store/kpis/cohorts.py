"""The cohort retention matrix: customers grouped by their first paying month, followed monthly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from store.database import Connection
from store.kpis.filters import BookFilter
from store.kpis.results import ratio


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


@dataclass(frozen=True, slots=True)
class CohortRow:
    """One start month: its size, and logo / revenue retention per month since (0 = start)."""

    cohort: str
    accounts: int
    start_mrr_cents: int
    logo: list[float | None]
    """% of the cohort's accounts paying k months after their start; None past today."""
    revenue: list[float | None]
    """The cohort's MRR k months later as % of its MRR in its first month."""


def cohort_matrix(
    conn: Connection, first: str, last: str, through: str, book: BookFilter
) -> list[CohortRow]:
    """Cohorts whose first paying month lies in [first, last], followed up to month `through`."""
    scope = ""
    params: dict[str, Any] = {}
    if not book.is_whole_book:
        ids, params = book.account_ids_sql()
        scope = f" AND account_id IN ({ids})"
    rows = conn.execute(
        f"""WITH cohort AS (
                SELECT account_id, month AS cohort, mrr_cents AS start_mrr
                FROM account_months
                WHERE movement = 'new' AND month BETWEEN :first AND :last{scope}
            )
            SELECT c.cohort, am.month, sum(am.mrr_cents > 0), sum(am.mrr_cents)
            FROM cohort c JOIN account_months am ON am.account_id = c.account_id
            WHERE am.month BETWEEN c.cohort AND :through
            GROUP BY c.cohort, am.month""",
        {"first": first, "last": last, "through": through, **params},
    ).fetchall()
    sizes = conn.execute(
        f"""SELECT month, count(*), sum(mrr_cents) FROM account_months
            WHERE movement = 'new' AND month BETWEEN :first AND :last{scope} GROUP BY month""",
        {"first": first, "last": last, **params},
    ).fetchall()
    cells: dict[tuple[str, int], tuple[int, int]] = {
        (cohort, _month_index(month) - _month_index(cohort)): (int(paying), int(mrr))
        for cohort, month, paying, mrr in rows
    }
    matrix = []
    for cohort, accounts, start_mrr in sorted(sizes):
        span = _month_index(through) - _month_index(cohort) + 1
        logo = [ratio(cells.get((cohort, k), (0, 0))[0], accounts, 100) for k in range(span)]
        revenue = [ratio(cells.get((cohort, k), (0, 0))[1], start_mrr, 100) for k in range(span)]
        matrix.append(CohortRow(cohort, int(accounts), int(start_mrr), logo, revenue))
    return matrix
