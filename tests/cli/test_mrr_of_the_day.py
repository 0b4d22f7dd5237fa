"""`retain accounts` shows each account's MRR on the day it runs, though nothing was written
since a subscription ended."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import time_machine

from store import Store
from store.models import Account, Subscription


def test_the_accounts_list_drops_a_subscription_that_ended_since(book_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False):
        with Store.open(book_path) as store:
            store.add_account(Account(id="a", name="Acme", stage="adoption"))
            store.add(Subscription(id="s1", account_id="a", mrr_cents=10_000,
                                   started_on=date(2026, 1, 1), ended_on=date(2026, 3, 20)))
        assert json.loads(cli("accounts", "--json").stdout)[0]["mrr_cents"] == 10_000
    with time_machine.travel(datetime(2026, 3, 25, 9, tzinfo=UTC), tick=False):
        result = cli("accounts", "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)[0]["mrr_cents"] == 0
        assert "MRR $0" in cli("show", "a").stdout
