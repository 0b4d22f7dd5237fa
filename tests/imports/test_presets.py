"""Every preset maps its tool's real export headers; each has a file with those headers."""

from __future__ import annotations

import csv

import pytest

from store.imports.presets import PRESETS
from tests.imports.conftest import FIXTURES, summary

TOOL_FILES = {
    "stripe-subscriptions": "stripe_subscriptions.csv",
    "chargebee-subscriptions": "chargebee_subscriptions.csv",
    "hubspot-companies": "hubspot_companies.csv",
    "zendesk-tickets": "zendesk_tickets.csv",
    "intercom-conversations": "intercom_conversations.csv",
    "delighted-nps": "delighted_nps.csv",
    "typeform-nps": "typeform_nps.csv",
}


@pytest.fixture
def accounts(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "accounts", str(FIXTURES / "fixture_accounts.csv"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", list(TOOL_FILES))
def test_fixture_headers_are_the_presets_headers(name: str) -> None:
    with (FIXTURES / TOOL_FILES[name]).open(newline="", encoding="utf-8") as stream:
        assert tuple(next(csv.reader(stream))) == PRESETS[name].headers


@pytest.mark.parametrize("name", list(TOOL_FILES))
def test_preset_imports_its_tools_export(cli, accounts, name: str) -> None:  # type: ignore[no-untyped-def]
    preset = PRESETS[name]
    path = FIXTURES / TOOL_FILES[name]
    result = cli("import", preset.kind, str(path), "--preset", name, "--json")
    assert result.exit_code == 0, result.output
    file = summary(result)["files"][0]
    assert file["rejected"] == 0 and file["new"] == file["rows"] >= 2
    again = cli("import", preset.kind, str(path), "--preset", name, "--json")
    assert summary(again)["files"][0]["unchanged"] == file["rows"]


def test_stripe_amounts_become_monthly_cents(cli, accounts, query) -> None:  # type: ignore[no-untyped-def]
    cli("import", "subscriptions", str(FIXTURES / "stripe_subscriptions.csv"), "--preset",
        "stripe-subscriptions")
    assert query("SELECT id, mrr_cents, status, billing_interval, currency, started_on, ended_on "
                 "FROM subscriptions ORDER BY id") == [
        ("sub_1OaBcD2eZvKYlo2C", 14700, "active", "month", "USD", "2024-01-15", None),
        ("sub_1OaBcE2eZvKYlo2C", 10000, "cancelled", "year", "USD", "2023-03-01", "2024-04-01"),
        ("sub_1OaBcF2eZvKYlo2C", 1000, "trial", "month", "USD", "2024-05-01", None),
    ]
    assert query("SELECT mrr_cents FROM accounts WHERE id = 'cus_PQr1'") == [(14700,)]
    assert query("SELECT id, cancelled_on FROM subscriptions WHERE cancelled_on IS NOT NULL") \
        == [("sub_1OaBcE2eZvKYlo2C", "2024-04-01")]


def test_a_cancellation_date_is_kept_apart_from_the_end(cli, accounts, query, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Stripe's "cancel at period end": still active, cancelled on May 20, no Ended At, ends
    # with the period it paid for (June 15); a plain file that knows only when a subscription
    # was cancelled: it ended then.
    stripe = tmp_path / "stripe.csv"
    header = (FIXTURES / "stripe_subscriptions.csv").read_text().splitlines()[0]
    stripe.write_text(header + "\nsub_X,cus_PQr1,Acme Corp,b@acme.test,price_pro_monthly,"
                      "prod_Pro,1,usd,month,49.00,active,2024-01-15 10:23,2024-01-15 10:23,"
                      "2024-05-15 10:23,2024-06-15 10:23,,,,,,2024-05-20 09:00,,true\n")
    plain = tmp_path / "plain.csv"
    plain.write_text("id,customer_id,mrr,start_date,canceled_at\n"
                     "sub_Y,cus_PQr2,30,2024-01-01,2024-02-10\n")
    # Recurly-style: cancelled on the 3rd, paid (expires) to the end of the year
    recurly = tmp_path / "recurly.csv"
    recurly.write_text("id,customer_id,mrr,start_date,state,canceled_at,expires_at\n"
                       "sub_Z,cus_PQr2,40,2024-01-01,canceled,2024-11-03,2024-12-31\n")
    for path, extra in ((stripe, ["--preset", "stripe-subscriptions"]), (plain, []),
                        (recurly, [])):
        result = cli("import", "subscriptions", str(path), *extra)
        assert result.exit_code == 0, result.output
    assert query("SELECT id, status, ended_on, cancelled_on FROM subscriptions "
                 "WHERE id IN ('sub_X', 'sub_Y', 'sub_Z') ORDER BY id") == [
        ("sub_X", "active", "2024-06-15", "2024-05-20"),  # runs to its period's end
        ("sub_Y", "cancelled", "2024-02-10", "2024-02-10"),
        ("sub_Z", "cancelled", "2024-12-31", "2024-11-03"),
    ]


def test_support_and_survey_presets_find_accounts_by_name(cli, accounts, query) -> None:  # type: ignore[no-untyped-def]
    cli("import", "interactions", str(FIXTURES / "zendesk_tickets.csv"), "--preset", "zendesk-tickets")
    cli("import", "surveys", str(FIXTURES / "delighted_nps.csv"), "--preset", "delighted-nps")
    assert query("SELECT id, account_id, kind, occurred_at, summary FROM interactions ORDER BY id") == [
        ("4812", "cus_PQr1", "ticket", "2024-05-02T10:15:00Z", "Cannot export invoices"),
        ("4813", "cus_PQr2", "ticket", "2024-05-04T08:01:00Z", "SSO login loop"),
    ]
    assert query("SELECT account_id, kind, score, answered_at FROM survey_answers ORDER BY score") == [
        ("cus_PQr2", "nps", 4, "2024-05-02T15:00:00Z"), ("cus_PQr1", "nps", 9, "2024-05-01T23:22:13Z")]


def test_a_preset_for_another_kind_is_refused(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "accounts", str(FIXTURES / "stripe_subscriptions.csv"), "--preset",
                 "stripe-subscriptions")
    assert result.exit_code == 2
    assert "is for `retain import subscriptions`" in result.stderr
    unknown = cli("import", "accounts", str(FIXTURES / "hubspot_companies.csv"), "--preset", "nope")
    assert unknown.exit_code == 2 and "unknown preset 'nope'" in unknown.stderr
