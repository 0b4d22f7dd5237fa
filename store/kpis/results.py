"""What a KPI computation returns: a value (or "no data"), its unit, and the counts behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Unit(StrEnum):
    """How to read and format a KPI value."""

    PERCENT = "percent"
    """0-100 (NPS: -100..100 is a SCORE)."""
    CENTS = "cents"
    COUNT = "count"
    RATIO = "ratio"
    DAYS = "days"
    SCORE = "score"
    """A signed score such as NPS (-100..100)."""
    INDEX = "index"
    """An unsigned 0-100 index such as the customer loyalty index."""


@dataclass(frozen=True)
class KpiValue:
    """One KPI for one period and filter. `value` None means "no data", never 0."""

    name: str
    """Stable key, e.g. `logo_churn_rate`."""
    value: float | None
    unit: Unit
    inputs: dict[str, Any] = field(default_factory=dict)
    """The counts and sums that went into the value, by name (shown as the explanation)."""
    note: str = ""
    """Which form or convention was used, when there is a choice (e.g. CLTV form)."""

    @property
    def has_data(self) -> bool:
        """False when the period had nothing to compute the KPI from."""
        return self.value is not None

    @property
    def sample(self) -> int | None:
        """How many answers or accounts a rate was computed from (None for other KPIs)."""
        key = SAMPLE_INPUTS.get(self.name)
        value = self.inputs.get(key) if key else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None


SAMPLE_INPUTS = {
    "nps": "answers", "csat": "answers", "cli": "answers",
    "lead_conversion_rate": "cohort", "trial_to_paid_rate": "cohort",
    "logo_churn_rate": "customers_at_start", "upgrade_rate": "paying_at_start",
    "grr": "cohort_accounts", "nrr": "cohort_accounts",
    "ttfv_median": "measured", "ttfv_p90": "measured",
}
"""For each rate, the input that counts what it was computed from (its sample)."""


def ratio(numerator: float, denominator: float, scale: float = 1.0) -> float | None:
    """numerator / denominator × scale, or None (no data) when the denominator is 0."""
    return None if not denominator else numerator / denominator * scale


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile of already sorted values (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * fraction // 1))  # ceil(n × fraction), at least 1
    return float(sorted_values[int(rank) - 1])


def median(sorted_values: list[float]) -> float | None:
    """The median of already sorted values (mean of the middle two for an even count)."""
    count = len(sorted_values)
    if not count:
        return None
    middle = count // 2
    if count % 2:
        return float(sorted_values[middle])
    return (sorted_values[middle - 1] + sorted_values[middle]) / 2
