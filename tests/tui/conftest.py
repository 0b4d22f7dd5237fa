"""Helpers shared by the TUI tests: wait for the app's workers and messages, never a fixed sleep."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.worker import WorkerState

SETTLE_ROUNDS = 40
WAIT_SECONDS = 15.0
POLL_SECONDS = 0.05


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
