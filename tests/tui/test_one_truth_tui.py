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


async def test_days_in_stage_is_the_same_number_in_show_the_pane_and_the_board(
        store: Store) -> None:
    """Item 29: entered at 20:00 309 calendar days ago (308.6 elapsed): 309 everywhere."""
    from typer.testing import CliRunner

    from commands.main import app as cli
    from tui.account_screen import AccountScreen
    from tui.card_list import CardList

    entered = datetime(2025, 1, 1, 20, tzinfo=UTC)
    store.add_account(Account(id="acme", name="Acme", stage="adoption", stage_entered_at=entered))
    with time_machine.travel(datetime(2025, 11, 6, 10, tzinfo=UTC), tick=False):
        shown = CliRunner().invoke(cli, ["show", "acme", "--db", str(store.path)])
        assert shown.exit_code == 0, shown.output
        assert "stage adoption for 309d" in shown.stdout
        app = RetainApp(store)
        async with app.run_test(size=(140, 40)) as pilot:
            await _settled(pilot)
            card = app.screen.query_one("#cards-adoption", CardList)
            assert "309d" in "\n".join(
                strip.text for strip in (card.render_line(y) for y in range(4)))
            await pilot.press("enter")
            await _settled(pilot)
            assert isinstance(app.screen, AccountScreen)
            facts = app.screen.query_one("#facts-summary")
            assert "309 days in stage" in str(facts.render())


async def _type_while_it_opens(app: RetainApp, opener: str, keys: list[str]) -> None:
    """Press `opener`, then type `keys` the moment its form is pushed, before it has mounted
    (as a fast typist does while the form's styles load)."""
    import asyncio

    from textual import events

    from tui.forms import FormScreen

    app.post_message(events.Key(opener, opener))
    for _ in range(10_000):
        if isinstance(app.screen, FormScreen):
            break
        await asyncio.sleep(0)
    assert isinstance(app.screen, FormScreen) and not app.screen.query("#form-fields")
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_typed_while_the_log_form_opens_land_in_it_and_ctrl_s_saves_them(
        store: Store) -> None:
    """Item 32: `i` and the note typed straight after it, then ctrl+s: the note is saved."""
    from tui.forms.log_form import LogForm

    store.add_account(Account(id="acme", name="Acme", stage="adoption"))
    app = RetainApp(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await _settled(pilot)
        await _type_while_it_opens(app, "i", [*"called Dana", "ctrl+s"])
        for _ in range(5):
            await _settled(pilot)
        assert not isinstance(app.screen, LogForm)  # saved and closed
    [logged] = store.timeline("acme")[:1]
    assert (logged.kind, logged.detail) == ("interaction", "called Dana")


async def test_keys_typed_in_one_burst_with_i_land_in_the_form(store: Store) -> None:
    """Item 32: `i` and the note arrive in one read (a paste, a fast typist): the board takes
    none of them; they all land in the form, and ctrl+s saves them."""
    from textual import events

    from tui.forms.log_form import LogForm

    store.add_account(Account(id="acme", name="Acme", stage="adoption"))
    store.add_account(Account(id="zeta", name="Zeta", stage="retention"))
    app = RetainApp(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await _settled(pilot)
        for key in ["i", *"called Dana; all well", "ctrl+s"]:  # 'l' would move the board
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(5):
            await _settled(pilot)
        assert not isinstance(app.screen, LogForm)
    [logged] = store.timeline("acme")[:1]
    assert (logged.kind, logged.detail) == ("interaction", "called Dana; all well")


async def test_keys_typed_while_a_form_opens_are_kept_when_not_saved_yet(store: Store) -> None:
    """Item 32: without ctrl+s the typed text waits in the form's first field."""
    from textual.widgets import Input, TextArea

    from tui.forms.log_form import LogForm
    from tui.forms.task_form import TaskForm

    store.add_account(Account(id="acme", name="Acme", stage="adoption"))
    app = RetainApp(store)
    async with app.run_test(size=(140, 40)) as pilot:
        await _settled(pilot)
        await _type_while_it_opens(app, "i", [*"hello"])
        await _settled(pilot)
        assert isinstance(app.screen, LogForm)
        assert app.screen.query_one("#summary", TextArea).text == "hello"
        await pilot.press("escape")
        await _settled(pilot)
        await _type_while_it_opens(app, "t", [*"renew"])
        await _settled(pilot)
        assert isinstance(app.screen, TaskForm)
        assert app.screen.query_one("#title", Input).value == "renew"
