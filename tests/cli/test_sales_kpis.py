"""`retain kpi` for the deal and payment KPIs, in-process and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from commands.main import app

FIXTURES = Path(__file__).resolve().parents[1] / "imports" / "fixtures"


def _book() -> CliRunner:
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    for kind, name, preset in (
            ("deals", "salesforce_opportunities.csv", "salesforce-opportunities"),
            ("payments", "stripe_payments.csv", "stripe-payments")):
        result = runner.invoke(app, ["import", kind, str(FIXTURES / name), "--preset", preset,
                                     "--create-accounts"])
        assert result.exit_code == 0, result.output
    return runner


def test_win_rate_for_a_year_prints_and_carries_its_counts() -> None:
    runner = _book()
    shown = runner.invoke(app, ["kpi", "win_rate", "--period", "2026"])
    # closed in 2026: won AAA01 and AAA04, lost AAA02 -> 2 / 3
    assert shown.exit_code == 0 and "66.7%" in shown.output
    data = json.loads(runner.invoke(app, ["kpi", "win_rate", "--period", "2026",
                                          "--json"]).stdout)
    assert data[0]["inputs"] == {"won": 2, "lost": 1}


def test_failed_payment_rate_and_purchase_cltv(tmp_path: Path) -> None:
    runner = _book()
    data = json.loads(runner.invoke(app, ["kpi", "failed_payment_rate", "--period", "2026-03",
                                          "--json"]).stdout)
    # attempts ch_3Pa1..5: failed ch_3Pa2 and ch_3Pa5 -> 2 / 5
    assert data[0]["value"] == 40.0 and data[0]["inputs"] == {"failed": 2, "attempts": 5}
    cltv = json.loads(runner.invoke(app, ["kpi", "purchase_cltv", "--period", "2026-03",
                                          "--json"]).stdout)
    # nobody stopped buying and no subscriptions churned: no lifespan, so no data
    assert cltv[0]["value"] is None
    # collected: ch_3Pa1 (in_1), ch_3Pa3 (in_2) and ch_3Pa4 (no invoice: itself) -> 3
    assert cltv[0]["inputs"]["purchases"] == 3
    assert "1 ÷ average monthly logo churn" in cltv[0]["note"]
    dashboard = runner.invoke(app, ["kpi", "--period", "2026-03"])
    assert "Win rate" in dashboard.output and "Failed payments" in dashboard.output
    assert "Purchase CLTV" in dashboard.output


def test_kpi_in_a_subprocess(book_path: Path) -> None:
    _book()
    env = {**os.environ, "RETAIN_DB": str(book_path)}
    result = subprocess.run([sys.executable, "-m", "commands", "kpi", "unrecovered_failed_payments",
                             "--period", "2026-03", "--json"], capture_output=True, text=True,
                            env=env, check=False)
    assert result.returncode == 0, result.stderr
    # Gamma's 20 March failure was not followed by a collected payment; Beta's was
    assert json.loads(result.stdout)[0]["value"] == 1


def test_show_lists_deals_and_payments() -> None:
    runner = _book()
    shown = runner.invoke(app, ["show", "cus_GAMA"])
    assert shown.exit_code == 0, shown.output
    assert "Payments" in shown.output and "refunded" in shown.output
    assert "$200" in shown.output and "failed" in shown.output
    deal = runner.invoke(app, ["show", "0011x00000ACME1"])
    assert "Deals" in deal.output and "Acme - 200 seats" in deal.output
    assert "Negotiation/Review" in deal.output
    document = json.loads(runner.invoke(app, ["show", "0011x00000ACME1", "--json"]).stdout)
    assert [d["id"] for d in document["deals"]] == ["0061x00000AAA03", "0061x00000AAA01"]
    assert document["payments"] == []
