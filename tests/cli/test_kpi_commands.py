"""`retain kpi`, `cohorts` and `health` print what the engine computes, in every format."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import time_machine

from store import Store
from store.demo import generate_demo
from store.kpis.periods import parse_period

AS_OF = date(2026, 11, 1)


@pytest.fixture
def demo(store: Store) -> Store:
    generate_demo(store, accounts=150, seed=21, as_of=AS_OF)
    return store


@pytest.fixture(autouse=True)
def _frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 11, 2, 9, tzinfo=UTC), tick=False):
        yield


def test_the_dashboard_json_is_the_engine_s_figures(cli, demo: Store) -> None:
    result = cli("kpi", "--period", "2026-10", "--json")
    assert result.exit_code == 0, result.output
    shown = {kpi["name"]: kpi for kpi in json.loads(result.stdout)["kpis"]}
    engine = demo.kpis(parse_period("2026-10", AS_OF))
    previous = demo.kpis(parse_period("2026-09", AS_OF))
    assert set(shown) == set(engine)
    for name, value in engine.items():
        assert shown[name]["value"] == value.value, name
        assert shown[name]["previous"] == previous[name].value, name
    assert shown["mrr"]["inputs"]["reconciles"] is True


def test_the_dashboard_table_groups_kpis_by_lifecycle_stage(cli, demo: Store) -> None:
    table = cli("kpi", "--period", "2026-Q3").stdout
    assert "KPIs, 2026-Q3 (whole book)" in table
    for label in ("Logo churn", "NPS", "Customer lifetime value", "Time to first value"):
        assert label in table
    lines = [line.split()[0] for line in table.splitlines() if line.strip()]
    groups = [word for word in lines if word in {"consideration", "retention", "all"}]
    assert groups.index("consideration") < groups.index("retention") < groups.index("all")


def test_a_trend_has_one_row_per_month(cli, demo: Store) -> None:
    rows = json.loads(cli("kpi", "nps", "--period", "2026-10", "--months", "4", "--json").stdout)
    assert [row["period"] for row in rows] == ["2026-07", "2026-08", "2026-09", "2026-10"]
    assert rows[-1]["value"] == demo.kpis(parse_period("2026-10", AS_OF))["nps"].value


def test_a_breakdown_has_one_row_per_segment_and_filters_apply(cli, demo: Store) -> None:
    rows = json.loads(cli("kpi", "mrr", "--period", "2026-10", "--by", "segment",
                          "--json").stdout)
    assert [row["segment"] for row in rows] == ["Enterprise", "Mid-Market", "SMB"]
    whole = demo.kpis(parse_period("2026-10", AS_OF))["mrr"].value
    assert sum(row["value"] for row in rows) == whole
    smb = json.loads(cli("kpi", "mrr", "--period", "2026-10", "--segment", "SMB",
                         "--json").stdout)
    assert smb[0]["value"] == rows[2]["value"]


def test_unknown_kpis_and_bad_periods_are_usage_errors(cli, demo: Store) -> None:
    assert cli("kpi", "happiness").exit_code == 2
    bad = cli("kpi", "--period", "2026-13")
    assert bad.exit_code == 2 and "month 13 does not exist" in bad.stderr


def test_cohorts_show_logo_or_revenue_retention(cli, demo: Store) -> None:
    matrix = json.loads(cli("cohorts", "--months", "6", "--json").stdout)
    assert matrix and all(row["logo"][0] == 100.0 for row in matrix)
    assert "Revenue retention by cohort" in cli("cohorts", "--revenue").stdout


def test_health_explains_every_component(cli, demo: Store) -> None:
    key = demo.board_cards("adoption", 0, 1)[0].account_id
    found = json.loads(cli("health", key, "--json").stdout)
    assert [c["name"] for c in found["components"]] == [
        "usage_trend", "sentiment", "engagement", "support_load", "renewal", "mrr_trend",
        "billing"]
    assert found["score"] == demo.health(key).score
    assert "Usage trend" in cli("health", key).stdout


def test_accounts_below_a_health_score(cli, demo: Store) -> None:
    rows = json.loads(cli("accounts", "--health-below", "40", "--json").stdout)
    assert rows and all(row["health"] < 40 for row in rows)
    scores = demo.health_scores()
    assert len(rows) == sum(1 for score in scores.values() if score is not None and score < 40)


def test_funnel_reports_stages_and_moves(cli, demo: Store) -> None:
    report = json.loads(cli("funnel", "--period", "2026-10", "--on", "2026-11-01",
                            "--json").stdout)
    per_stage = {row["stage"]: row["accounts"] for row in report["per_stage"]}
    assert list(per_stage) == list(demo.lifecycle().keys)
    assert sum(per_stage.values()) == 150
    moves = report["moves"]
    assert moves["moves"] == (moves["forward"] + moves["backward"] + moves["churns"]
                              + moves["reactivations"] + moves["other"])
    assert "Transitions, 2026-10" in cli("funnel", "--period", "2026-10").stdout


def test_settings_are_validated_before_they_change_a_kpi(cli, demo: Store) -> None:
    october = parse_period("2026-10", AS_OF)
    before = demo.kpis(october)["cltv"].value
    assert cli("setting", "kpi.gross_margin", "80").exit_code == 2
    assert cli("setting", "kpi.gross_margin", "0.4").exit_code == 0
    assert demo.kpis(october)["cltv"].value == pytest.approx(before / 2)
    bad = cli("setting", "health.weights", '{"usage_trend": -1}')
    assert bad.exit_code == 2 and "health.weights" in bad.stderr
    assert cli("setting", "colour", "1").exit_code == 2
    assert 'kpi.churn_at = "period_end" (default)' in cli("setting").stdout  # the value in use
    # a bare word is the string it spells; the churn timing takes one of two
    assert cli("setting", "kpi.churn_at", "cancellation").stdout.strip() \
        == 'kpi.churn_at = "cancellation"'
    assert demo.churn_at() == "cancellation"
    wrong = cli("setting", "kpi.churn_at", "someday")
    assert wrong.exit_code == 2 and "period_end, cancellation" in wrong.stderr
    assert demo.churn_at() == "cancellation"


def test_a_year_still_running_is_reported_to_date(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 11, 24, 9, tzinfo=UTC), tick=False):
        running = json.loads(cli("kpi", "--period", "2026", "--json").stdout)
        done = json.loads(cli("kpi", "--period", "2025", "--json").stdout)
    assert running["period"] == "2026 to date" and done["period"] == "2025"


def test_the_minimum_sample_is_a_whole_number_setting(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    assert store.min_sample() == 10
    for bad in ("0", "2.5", '"ten"'):
        wrong = cli("setting", "kpi.min_sample", bad)
        assert wrong.exit_code == 2 and "kpi.min_sample" in wrong.stderr
    assert store.min_sample() == 10
    assert cli("setting", "kpi.min_sample", "5").exit_code == 0
    assert store.min_sample() == 5
