"""Shared by the TUI tests: the demo books, and waiting for workers and messages instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from textual.pilot import Pilot
from textual.worker import WorkerState

from store import Store
from store.demo import generate_demo

SETTLE_ROUNDS = 40
WAIT_SECONDS = 15.0
POLL_SECONDS = 0.05
DEMO_AS_OF = date(2026, 11, 1)
DEMO_NOON = datetime(2026, 11, 1, 12, tzinfo=UTC)
DASHBOARD_NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture
def demo_store(book_path: Path) -> Iterator[Store]:
    """A 120-account demo book, seed 11, as of 2026-11-01, generated at noon that day."""
    with time_machine.travel(DEMO_NOON, tick=False):
        store = Store.open(book_path)
        generate_demo(store, accounts=120, seed=11, as_of=DEMO_AS_OF)
        yield store
    store.close()


@pytest.fixture
def dashboard_store(book_path: Path) -> Iterator[Store]:
    """A 150-account demo book, seed 21, as of 2026-11-01; the clock stays at 2026-11-02 09:00."""
    with time_machine.travel(DASHBOARD_NOW, tick=False):
        store = Store.open(book_path)
        generate_demo(store, accounts=150, seed=21, as_of=DEMO_AS_OF)
        yield store
    store.close()


def _busy(pilot: Pilot[Any]) -> bool:
    """Whether a worker is still pending or running, or the app or screen has messages queued."""
    app = pilot.app
    working = any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers)
    return working or app.message_queue_size > 0 or app.screen.message_queue_size > 0


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until no worker is running and the app and screen have handled every queued message."""
    for _ in range(SETTLE_ROUNDS):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not _busy(pilot):
            return
    raise AssertionError(f"the app did not settle in {SETTLE_ROUNDS} rounds")


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = WAIT_SECONDS
) -> None:
    """Poll `condition` between short pauses until it holds; fail after about `timeout` seconds."""
    for _ in range(int(timeout / POLL_SECONDS)):
        if condition():
            return
        await pilot.pause(POLL_SECONDS)
    assert condition(), f"condition not met within {timeout} s"
