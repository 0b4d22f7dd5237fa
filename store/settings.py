"""The book's settings, each defined once: its key, type, default and meaning (pydantic models).

A setting's key is `section.field` (`kpi.gross_margin`, `health.weights`); its value is stored
as JSON in the book's `settings` table, exactly as the user gave it (an object may name only
the parts it changes: the rest keep their default). Every face validates a new value through
`validate_setting`, and every reader gets the whole typed `BookSettings` from `load_settings`,
so a bad value is refused with the same one-line message from the CLI and the TUI.

Per-person preferences (the user's name, theme, keys) are not here: see `store.user_config`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from store.errors import InvalidInput

ReasonKind = Literal["renewal", "detractor", "follow_up", "playbook", "onboarding", "health",
                     "quiet", "billing"]
"""Every reason kind Today lists (also the order reasons of equal points are shown in). A new
kind (a failed payment, say) is added here, in `TodayWeights`, and as one rule in
`store.triage`."""

REASON_KINDS: tuple[str, ...] = get_args(ReasonKind)

CADENCE_KINDS = ("segment", "tag", "stage")
"""What a stay-in-touch cadence rule can name."""


class Section(BaseModel):
    """A group of settings; each field's docstring is the setting's documentation."""

    model_config = ConfigDict(use_attribute_docstrings=True, extra="forbid", frozen=True)


class KpiSettings(Section):
    """How the KPI engine counts."""

    gross_margin: float = Field(0.8, gt=0, le=1)
    """Gross margin the subscription CLTV uses: a fraction above 0 and at most 1 (0.8 = 80 %)."""
    churn_at: Literal["period_end", "cancellation"] = "period_end"
    """When churn counts: at the end of the paid period, or on the day the customer cancels."""
    min_sample: int = Field(10, ge=1)
    """Answers or accounts below which a rate's change is marked `(few)` on the dashboard."""


class HealthWeights(Section):
    """The weight of each health component; weights are relative (they need not sum to 100)."""

    usage_trend: float = Field(25.0, ge=0)
    """Product events in the last complete month against the month before."""
    sentiment: float = Field(20.0, ge=0)
    """The latest NPS answer (365 days) blended with the CSAT share of 4-5 answers (180 days)."""
    engagement: float = Field(20.0, ge=0)
    """Days since the last interaction with the CSM (tickets aside)."""
    support_load: float = Field(10.0, ge=0)
    """Support tickets in the last 90 days."""
    renewal: float = Field(10.0, ge=0)
    """How close the renewal date is (a near renewal is a moment of risk)."""
    mrr_trend: float = Field(15.0, ge=0)
    """Month-end MRR now against three months earlier; churned is 0."""
    billing: float = Field(10.0, ge=0)
    """Payments: 0 while a failed payment is not recovered, 70 after a failure recovered in the
    last 90 days, else 100; no payments, no data. Weighed like support load and renewal: a
    failure is often an expired card that dunning fixes, and the Today list raises it at once."""

    @model_validator(mode="after")
    def _one_counts(self) -> HealthWeights:
        if not any(self.model_dump().values()):
            raise ValueError("at least one weight must be above 0")
        return self


class HealthSettings(Section):
    """How the health score is weighted."""

    weights: HealthWeights = HealthWeights()
    """Weight of each health component (an object; components left out keep their default)."""


class TriageRules(Section):
    """The thresholds of each triage rule; `disabled` lists reason kinds switched off."""

    renewal_within_days: int = Field(30, ge=0)
    """List customers whose renewal date is today or at most this many days away."""
    quiet_days: int = Field(30, ge=1)
    """The stay-in-touch cadence of paying customers no `triage.cadences` rule names: list them
    when their last interaction (tickets aside) is this many days old or older."""
    ttfv_target_days: int = Field(30, ge=0)
    """List onboarding accounts without first value more than this many days after purchase."""
    detractor_window_days: int = Field(90, ge=1)
    """List NPS detractors (0-6) who answered in this many days and got no follow-up since."""
    health_below: float = Field(40.0, ge=0, le=100)
    """List paying accounts whose health score is below this (40 = the 'at risk' band)."""
    health_drop: float = Field(15.0, gt=0, le=100)
    """List paying accounts whose health fell by this many points or more within
    `health_drop_days` days (from the highest score in that window to today's)."""
    health_drop_days: int = Field(30, ge=1)
    """The window a health drop is measured over, in days."""
    overdue_full_days: int = Field(14, ge=1)
    """A task this many days overdue (or more) counts fully urgent; due today counts half."""
    disabled: frozenset[ReasonKind] = frozenset()
    """Reason kinds not to list at all (e.g. ["health"])."""


class TodayWeights(Section):
    """Points each reason kind is worth when fully urgent (urgency 1); see docs/TODAY.md."""

    renewal: float = Field(100.0, ge=0)
    """A renewal: urgency 1 today, falling linearly to 1/(window+1) at the window's end."""
    detractor: float = Field(80.0, ge=0)
    """An NPS detractor nobody followed up: recency times how low the score is."""
    follow_up: float = Field(40.0, ge=0)
    """An open task due today (urgency 0.5) or overdue (1 at `overdue_full_days`)."""
    playbook: float = Field(50.0, ge=0)
    """A playbook step's task due today or overdue (urgency as for a follow-up)."""
    onboarding: float = Field(50.0, ge=0)
    """Onboarding past its time-to-value target (0.5 at the target, 1 at twice it)."""
    health: float = Field(100.0, ge=0)
    """A health drop (0.5 at the threshold, 1 at twice it) or a score in the red band."""
    quiet: float = Field(25.0, ge=0)
    """Cadence due: 0.5 on the day the cadence runs out, 1 a whole cadence later."""
    billing: float = Field(60.0, ge=0)
    """A failed payment nothing collected has followed: 0.5 on the day, 1 two weeks later."""


class TriageSettings(Section):
    """What Today lists and how it ranks it."""

    rules: TriageRules = TriageRules()
    """Thresholds of the triage rules (an object; keys left out keep their default)."""
    weights: TodayWeights = TodayWeights()
    """Points of each reason kind at full urgency (an object; kinds left out keep their default)."""
    stake: float = Field(1.0, ge=0)
    """How much MRR at stake multiplies the points: x(1 + stake) at `stake_full_mrr` or more."""
    stake_full_mrr: int = Field(10_000, ge=1)
    """The MRR (whole currency units) that counts as fully at stake; less counts on a log scale."""
    cadences: dict[str, int] = Field(default_factory=dict)
    """Stay-in-touch cadences in days by `segment:NAME`, `tag:NAME` or `stage:KEY` (e.g.
    {"segment:Enterprise": 30, "segment:SMB": 90}); the shortest matching one applies, and
    accounts no rule names use `rules.quiet_days`."""

    @model_validator(mode="after")
    def _cadence_rules(self) -> TriageSettings:
        for rule, days in self.cadences.items():
            kind, _, value = rule.partition(":")
            if kind not in CADENCE_KINDS or not value.strip():
                raise ValueError(f"cadence {rule!r} must be segment:NAME, tag:NAME or stage:KEY")
            if days < 1:
                raise ValueError(f"cadence {rule!r} must be at least 1 day, got {days}")
        return self


class DealSettings(Section):
    """How imported CRM deals are read."""

    stage_status: dict[str, Literal["open", "won", "lost"]] = {}
    """A CRM's own stage names -> open, won or lost (Closed Won / Closed Lost need none)."""


class BookSettings(Section):
    """Every setting of a book, by section."""

    kpi: KpiSettings = KpiSettings()
    """How the KPI engine counts."""
    health: HealthSettings = HealthSettings()
    """How the health score is weighted."""
    triage: TriageSettings = TriageSettings()
    """What Today lists and how it ranks it."""
    deals: DealSettings = DealSettings()
    """How imported CRM deals are read."""


@dataclass(frozen=True)
class SettingInfo:
    """One setting as a user sees it: its key, meaning and default (JSON-ready)."""

    key: str
    doc: str
    default: Any


def setting_infos() -> Iterator[SettingInfo]:
    """Every setting a user may change, in the order the model declares them."""
    defaults = BookSettings().model_dump(mode="json")
    for section_name, section_field in BookSettings.model_fields.items():
        section = section_field.annotation
        assert isinstance(section, type) and issubclass(section, Section)
        for name, field in section.model_fields.items():
            yield SettingInfo(f"{section_name}.{name}", field.description or "",
                              defaults[section_name][name])


SETTING_KEYS: tuple[str, ...] = tuple(info.key for info in setting_infos())
"""The keys of every setting."""


def _split(key: str) -> tuple[str, str]:
    section, _, name = key.partition(".")
    if key not in SETTING_KEYS:
        raise InvalidInput(f"unknown setting {key!r}; known: {', '.join(SETTING_KEYS)}")
    return section, name


def _model_at(model: type[BaseModel], path: Sequence[str | int]) -> type[BaseModel] | None:
    """The model a validation error's location points into (None past the models)."""
    for part in path:
        field = model.model_fields.get(str(part))
        inner = field.annotation if field else None
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return None
        model = inner
    return model


PLAIN_WORDS = {
    "model_type": "must be an object",
    "dict_type": "must be an object",
    "list_type": "must be a list",
    "frozen_set_type": "must be a list",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "string_type": "must be text",
    "greater_than": "must be above {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be below {lt}",
    "less_than_equal": "must be at most {le}",
}
"""What a pydantic error type means, in the words the rest of retain uses."""


def _first_error(key: str, model: type[BaseModel], error: ValidationError) -> InvalidInput:
    """A pydantic error as one line naming the setting (and the part of it) that is wrong."""
    problem = error.errors(include_url=False)[0]
    path = problem["loc"][1:]
    kind = problem["type"]
    if kind == "extra_forbidden":
        parent = _model_at(model, [problem["loc"][0], *path[:-1]])
        known = f" (known: {', '.join(parent.model_fields)})" if parent else ""
        where = ".".join([key, *map(str, path[:-1])])
        return InvalidInput(f"{where}: unknown key {path[-1]!r}{known}")
    where = ".".join([key, *map(str, path)])
    if kind in PLAIN_WORDS:
        bounds = {name: int(value) if isinstance(value, float) and value.is_integer() else value
                  for name, value in problem.get("ctx", {}).items()}
        message = PLAIN_WORDS[kind].format(**bounds)
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(problem.get("ctx", {}).get("expected", "")))
        message = f"must be one of {', '.join(allowed)}"
    else:
        message = problem["msg"].removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
    got = "" if kind == "value_error" else \
        f", got {problem.get('input')!r}"
    return InvalidInput(f"{where}: {message}{got}")


def _check_finite(key: str, value: Any) -> None:
    """JSON carries no NaN or infinity; refuse them before pydantic reads them as numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidInput(f"{key}: must be a finite number, got {value!r}")
    if isinstance(value, Mapping):
        for part, inner in value.items():
            _check_finite(f"{key}.{part}", inner)
    if isinstance(value, list):
        for inner in value:
            _check_finite(key, inner)


def validate_setting(key: str, value: Any) -> Any:
    """Check a new value for one setting; return it as it will be stored (JSON-ready).

    Raises InvalidInput with one line naming the key (and the part of an object) that is
    wrong and what is allowed.
    """
    section, name = _split(key)
    _check_finite(key, value)
    model = BookSettings.model_fields[section].annotation
    assert isinstance(model, type) and issubclass(model, Section)
    try:
        model.model_validate_json(json.dumps({name: value}), strict=True)
    except ValidationError as error:
        raise _first_error(key, model, error) from None
    return value


def load_settings(stored: Mapping[str, Any]) -> BookSettings:
    """The typed settings of a book from its stored `key -> value` rows (other keys ignored)."""
    nested: dict[str, dict[str, Any]] = {}
    for key, value in stored.items():
        if key in SETTING_KEYS:
            validate_setting(key, value)
            section, name = _split(key)
            nested.setdefault(section, {})[name] = value
    return BookSettings.model_validate_json(json.dumps(nested), strict=True)
