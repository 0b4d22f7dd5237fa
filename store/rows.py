"""Turn validated models into SQLite rows and back; the one place that knows column encodings."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from store.clock import format_timestamp
from store.models import (
    Account,
    Acquisition,
    AcquisitionSpend,
    Contact,
    Deal,
    Interaction,
    Payment,
    Record,
    StageMove,
    Subscription,
    SurveyAnswer,
    Task,
    UsageRecord,
)

TABLES: dict[type[Record], str] = {
    Account: "accounts",
    Contact: "contacts",
    StageMove: "stage_history",
    Subscription: "subscriptions",
    Interaction: "interactions",
    SurveyAnswer: "survey_answers",
    UsageRecord: "usage",
    Acquisition: "acquisition",
    AcquisitionSpend: "acquisition_spend",
    Task: "tasks",
    Deal: "deals",
    Payment: "payments",
}
"""Which table stores each model; its columns are the model's fields, in order."""

KIND_MODELS: dict[str, type[Record]] = {
    "accounts": Account,
    "contacts": Contact,
    "stages": StageMove,
    "subscriptions": Subscription,
    "interactions": Interaction,
    "surveys": SurveyAnswer,
    "usage": UsageRecord,
    "acquisition": Acquisition,
    "spend": AcquisitionSpend,
    "tasks": Task,
    "deals": Deal,
    "payments": Payment,
}
"""Each kind by the name `retain export` and `retain import` use for it."""

_JSON_FIELDS = {"tags"}
R = TypeVar("R", bound=Record)


def encode(value: Any) -> Any:
    """Encode one Python value the way the schema stores it."""
    if value is None or isinstance(value, (str, int, float)) and not isinstance(value, Enum):
        return int(value) if isinstance(value, bool) else value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    raise TypeError(f"cannot store a {type(value).__name__}")


def columns(model: type[Record]) -> list[str]:
    """The table columns for `model`, in field order."""
    return list(model.model_fields)


def to_row(record: Record) -> dict[str, Any]:
    """The column values for `record`, encoded for SQLite."""
    return {name: encode(getattr(record, name)) for name in type(record).model_fields}


def from_row(model: type[R], row: dict[str, Any]) -> R:
    """Rebuild a model from a stored row, validating it on the way (stored data is re-checked)."""
    data = dict(row)
    for name in _JSON_FIELDS & data.keys():
        data[name] = json.loads(data[name] or "[]")
    return model.model_validate(data)
