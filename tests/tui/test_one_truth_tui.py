"""Issue 14, items 26 and 32: what the TUI shows and keeps when text or keys arrive early."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from textual.widgets import OptionList

from store import Store
from store.lifecycle import CHURNED, LifecycleModel, Phase, Stage
from store.models import Account
from tui.app import RetainApp
from tui.move_dialog import MoveDialog

pytestmark = pytest.mark.asyncio


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_stage_label_with_a_newline_stays_on_its_row_of_the_move_dialog(
        store: Store) -> None:
    """Item 26: a custom label holding a newline is one row, its newline shown as ␊."""
    stages = (Stage("lead", "Lead", Phase.ACQUISITION),
              Stage("signed", "Signed\nfor real\x1b[2J", Phase.ENGAGEMENT),
              Stage(CHURNED, "Churned", Phase.RETENTION, terminal=True))
    store.set_lifecycle(LifecycleModel("ours", stages, "signed"))
    store.add_account(Account(id="acme", name="Acme", stage="lead"))
    app = RetainApp(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await _settled(pilot)
        await pilot.press("m")
        await _settled(pilot)
        assert isinstance(app.screen, MoveDialog)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(n).prompt) for n in range(len(stages))]
        assert prompts[1] == "Signed␊for real␛[2J"
        assert not any("\n" in prompt or "\x1b" in prompt for prompt in prompts)
        # One row per stage: the list is as tall as the number of stages.
        assert options.virtual_size.height == len(stages)
