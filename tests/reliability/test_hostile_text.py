"""Hostile text in names, notes, owners, titles and comments: shown literally, never acted on.

Already proven elsewhere (not repeated): `show` with markup and an OSC 52 escape
(tests/cli/test_read_commands.py::test_hostile_text_is_shown_literally_in_tables), the
`visible()` stand-ins (tests/store/test_display.py), a board card with markup and ESC
(tests/tui/test_board.py::test_user_text_is_shown_literally), the log form
(tests/tui/test_forms.py::test_hostile_text_is_saved_verbatim_and_shown_harmlessly). Here: every
hostile string at once, in every listing and every TUI surface, plus 100k-character lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from textual.widgets import DataTable, Static
from typer.testing import CliRunner

from commands.main import app
from store import Store
from store.ids import new_id
from store.models import Account, Interaction, Subscription, SurveyAnswer, Task
from tests.reliability.conftest import dump
from tui.account_screen import AccountScreen
from tui.app import RetainApp
from tui.card_list import CardList
from tui.triage_screen import TriageScreen

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
MARKUP = ["[/oops]", "[link=https://x]y[/link]", "[bold red]loud[/]"]
CONTROLS = ["\x1b[2J", "\x1b]52;c;ZXZpbA==\x07", "\u202e", "\u200b", "\u2066", "\x9b31m"]
HOSTILE = " ".join(MARKUP) + " " + "".join(CONTROLS) + " tail"
LONG = "L" * 100_000
FORBIDDEN = ("\x1b", "\x07", "\u202e", "\u200b", "\u2066", "\x9b")


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def evil(store: Store) -> Store:
    """One account whose every text field is hostile, with a note, an answer and a task."""
    store.add_account(Account(id="evil", name="Evil " + HOSTILE, stage="adoption",
                              owner="Owner " + HOSTILE, segment=HOSTILE, plan=HOSTILE,
                              renewal_on=date(2026, 11, 10),
                              stage_entered_at=NOW - timedelta(days=200)))
    store.add(Subscription(id="sub-evil", account_id="evil", mrr_cents=90_000,
                           started_on=date(2025, 1, 1)))
    store.log_interaction(Interaction(id="i-evil", account_id="evil", kind="note",
                                      occurred_at=NOW - timedelta(days=1),
                                      summary="Note " + HOSTILE))
    store.log_interaction(Interaction(id="i-long", account_id="evil", kind="call",
                                      occurred_at=NOW - timedelta(days=2), summary=LONG))
    store.add_survey_answers([SurveyAnswer(id="nps-evil", account_id="evil", kind="nps",
                                           score=2, comment="Comment " + HOSTILE,
                                           answered_at=NOW - timedelta(days=3))])
    store.add_task(Task(id="task-evil-0001", account_id="evil", title="Task " + HOSTILE,
                        due_on=date(2026, 10, 20)))
    return store


def _literal(text: str) -> None:
    for piece in MARKUP:
        assert piece in text, piece
    for char in FORBIDDEN:
        assert char not in text, repr(char)
    assert "<U+202E>" in text  # the bidi override is named, not obeyed


@pytest.mark.parametrize("args", [
    ["accounts"], ["accounts", "--owner", "Owner " + HOSTILE], ["show", "evil"],
    ["task", "list"], ["kpi", "nps", "--by", "owner", "--period", "2026-10"],
    ["health", "evil"], ["kpi", "nps", "--months", "2", "--period", "2026-10", "--segment", HOSTILE],
], ids=["accounts", "accounts-owner", "show", "task-list", "kpi-by-owner", "health",
        "kpi-title-with-segment"])
def test_cli_tables_show_hostile_text_literally(evil: Store, args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output[-500:]
    out = result.stdout
    for char in FORBIDDEN:
        assert char not in out, repr(char)
    if args[0] == "health":
        return
    # A table folds long cells over several lines; these short pieces each fit in a column.
    flat = out.replace("\n", "")
    for piece in ("[/oops]", "[link=https://x]", "[bold red]loud[/]", "␛[2J", "<U+202E>"):
        assert piece in out or piece in flat, piece


def test_a_100k_character_note_is_printed_whole_and_literally(evil: Store) -> None:
    out = CliRunner().invoke(app, ["show", "evil", "--json"]).stdout
    assert LONG in out and "\x1b" not in out
    assert json.loads(out)["timeline"]
    table = CliRunner().invoke(app, ["show", "evil"]).stdout
    assert table.count("L") >= 100_000


def test_json_keeps_the_text_exactly_as_stored(evil: Store) -> None:
    [row] = json.loads(CliRunner().invoke(app, ["accounts", "--json"]).stdout)
    assert row["name"] == "Evil " + HOSTILE  # JSON escapes control characters itself


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",
                                  "=HYPERLINK(\"http://x\",\"y\")"])
def test_csv_exports_neutralise_every_formula_start(store: Store, cell: str, tmp_path: Path) -> None:
    store.add_account(Account(id="f1", name=cell, stage="adoption", owner=cell))
    store.log_interaction(Interaction(id=new_id(), account_id="f1", kind="note",
                                      occurred_at=NOW, summary=cell))
    for args in (["export", "accounts"], ["export", "interactions"], ["accounts", "--csv"]):
        out = CliRunner().invoke(app, args).stdout
        rows = list(csv.DictReader(io.StringIO(out)))
        values = [v for row in rows for v in row.values() if v and v.removeprefix("'").strip() == cell.strip()]
        assert values, (args, out)
        assert all(v.startswith("'") for v in values), (args, values)


def test_a_negative_number_is_not_a_formula_but_text_starting_with_minus_is(store: Store) -> None:
    store.add_account(Account(id="n1", name="-minus Corp", stage="adoption"))
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(app, ["export", "accounts"]).stdout)))
    assert rows[0]["name"] == "'-minus Corp" and rows[0]["mrr_cents"] == "0"


def test_sql_in_a_search_is_a_bound_parameter(evil: Store, book_path: Path) -> None:
    before = dump(book_path, skip=set())
    attack = "%'; DROP TABLE accounts; --"
    for args in (["accounts", "--owner", attack], ["accounts", "--segment", attack],
                 ["accounts", "--stage", attack], ["show", attack], ["log", attack, "note", "x"],
                 ["task", "list", "--account", attack], ["kpi", "--owner", attack]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert "Traceback" not in result.output
        assert "evil" not in result.stdout.lower() or args[0] == "kpi"
    assert dump(book_path, skip=set()) == before


# -- the TUI ------------------------------------------------------------------------------


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _screen_text(screen) -> str:  # type: ignore[no-untyped-def]
    parts = [str(widget.render()) for widget in screen.query(Static)]
    for table in screen.query(DataTable):
        for row in range(table.row_count):
            parts.extend(str(cell) for cell in table.get_row_at(row))
    return "\n".join(parts)


async def test_the_board_card_shows_hostile_names_literally(evil: Store) -> None:
    app = RetainApp(evil)
    async with app.run_test(size=(160, 40)) as pilot:
        await _settled(pilot)
        await pilot.press("z")  # the column at full width: the whole name on one line
        await _settled(pilot)
        line = app.screen.query_one("#cards-adoption", CardList).render_line(0).text
        await pilot.press("z", "slash", *"[/oops]")  # a search for markup is text, not markup
        await _settled(pilot)
        found = app.screen.query_one("#cards-adoption", CardList).total
    assert "Evil [/oops] [link=http" in line
    for char in FORBIDDEN:
        assert char not in line
    assert found == 1


async def test_the_account_pane_shows_facts_and_timeline_literally(evil: Store) -> None:
    app = RetainApp(evil)
    async with app.run_test(size=(160, 50)) as pilot:
        await _settled(pilot)
        screen = AccountScreen(evil, "evil")
        await app.push_screen(screen)
        await _settled(pilot)
        text = _screen_text(screen)
        strips = [screen.render_line(y).text for y in range(50)]
    _literal(text)
    assert "Note [/oops]" in text and "Comment [/oops]" in text or "[/oops]" in text
    shown = "".join(strips)
    for char in FORBIDDEN:
        assert char not in shown, repr(char)


async def test_the_triage_row_shows_hostile_text_literally(evil: Store) -> None:
    app = RetainApp(evil, start="triage")
    async with app.run_test(size=(160, 40)) as pilot:
        await _settled(pilot)
        assert isinstance(app.screen, TriageScreen)
        text = _screen_text(app.screen)
        strips = "".join(app.screen.render_line(y).text for y in range(40))
    assert "[/oops]" in text and "Evil" in text
    for char in FORBIDDEN:
        assert char not in text and char not in strips, repr(char)
