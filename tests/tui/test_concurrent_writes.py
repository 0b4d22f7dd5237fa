"""Writing from the CLI while the TUI is open on the same file: nobody sees 'database is locked'."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import Store
from store.demo import generate_demo
from store.models import Interaction
from tests.tui.conftest import settle
from tui.app import RetainApp

RETAIN = Path(sys.executable).parent / "retain"


@pytest.mark.skipif(not RETAIN.exists(), reason="retain is not installed here")
async def test_cli_writes_while_the_board_is_open(book_path: Path) -> None:
    with Store.open(book_path) as setup:
        generate_demo(setup, accounts=60, seed=5)
        key = setup.board_cards("adoption", 0, 1)[0].account_id
    store = Store.open(book_path)
    app = RetainApp(store)
    env = {**os.environ, "RETAIN_DB": str(book_path)}
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        for step in range(5):
            await pilot.press("j", "l")  # the board keeps reading while the CLI writes
            result = await asyncio.to_thread(
                subprocess.run,
                [str(RETAIN), "log", key, "note", f"note {step}"],
                capture_output=True, text=True, env=env, timeout=60,
            )
            assert result.returncode == 0, result.stderr
        moved = await asyncio.to_thread(
            subprocess.run, [str(RETAIN), "stage", key, "retention"],
            capture_output=True, text=True, env=env, timeout=60,
        )
        assert moved.returncode == 0, moved.stderr
        await pilot.press("q")
    store.close()
    with Store.open(book_path) as check:
        notes = [i.summary for i in check.export_rows(Interaction) if i.account_id == key]
        assert {f"note {n}" for n in range(5)} <= set(notes)
        assert check.get_account(key).stage == "retention"
