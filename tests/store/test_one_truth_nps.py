"""Issue 14 item 28: one "latest NPS", one set of NPS groups, one set of health bands.

Two answers by one account in the same second: every face (the account list and its
detractor filter, the board's filter, the pane, health, triage) picks the same one."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from typer.testing import CliRunner

from commands.main import app as cli
from store import Store
from store.board import BoardView
from store.models import Account, Interaction, Subscription, SurveyAnswer

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
SAME_SECOND = datetime(2026, 11, 18, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def twice(store: Store) -> Store:
    """Acme answered 3 and 9 in the same second; 3 has the greater id (it is the latest)."""
    store.add_account(Account(id="acme", name="Acme", stage="adoption",
                              stage_entered_at=datetime(2026, 1, 5, tzinfo=UTC)))
    store.add(Subscription(id="s1", account_id="acme", mrr_cents=50_000,
                           started_on=date(2026, 1, 5)))
    store.log_interaction(Interaction(id="call-1", account_id="acme", kind="call",
                                      occurred_at=datetime(2026, 11, 1, tzinfo=UTC)))
    for key, score in (("nps-z", 3), ("nps-a", 9)):  # the latest first, as an import might
        store.add_survey_answers([SurveyAnswer(id=key, account_id="acme", kind="nps",
                                               score=score, answered_at=SAME_SECOND)])
    return store


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_every_face_reads_the_same_latest_answer(twice: Store) -> None:
    [row] = json.loads(_run("accounts", "--json"))
    assert row["latest_nps"] == 3
    assert [r["key"] for r in json.loads(_run("accounts", "--nps", "detractor", "--json"))] == [
        "acme"]
    assert _run("accounts", "--nps", "promoter", "--json").strip() in ("", "[]")
    columns = {c.stage.key: c.count for c in twice.board_columns(BoardView(nps_group="detractor"))}
    assert columns["adoption"] == 1
    promoters = twice.board_columns(BoardView(nps_group="promoter"))
    assert {c.stage.key: c.count for c in promoters}["adoption"] == 0
    score, at = twice.latest_nps("acme")  # the account pane's figure
    assert (score, at) == (3, SAME_SECOND)
    health = json.loads(_run("health", "acme", "--json"))
    sentiment = next(c for c in health["components"] if c["name"] == "sentiment")
    assert sentiment["score"] == 30.0 and "latest NPS 3 (detractor)" in sentiment["reason"]
    assert [row.account_id for row in twice.today(kinds=["detractor"]).rows] == ["acme"]


def test_groups_and_bands_are_one_definition() -> None:
    from store.board import NPS_GROUPS
    from store.kpis.health import HEALTH_BANDS, band
    from store.nps import NpsGroup

    assert NPS_GROUPS == ("promoter", "passive", "detractor")
    assert [NpsGroup.of(score).value for score in range(11)] == (
        ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2)
    for name, (low, high) in HEALTH_BANDS.items():
        assert band(low) == name and band(min(high, 100.0) - 0.1) == name
    assert band(None) == "no data"
