"""Book settings are one typed model: every key documented, defaulted, and checked one way."""

from __future__ import annotations

import pytest

from store import InvalidInput, Store
from store.settings import SETTING_KEYS, BookSettings, setting_infos, validate_setting


def test_every_setting_has_a_doc_and_a_default() -> None:
    infos = list(setting_infos())
    assert [info.key for info in infos] == list(SETTING_KEYS)
    assert {"kpi.gross_margin", "kpi.churn_at", "health.weights", "triage.rules"} <= set(
        SETTING_KEYS)
    for info in infos:
        assert info.doc and info.default is not None, info.key


@pytest.mark.parametrize(("key", "value", "message"), [
    ("kpi.gross_margin", 1.5, "kpi.gross_margin: must be at most 1, got 1.5"),
    ("kpi.gross_margin", "0.8", "kpi.gross_margin: must be a number"),
    ("kpi.gross_margin", float("inf"), "kpi.gross_margin: must be a finite number"),
    ("kpi.churn_at", "never", "kpi.churn_at: must be one of period_end, cancellation"),
    ("health.weights", {"usage_trend": -1}, "health.weights.usage_trend: must be at least 0"),
    ("health.weights", {"usage": 1}, "health.weights: unknown key 'usage' (known: usage_trend"),
    ("health.weights", dict.fromkeys(BookSettings().health.weights.model_dump(), 0),
     "health.weights: at least one weight must be above 0"),
    ("triage.rules", [1], "triage.rules: must be an object"),
    ("triage.rules", {"quiet_days": True}, "triage.rules.quiet_days: must be a whole number"),
    ("no.such", 1, "unknown setting 'no.such'"),
])
def test_a_bad_value_is_refused_in_one_line_naming_the_key(key: str, value: object,
                                                           message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_setting(key, value)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_partial_object_keeps_the_other_defaults(store: Store) -> None:
    store.change_setting("health.weights", {"renewal": 30})
    weights = store.settings().health.weights
    assert weights.renewal == 30 and weights.usage_trend == 25
    assert store.health_weights()["renewal"] == 30


def test_the_store_refuses_what_the_model_refuses_and_writes_nothing(store: Store) -> None:
    with pytest.raises(InvalidInput, match="kpi.gross_margin"):
        store.change_setting("kpi.gross_margin", 0)
    assert store.get_setting("kpi.gross_margin") is None
    assert store.gross_margin() == 0.8


def test_reset_brings_the_default_back(store: Store) -> None:
    store.change_setting("kpi.gross_margin", 0.5)
    assert store.gross_margin() == 0.5
    store.reset_setting("kpi.gross_margin")
    assert store.gross_margin() == 0.8
