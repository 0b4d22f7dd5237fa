"""The real public exports in ../shared/data import and reach the figures their MANIFEST states."""

from __future__ import annotations

import json

import pytest

from tests.imports.conftest import needs_data, summary


def _run(cli, *args: str) -> dict:  # type: ignore[no-untyped-def]
    result = cli("import", *args, "--json")
    assert result.exit_code == 0, result.output
    return summary(result)


def test_telco_customers_churn_and_mrr(cli, query) -> None:  # type: ignore[no-untyped-def]
    path = needs_data("telco", "WA_Fn-UseC_-Telco-Customer-Churn.csv")
    report = _run(cli, "accounts", str(path), "--preset", "telco-customers")
    assert report["files"][0]["new"] == 7043
    assert query("SELECT count(*), sum(stage = 'churned'), sum(mrr_cents) FROM accounts") == [
        (7043, 1869, 45_611_660)]
    assert round(1869 / 7043 * 100, 2) == 26.54
    # The 11 blank TotalCharges rows (tenure 0) are there like any other.
    assert query("SELECT count(*) FROM accounts WHERE id IN ('4472-LVYGI', '3115-CZMZD')") == [(2,)]


@pytest.fixture
def ravenstack(cli) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    folder = ("ravenstack",)
    reports = {}
    for kind, preset, name in (
        ("accounts", "ravenstack-accounts", "ravenstack_accounts.csv"),
        ("subscriptions", "ravenstack-subscriptions", "ravenstack_subscriptions.csv"),
        ("usage", "ravenstack-usage", "ravenstack_feature_usage.csv"),
        ("interactions", "ravenstack-tickets", "ravenstack_support_tickets.csv"),
        ("surveys", "ravenstack-ticket-csat", "ravenstack_support_tickets.csv"),
        ("stages", "ravenstack-churn", "ravenstack_churn_events.csv"),
    ):
        reports[preset] = _run(cli, kind, str(needs_data(*folder, name)), "--preset", preset)
    return reports


def test_ravenstack_book(ravenstack, query) -> None:  # type: ignore[no-untyped-def]
    # 110 accounts carry churn_flag True; once the churn events are in, an account's stage is
    # its latest move: 315 end in a churn, and 35 flagged accounts have no event at all.
    assert query("SELECT count(*), sum(stage = 'churned') FROM accounts") == [(500, 350)]
    assert query("SELECT count(*), sum(mrr_cents) FROM subscriptions WHERE ended_on IS NULL") == [
        (4514, 1_015_960_800)]
    assert query("SELECT count(*) FROM subscriptions") == [(5000,)]
    # 25,000 usage rows although 21 usage_ids repeat (the key pairs usage and subscription).
    assert query("SELECT count(*) FROM usage") == [(25000,)]
    assert query("SELECT count(*) FROM interactions WHERE kind = 'ticket'") == [(2000,)]
    count, mean = query("SELECT count(*), avg(score) FROM survey_answers WHERE kind = 'csat'")[0]
    assert count == 1175 and round(mean, 3) == 3.981
    assert ravenstack["ravenstack-ticket-csat"]["files"][0]["skipped"] == 825
    assert query("SELECT count(*), count(DISTINCT account_id) FROM stage_history "
                 "WHERE source = 'ravenstack'") == [(600, 352)]
    assert query("SELECT count(*) FROM stage_history WHERE source = 'ravenstack' "
                 "AND from_stage = 'churned'") == [(61,)]
    assert query("SELECT count(*) FROM stage_history WHERE to_stage = 'churned'") == [(539,)]
    # 35 churned accounts have no churn event.
    assert query("SELECT count(*) FROM accounts a WHERE stage = 'churned' AND NOT EXISTS "
                 "(SELECT 1 FROM stage_history h WHERE h.account_id = a.id)") == [(35,)]


def test_ravenstack_reimport_is_a_no_op(ravenstack, cli) -> None:  # type: ignore[no-untyped-def]
    path = needs_data("ravenstack", "ravenstack_feature_usage.csv")
    file = _run(cli, "usage", str(path), "--preset", "ravenstack-usage")["files"][0]
    assert (file["new"], file["updated"], file["unchanged"]) == (0, 0, 25000)


def test_sudzilla_survey_as_nps_for_one_account(cli, query) -> None:  # type: ignore[no-untyped-def]
    path = needs_data("nps_sudzilla", "input_01.csv")
    report = _run(cli, "surveys", str(path), "--preset", "question-nps", "--account", "sudzilla",
                  "--create-accounts")
    assert report["files"][0]["new"] == 39 and report["accounts_created"] == 1
    rows = query("SELECT score FROM survey_answers WHERE account_id = 'sudzilla' AND kind = 'nps'")
    scores = [row[0] for row in rows]
    promoters, detractors = sum(s >= 9 for s in scores), sum(s <= 6 for s in scores)
    assert (len(scores), promoters, detractors) == (39, 8, 22)
    assert round((promoters - detractors) / len(scores) * 100, 1) == -35.9
    assert query("SELECT min(answered_at) FROM survey_answers") == [("2019-11-01T08:51:12Z",)]


def test_sudzilla_needs_an_account(cli) -> None:  # type: ignore[no-untyped-def]
    path = needs_data("nps_sudzilla", "input_01.csv")
    result = cli("import", "surveys", str(path), "--preset", "question-nps")
    assert result.exit_code == 2 and "pass --account KEY" in result.stderr


def test_salesforce_latin1_account_export(cli, query) -> None:  # type: ignore[no-untyped-def]
    path = needs_data("salesforce", "salesforce_dataloader_accountData.csv")
    report = _run(cli, "accounts", str(path), "--preset", "salesforce-accounts",
                  "--encoding", "latin-1")
    assert report["files"][0]["new"] == 423
    names = {row[0] for row in query("SELECT name FROM accounts")}
    assert "Pébéo of America" in names and "Crédito Inmobiliario Terras" in names
    assert query("SELECT created_at FROM accounts WHERE id = '001x0000002xLCVAA2'") == [
        ("2006-04-15T03:23:15Z",)]
    guessed = cli("import", "accounts", str(path), "--preset", "salesforce-accounts", "--json")
    assert summary(guessed)["files"][0]["unchanged"] == 423  # the guess reads the same names


def test_ravenstack_accounts_and_funnel_agree_on_every_stage(ravenstack, cli, query) -> None:  # type: ignore[no-untyped-def]
    """Issue 14 item 27: the current stage of every account is its latest move."""
    from tests.imports.test_current_stage import assert_list_and_funnel_agree

    stages = [row[0] for row in query("SELECT key FROM stages ORDER BY position")]
    assert_list_and_funnel_agree(cli, stages)
    assert query(
        "SELECT count(*) FROM accounts a JOIN stage_history h ON h.account_id = a.id "
        "WHERE h.moved_at = (SELECT max(moved_at) FROM stage_history WHERE account_id = a.id) "
        "AND h.to_stage != a.stage AND NOT EXISTS (SELECT 1 FROM stage_history t WHERE "
        "t.account_id = a.id AND t.moved_at = h.moved_at AND t.id > h.id)") == [(0,)]
    # The churn events of June 2024 are churns of that month (none have a from-stage).
    june = json.loads(cli("funnel", "--period", "2024-06", "--json").stdout)["moves"]
    dated = query("SELECT count(*) FROM stage_history WHERE to_stage = 'churned' "
                  "AND moved_at >= '2024-06-01' AND moved_at < '2024-07-01'")[0][0]
    assert june["churns"] == dated > 0
