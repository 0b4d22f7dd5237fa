"""A small hand-built book for the CLI tests, with names chosen to exercise account lookup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import time_machine
from typer.testing import CliRunner, Result

from commands.main import app
from store import Store
from store.models import Account, Contact, Subscription

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run `retain ARGS...` in-process on the test's book (from $RETAIN_DB)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input)

    return invoke


@pytest.fixture
def book(store: Store) -> Store:
    """Four accounts: two whose names share 'Acme', an accented one, one churned."""
    with time_machine.travel(datetime(2026, 1, 10, 9, tzinfo=UTC), tick=False):
        for key, name, stage, owner in [
            ("ACC-1", "Acme Corp", "adoption", "Dana"),
            ("ACC-2", "Acme Analytics", "retention", "Dana"),
            ("ACC-3", "Zürich Rück AG", "activation", "Lee"),
            ("ACC-4", "Old Customer Ltd", "churned", "Lee"),
        ]:
            store.add_account(Account(id=key, name=name, stage=stage, owner=owner,
                                      segment="SMB", renewal_on=date(2026, 12, 15)))
        store.add(Subscription(id="S-1", account_id="ACC-1", mrr_cents=120_000,
                               started_on=date(2025, 6, 1)))
        store.add(Contact(id="C-1", account_id="ACC-1", name="Maya Ng", email="maya@acme.test",
                          is_primary=True))
    return store
