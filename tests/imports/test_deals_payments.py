"""Deals and payments: presets from the tools' export layouts, synonyms, refunds, failures,
space-aligned text, YYYYMMDD and two-digit-year dates, export that re-imports unchanged."""

from __future__ import annotations

import csv
import json

import pytest

from store.imports.sales_presets import (
    CHARGEBEE_INVOICES,
    HUBSPOT_DEALS,
    PIPEDRIVE_DEALS,
    SALESFORCE_OPPORTUNITY,
    STRIPE_INVOICES,
    STRIPE_PAYMENTS,
)
from tests.imports.conftest import FIXTURES, book_bytes, summary


def _deals(query):  # type: ignore[no-untyped-def]
    return query("SELECT id, account_id, status, amount_cents, currency, created_on, close_on, "
                 "stage FROM deals ORDER BY id")


def _payments(query):  # type: ignore[no-untyped-def]
    return query("SELECT id, account_id, status, amount_cents, refunded_cents, kind, "
                 "substr(attempted_at, 1, 10) FROM payments ORDER BY id")


def _headers(name: str) -> tuple[str, ...]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as stream:
        return tuple(next(csv.reader(stream)))


@pytest.mark.parametrize(("fixture", "layout"), [
    ("salesforce_opportunities.csv", SALESFORCE_OPPORTUNITY), ("hubspot_deals.csv", HUBSPOT_DEALS),
    ("pipedrive_deals.csv", PIPEDRIVE_DEALS), ("stripe_payments.csv", STRIPE_PAYMENTS),
    ("stripe_invoices.csv", STRIPE_INVOICES), ("chargebee_invoices.csv", CHARGEBEE_INVOICES),
])
def test_fixtures_carry_the_tools_headers_verbatim(fixture: str, layout: tuple[str, ...]) -> None:
    assert _headers(fixture) == layout


def test_salesforce_opportunities_status_from_the_flags(cli, query) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "deals", str(FIXTURES / "salesforce_opportunities.csv"),
                 "--preset", "salesforce-opportunities", "--create-accounts")
    assert result.exit_code == 0, result.output
    assert "4 new" in result.output and "3 accounts created" in result.output
    assert _deals(query) == [
        ("0061x00000AAA01", "0011x00000ACME1", "won", 2_400_000, "USD", "2026-01-06",
         "2026-02-10", "Closed Won"),
        ("0061x00000AAA02", "0011x00000BETA1", "lost", 800_000, "USD", "2026-01-20",
         "2026-02-20", "Closed Lost"),
        ("0061x00000AAA03", "0011x00000ACME1", "open", 600_000, "USD", "2026-02-15",
         "2026-04-30", "Negotiation/Review"),
        # a blank amount stays unknown, not 0
        ("0061x00000AAA04", "0011x00000GAMA1", "won", None, "USD", "2026-02-01", "2026-03-05",
         "Closed Won"),
    ]
    # An account named only by its CRM id is called by that id until an accounts import names it
    assert query("SELECT name FROM accounts WHERE id = '0011x00000ACME1'") == [("0011x00000ACME1",)]
    cli("import", "accounts", "-", input="id,name\n0011x00000ACME1,Acme Corp\n")
    assert query("SELECT name FROM accounts WHERE id = '0011x00000ACME1'") == [("Acme Corp",)]


def test_hubspot_deals_take_the_first_associated_company(cli, query) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "deals", str(FIXTURES / "hubspot_deals.csv"), "--preset",
                 "hubspot-deals", "--create-accounts")
    assert result.exit_code == 0, result.output
    assert _deals(query) == [
        ("9001", "501", "won", 1_200_000, "USD", "2026-01-15", "2026-03-02", "Closed Won"),
        ("9002", "503", "open", 500_000, "USD", "2026-02-10", "2026-05-01", "Contract Sent"),
        ("9003", "504", "lost", 300_000, "USD", "2026-02-01", "2026-02-27", "Closed Lost"),
    ]
    assert query("SELECT id, name FROM accounts ORDER BY id") == [
        ("501", "Acme Corp"), ("503", "Beta Ltd"), ("504", "Gamma Inc")]


def test_pipedrive_deals_skip_deleted_ones_and_say_so(cli, query) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "deals", str(FIXTURES / "pipedrive_deals.csv"), "--preset",
                 "pipedrive-deals", "--create-accounts")
    assert result.exit_code == 0, result.output
    assert "1 skipped" in result.output
    assert "1 row(s) skipped: deleted deals" in result.output
    assert _deals(query) == [
        ("1", "Acme Corp", "won", 450_000, "EUR", "2026-01-04", "2026-01-30",
         "Negotiations Started"),
        # no close date: the lost time stands in for it
        ("2", "Beta Ltd", "lost", 120_000, "EUR", "2026-01-10", "2026-02-02", "Proposal Made"),
        ("3", "Gamma Inc", "open", 80_000, "EUR", "2026-02-01", None, "Qualified"),
    ]


def test_stripe_payments_with_a_refund_and_failures(cli, query) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "payments", str(FIXTURES / "stripe_payments.csv"), "--preset",
                 "stripe-payments", "--create-accounts")
    assert result.exit_code == 0, result.output
    assert _payments(query) == [
        ("ch_3Pa1", "cus_ACME", "paid", 9_900, None, None, "2026-03-01"),
        ("ch_3Pa2", "cus_BETA", "failed", 4_900, None, None, "2026-03-02"),
        ("ch_3Pa3", "cus_BETA", "paid", 4_900, None, None, "2026-03-05"),
        ("ch_3Pa4", "cus_GAMA", "refunded", 20_000, 20_000, None, "2026-03-08"),
        ("ch_3Pa5", "cus_GAMA", "failed", 9_900, None, None, "2026-03-20"),
    ]
    assert query("SELECT name FROM accounts WHERE id = 'cus_GAMA'") == [("Gamma Inc",)]


def test_stripe_invoices_open_attempted_is_failed_void_is_skipped(cli, query) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "payments", str(FIXTURES / "stripe_invoices.csv"), "--preset",
                 "stripe-invoices", "--create-accounts")
    assert result.exit_code == 0, result.output
    assert "1 skipped" in result.output and "void or draft invoices" in result.output
    assert _payments(query) == [
        ("in_1Q01", "cus_ACME", "paid", 9_900, None, "recurring", "2026-03-01"),
        ("in_1Q02", "cus_BETA", "failed", 4_900, None, "recurring", "2026-03-02"),
        ("in_1Q04", "cus_GAMA", "failed", 9_900, None, "recurring", "2026-03-04"),
        ("in_1Q05", "cus_GAMA", "paid", 25_000, None, "one_off", "2026-03-06"),
    ]
    assert query("SELECT paid_at, invoice_id FROM payments WHERE id = 'in_1Q05'") == [
        ("2026-03-09T08:00:00Z", "GAMA-0003")]


def test_chargebee_invoices_payment_due_is_failed(cli, query) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "payments", str(FIXTURES / "chargebee_invoices.csv"), "--preset",
                 "chargebee-invoices", "--create-accounts")
    assert result.exit_code == 0, result.output
    assert "1 skipped" in result.output
    assert _payments(query) == [
        ("1001", "acme", "paid", 12_000, None, "recurring", "2026-03-01"),
        ("1002", "beta", "failed", 6_000, None, "recurring", "2026-03-02"),
        ("1004", "gamma", "failed", 30_000, None, "one_off", "2026-03-04"),
    ]
    assert query("SELECT DISTINCT currency FROM payments") == [("EUR",)]


def test_space_aligned_transactions_with_yyyymmdd_dates_and_a_return(cli, query) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "payments", str(FIXTURES / "transactions.txt"), "--preset",
                 "transactions", "--create-accounts")
    assert result.exit_code == 0, result.output
    assert "columns separated by runs of spaces" in result.output
    rows = query("SELECT account_id, substr(attempted_at, 1, 10), quantity, amount_cents, status, "
                 "kind FROM payments ORDER BY attempted_at")
    assert rows == [
        ("C-100", "2026-01-05", 2, 4_000, "paid", "one_off"),
        ("C-200", "2026-01-06", 1, 1_550, "paid", "one_off"),
        ("C-100", "2026-02-10", -1, -2_000, "refunded", "one_off"),  # a return: negative
        ("C-300", "2026-02-12", 3, 9_000, "paid", "one_off"),
    ]
    # The same transactions as CSV, where the return's amount is written positive: the
    # negative quantity makes it a refund all the same, so nothing changes.
    again = cli("import", "payments", str(FIXTURES / "transactions.csv"), "--preset",
                "transactions")
    assert again.exit_code == 0, again.output
    assert "0 new, 0 updated, 3 unchanged" in again.output


def test_unit_price_times_quantity_and_generic_synonyms(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    # Online-Retail-style: an invoice number, a negative quantity for a cancellation.
    text = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
            "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom\n"
            "C536379,D,Discount,-1,12/1/2010 9:41,27.50,14527,United Kingdom\n")
    result = cli("import", "payments", str(write("retail.csv", text)), "--create-accounts")
    assert result.exit_code == 0, result.output
    assert query("SELECT account_id, invoice_id, amount_cents, status, description "
                 "FROM payments ORDER BY account_id") == [
        ("14527", "C536379", -2_750, "refunded", "Discount"),
        ("17850", "536365", 1_530, "paid", "WHITE HANGING HEART"),
    ]


def test_generic_deal_columns_and_a_custom_stage_map(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    assert cli("setting", "deals.stage_status",
               '{"Contract countersigned": "won", "Went dark": "lost"}').exit_code == 0
    text = ("Deal ID,Company,Deal Stage,Deal Value,Created Date,Close Date,Currency Code\n"
            "D1,Acme,Contract Countersigned,\"$1,200.00\",2026-01-02,2026-01-20,usd\n"
            "D2,Acme,went dark,500,2026-01-03,2026-01-25,usd\n"
            "D3,Acme,Closed-Won,700,2026-01-04,2026-01-26,usd\n"
            "D4,Acme,Demo booked,900,2026-01-05,,usd\n")
    result = cli("import", "deals", str(write("crm.csv", text)), "--create-accounts")
    assert result.exit_code == 0, result.output
    assert query("SELECT id, status, amount_cents FROM deals ORDER BY id") == [
        ("D1", "won", 120_000), ("D2", "lost", 50_000), ("D3", "won", 70_000),
        ("D4", "open", 90_000)]


def test_a_bad_row_names_file_line_and_column_and_writes_nothing(cli, write, book_path) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", "-", input="id,name\nA,Acme\n")
    before = book_bytes(book_path)
    text = "id,account,amount,date,status\np1,A,10.00,2026-01-01,paid\np2,A,ten,2026-01-02,paid\n"
    result = cli("import", "payments", str(write("bad.csv", text)))
    assert result.exit_code != 0
    assert "bad.csv:3: column 'amount'" in result.output
    assert "Traceback" not in result.output
    assert book_bytes(book_path) == before


def test_an_unknown_payment_status_is_refused_with_the_accepted_ones(cli, write) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", "-", input="id,name\nA,Acme\n")
    text = "id,account,amount,date,status\np1,A,10.00,2026-01-01,bounced\n"
    result = cli("import", "payments", str(write("odd.csv", text)))
    assert result.exit_code != 0
    assert "odd.csv:2: column 'status'" in result.output and "'failed'" in result.output


def test_dry_run_writes_nothing(cli, book_path) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", "-", input="id,name\nA,Acme\n")
    before = book_bytes(book_path)
    result = cli("import", "deals", str(FIXTURES / "hubspot_deals.csv"), "--preset",
                 "hubspot-deals", "--create-accounts", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would import" in result.output and "'Deal Stage' -> stage" in result.output
    assert book_bytes(book_path) == before


@pytest.mark.parametrize("kind", ["deals", "payments"])
@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_export_reimports_unchanged(cli, tmp_path, query, kind: str, fmt: str) -> None:  # type: ignore[no-untyped-def]
    cli("import", "deals", str(FIXTURES / "salesforce_opportunities.csv"), "--preset",
        "salesforce-opportunities", "--create-accounts")
    cli("import", "payments", str(FIXTURES / "transactions.txt"), "--preset", "transactions",
        "--create-accounts")
    cli("import", "payments", str(FIXTURES / "stripe_payments.csv"), "--preset",
        "stripe-payments", "--create-accounts")
    before = query(f"SELECT * FROM {kind} ORDER BY id")
    out = tmp_path / f"{kind}.{fmt}"
    assert cli("export", kind, "--format", fmt, "--output", str(out)).exit_code == 0
    result = cli("import", kind, str(out), "--json")
    assert result.exit_code == 0, result.output
    (file,) = summary(result)["files"]
    assert (file["new"], file["updated"], file["unchanged"]) == (0, 0, len(before))
    assert query(f"SELECT * FROM {kind} ORDER BY id") == before


def test_reimport_of_a_changed_status_updates_in_place(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", "-", input="id,name\nA,Acme\n")
    first = "id,account,amount,date,status\np1,A,10.00,2026-01-01,pending\n"
    assert cli("import", "payments", str(write("p1.csv", first))).exit_code == 0
    later = json.dumps([{"id": "p1", "account": "A", "amount": 10, "date": "2026-01-01",
                         "status": "succeeded"}])
    result = cli("import", "payments", str(write("p2.json", later)))
    assert "0 new, 1 updated" in result.output
    assert query("SELECT status FROM payments") == [("paid",)]


def test_stripe_statuses_beyond_paid_and_failed(cli, write, query) -> None:  # type: ignore[no-untyped-def]
    header = ",".join(f'"{name}"' if "," in name else name for name in STRIPE_PAYMENTS)
    blank = [""] * len(STRIPE_PAYMENTS)

    def line(key: str, status: str, refunded: str = "0.00") -> str:
        cells = list(blank)
        for name, value in (("id", key), ("Created (UTC)", "2026-03-01 10:00:00"),
                            ("Amount", "10.00"), ("Amount Refunded", refunded),
                            ("Currency", "usd"), ("Status", status), ("Customer ID", "cus_A")):
            cells[STRIPE_PAYMENTS.index(name)] = value
        return ",".join(cells)

    text = "\n".join([header, line("c1", "Blocked"), line("c2", "Uncaptured"),
                      line("c3", "Canceled"), line("c4", "Partially refunded", "4.00"),
                      line("c5", "Disputed")]) + "\n"
    result = cli("import", "payments", str(write("unified_payments.csv", text)), "--preset",
                 "stripe-payments", "--create-accounts")
    assert result.exit_code == 0, result.output
    assert "1 row(s) skipped: canceled payments (never charged)" in result.output
    assert query("SELECT id, status, refunded_cents FROM payments ORDER BY id") == [
        ("c1", "failed", None), ("c2", "pending", None), ("c4", "refunded", 400),
        ("c5", "refunded", 1_000)]


def test_a_void_invoice_without_a_preset_is_refused_with_a_way_out(cli, write) -> None:  # type: ignore[no-untyped-def]
    cli("import", "accounts", "-", input="id,name\nA,Acme\n")
    text = "id,account,amount,date,status\nin1,A,10.00,2026-01-01,void\n"
    result = cli("import", "payments", str(write("inv.csv", text)))
    assert result.exit_code != 0
    assert "inv.csv:2: column 'status': 'void' never charged anyone" in result.output
