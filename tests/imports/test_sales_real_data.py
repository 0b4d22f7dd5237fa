"""The Salesforce opportunity exports and the SaaS order log of ../shared/data, imported with the
README's commands, arrive at the figures its MANIFEST.md states (skipped when it is absent)."""

from __future__ import annotations

import csv
import json
import statistics
from collections import Counter
from datetime import datetime

import pytest

from tests.imports.conftest import needs_data


def _kpi(cli, name: str, period: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = cli("kpi", name, "--period", period, "--json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    return row  # type: ignore[no-any-return]


def _rows(path) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_workshop_opportunities(cli) -> None:  # type: ignore[no-untyped-def]
    accounts = needs_data("sfdc_workshop_opps", "Account.csv")
    deals = needs_data("sfdc_workshop_opps", "Opportunity.csv")
    assert cli("import", "accounts", str(accounts), "--preset", "salesforce-accounts").exit_code == 0
    result = cli("import", "deals", str(deals), "--preset", "salesforce-opportunities")
    assert result.exit_code == 0, result.output  # all 18 accounts are in Account.csv
    assert "50 new" in result.output
    whole = "2023-01-01..2024-12-31"  # CloseDate 2023-02-02 .. 2024-11-14
    win = _kpi(cli, "win_rate", whole)
    assert win["value"] == pytest.approx(80.0) and win["inputs"] == {"won": 12, "lost": 3}
    assert _kpi(cli, "won_value", whole)["value"] == 1_054_256_298  # 10,542,562.98
    assert _kpi(cli, "won_value", whole)["inputs"]["lost_cents"] == 305_891_250  # 3,058,912.50
    pipeline = _kpi(cli, "open_pipeline", "2024-12")
    assert pipeline["value"] == 3_000_207_050 and pipeline["inputs"]["open_deals"] == 35
    # Every CreatedDate is the load time (2024-01-22): the won deals close before it
    cycle = _kpi(cli, "sales_cycle_median", whole)
    assert cycle["value"] is None and cycle["inputs"]["closed_before_created"] == 12
    # ...and agree with a direct count of the file
    stages = Counter(row["StageName"] for row in _rows(deals))
    assert (stages["Closed Won"], stages["Closed Lost"]) == (12, 3)
    won_cents = sum(round(float(row["Amount"]) * 100) for row in _rows(deals)
                    if row["StageName"] == "Closed Won")
    assert won_cents == 1_054_256_298


def test_demo_org_opportunities_with_two_digit_years(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    accounts = needs_data("sfdc_demo_org_opps", "Account.csv")
    deals = needs_data("sfdc_demo_org_opps", "Opportunity.csv")
    assert cli("import", "accounts", str(accounts), "--preset", "salesforce-accounts").exit_code == 0
    result = cli("import", "deals", str(deals), "--preset", "salesforce-opportunities")
    assert result.exit_code == 0, result.output
    whole = "2024-01-01..2026-12-31"  # CloseDate 02/03/24 .. 03/31/26
    win = _kpi(cli, "win_rate", whole)
    assert win["value"] == pytest.approx(60.0) and win["inputs"] == {"won": 12, "lost": 8}
    assert _kpi(cli, "won_value", whole)["value"] == 281_500_000  # 2,815,000.00
    assert _kpi(cli, "won_value", whole)["inputs"]["lost_cents"] == 83_000_000  # 830,000.00
    pipeline = _kpi(cli, "open_pipeline", "2026-12")
    assert pipeline["value"] == 211_500_000  # 2,115,000.00 (blank amounts left out)
    assert pipeline["inputs"] == {"open_deals": 16, "with_amount": 13}
    # The sales cycle from the two simulated date columns, in a book of its own
    cycle_book = str(tmp_path / "cycle.db")
    assert cli("init", "--db", cycle_book).exit_code == 0
    assert cli("import", "accounts", str(accounts), "--preset", "salesforce-accounts",
               "--db", cycle_book).exit_code == 0
    result = cli("import", "deals", str(deals), "--preset", "salesforce-opportunities",
                 "--map", "Opp Creation Date_Simulated=created_on",
                 "--map", "Opp Close Date_Simulated=close_on", "--db", cycle_book)
    assert result.exit_code == 0, result.output
    cycle = cli("kpi", "sales_cycle_median", "--period", "2024", "--json", "--db", cycle_book)
    (row,) = json.loads(cycle.stdout)
    assert row["value"] == 17.0 and row["inputs"]["mean_days"] == pytest.approx(20.5)
    # ...and agree with a direct count of the file (IsWon / IsClosed, simulated dates)
    rows = _rows(deals)
    won = [row for row in rows if row["IsWon"] == "TRUE"]
    lost = [row for row in rows if row["IsClosed"] == "TRUE" and row["IsWon"] == "FALSE"]
    assert (len(won), len(lost)) == (12, 8)
    days = [(datetime.strptime(row["Opp Close Date_Simulated"], "%m/%d/%y")
             - datetime.strptime(row["Opp Creation Date_Simulated"], "%m/%d/%y")).days
            for row in won]
    assert statistics.median(days) == 17


def test_saas_order_log(cli, query) -> None:  # type: ignore[no-untyped-def]
    orders = needs_data("aws_saas_sales", "SaaS-Sales.csv")
    result = cli("import", "payments", str(orders), "--preset", "aws-saas-sales",
                 "--create-accounts")
    assert result.exit_code == 0, result.output
    assert "9,994 new" in result.output and "99 accounts created" in result.output
    assert query("SELECT count(DISTINCT invoice_id), count(DISTINCT account_id), "
                 "min(substr(attempted_at, 1, 10)), max(substr(attempted_at, 1, 10)) "
                 "FROM payments") == [(5_009, 99, "2021-01-04", "2024-12-31")]
    assert query("SELECT name FROM accounts WHERE id = '1029'") == [("Example Corp Life Sciences",)]
    # Sales carries sub-cent values (22.368); retain keeps cents, each line rounded half up,
    # so a year differs from the file's float sum by at most half a cent a line.
    by_year = {"2021": 48_424_750, "2022": 47_053_251, "2023": 60_847_383, "2024": 73_394_802}
    lines = Counter(row[0] for row in query("SELECT substr(attempted_at, 1, 4) FROM payments"))
    for year, manifest_cents in by_year.items():
        revenue = _kpi(cli, "collected_revenue", year)
        assert abs(revenue["value"] - manifest_cents) <= lines[year] / 2, year
    total = _kpi(cli, "collected_revenue", "2021-01-01..2024-12-31")
    assert abs(total["value"] - 229_720_186) <= 9_994 / 2  # 2,297,201.86
    assert total["inputs"]["purchases"] == 5_009 and total["inputs"]["customers"] == 99
    top = query("SELECT account_id, sum(amount_cents) FROM payments GROUP BY 1 ORDER BY 2 DESC "
                "LIMIT 1")
    assert top[0][0] == "1029" and abs(top[0][1] - 5_571_921) <= 100  # 55,719.21
