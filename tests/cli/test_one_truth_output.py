"""Issue 14 item 31: what `kpi --csv`, `cohorts` and `funnel` write is what a reader needs."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from store import Store
from store.demo import generate_demo
from store.models import Account, Subscription, SurveyAnswer

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def sudzilla(store: Store) -> Store:
    """39 NPS answers in October 2026: 8 promoters, 9 passives, 22 detractors (NPS -35.9)."""
    store.add_account(Account(id="acme", name="Acme", stage="adoption"))
    scores = [10] * 8 + [7] * 9 + [3] * 22
    store.add_survey_answers([
        SurveyAnswer(id=f"nps-{n}", account_id="acme", kind="nps", score=score,
                     answered_at=datetime(2026, 10, 1, tzinfo=UTC) + timedelta(hours=n))
        for n, score in enumerate(scores)])
    return store


def test_kpi_csv_writes_inputs_as_json_and_numbers_without_the_formula_guard(
        cli, sudzilla: Store) -> None:  # type: ignore[no-untyped-def]
    result = cli("kpi", "nps", "--period", "2026-10", "--csv")
    assert result.exit_code == 0, result.output
    [row] = _csv(result.stdout)
    assert row["shown"] == "-35.9"
    assert json.loads(row["inputs"]) == {"promoters": 8, "passives": 9, "detractors": 22,
                                         "answers": 39}
    by_owner = _csv(cli("kpi", "nps", "--period", "2026-10", "--by", "stage", "--csv").stdout)
    assert by_owner[0]["shown"] == "-35.9" and json.loads(by_owner[0]["inputs"])["answers"] == 39


def test_the_formula_guard_still_stops_text_that_a_spreadsheet_would_run(
        cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    for key, name in (("a", "-2+3+cmd|' /C calc'!A0"), ("b", "=1+1"), ("c", "+1.5 pts"),
                      ("d", "-35.9")):
        store.add_account(Account(id=key, name=name, stage="adoption"))
    rows = {row["key"]: row["name"] for row in _csv(cli("accounts", "--csv").stdout)}
    # a name is user text: guarded even when it looks like a number (a spreadsheet would turn
    # the name "-35.9" into the number); only figures retain formats are left alone
    assert rows == {"a": "'-2+3+cmd|' /C calc'!A0", "b": "'=1+1", "c": "'+1.5 pts",
                    "d": "'-35.9"}


def test_a_change_that_rounds_to_nothing_has_no_minus_sign(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    """MRR $100.00 at the end of September, $99.70 at the end of October: the change is $0."""
    store.add_account(Account(id="acme", name="Acme", stage="adoption"))
    store.add(Subscription(id="s1", account_id="acme", mrr_cents=10_000,
                           started_on=date(2026, 1, 1), ended_on=date(2026, 10, 15)))
    store.add(Subscription(id="s2", account_id="acme", mrr_cents=9_970,
                           started_on=date(2026, 10, 15)))
    result = cli("kpi", "--period", "2026-10", "--csv")
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in _csv(result.stdout)}
    assert rows["mrr"]["change"] == "+$0"
    assert not any(row["change"].startswith("-0") or row["change"].startswith("-$0")
                   for row in rows.values())


def test_tables_written_to_a_file_are_full_width(cli, store: Store) -> None:  # type: ignore[no-untyped-def]
    generate_demo(store, accounts=60, seed=3, as_of=date(2026, 11, 1))
    result = cli("cohorts", "--months", "24")
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "Cohort" in line)
    assert header.split() == ["Cohort", "Accounts", *(f"M{k}" for k in range(24))]
    assert all(len(line.split()) <= 26 for line in result.stdout.splitlines())


def test_the_funnel_gives_each_stage_s_share_of_the_book(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A customer list with a churn flag and no subscriptions: a quarter has churned."""
    assert cli("init").exit_code == 0
    path = tmp_path / "customers.csv"
    path.write_text("id,name,churned\n1,A,no\n2,B,yes\n3,C,no\n4,D,no\n", encoding="utf-8")
    assert cli("import", "accounts", str(path)).exit_code == 0
    report = json.loads(cli("funnel", "--json").stdout)
    shares = {row["stage"]: row["share"] for row in report["per_stage"]}
    assert shares["churned"] == 25.0 and shares["purchase"] == 75.0
    table = cli("funnel").stdout
    assert "Share of book" in table
    assert [line.split()[1:3] for line in table.splitlines()
            if line.split()[:1] == ["churned"]] == [["1", "25.0%"]]
