"""Issue 14 item 30: docs/KPIS.md says what the code does about MRR and its movements."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from typer.testing import CliRunner

from commands.main import app
from store import Store
from store.models import Account, Subscription

DOC = Path(__file__).resolve().parents[2] / "docs" / "KPIS.md"


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"### {title}")
    end = text.find("\n#", start + 1)
    return text[start:end]


def _edge_cases(title: str) -> str:
    section = _section(title)
    return " ".join(section[section.index("**Edge cases:**"):].split())


@pytest.fixture
def in_and_out(store: Store) -> Store:
    """A customer who started paying in January 2026 and churned in February."""
    store.add_account(Account(id="acme", name="Acme", stage="adoption"))
    store.add(Subscription(id="s1", account_id="acme", mrr_cents=10_000,
                           started_on=date(2026, 1, 10), ended_on=date(2026, 2, 10)))
    return store


def _kpis(*args: str) -> dict[str, float | None]:
    with time_machine.travel(datetime(2026, 6, 1, tzinfo=UTC), tick=False):
        result = CliRunner().invoke(app, ["kpi", *args, "--json"])
    assert result.exit_code == 0, result.output
    return {kpi["name"]: kpi["value"] for kpi in json.loads(result.stdout)["kpis"]}


def test_movements_are_no_data_without_revenue_as_the_doc_says(in_and_out: Store) -> None:
    values = _kpis("--period", "2026-Q1", "--segment", "nobody")
    movements = ["mrr_new", "mrr_expansion", "mrr_reactivation", "mrr_contraction",
                 "mrr_churned"]
    assert values["mrr"] is None and all(values[name] is None for name in movements)
    doc = _edge_cases("MRR movements")
    assert "always a number" not in doc
    assert re.search(r"no revenue data .*no data", doc) and "not $0" in doc
    assert "exception" not in _section("MRR (`mrr`)")
    assert "MRR movement KPIs are never" not in DOC.read_text(encoding="utf-8")


def test_mrr_is_zero_when_money_moved_in_and_out_as_the_doc_says(in_and_out: Store) -> None:
    values = _kpis("--period", "2026-Q1")
    assert values["mrr"] == 0.0
    assert values["mrr_new"] == values["mrr_churned"] == 10_000.0
    assert values["mrr_expansion"] == 0.0  # a real zero: the period has revenue
    doc = _edge_cases("MRR (`mrr`)")
    assert "no data when both the opening and the closing MRR are 0" not in doc
    assert "moved in and out within the period" in doc and "$0, not no data" in doc
