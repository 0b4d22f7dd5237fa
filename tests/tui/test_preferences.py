"""The theme and keys are the person's: saved to config.toml off the UI thread, never the book."""

from __future__ import annotations

from pathlib import Path

import pysqlite3.dbapi2 as sqlite3

from store import Store
from store.user_config import change_user_setting, load_user_config
from tests.tui.conftest import settle
from tui.app import RetainApp
from tui.triage_screen import TriageScreen


async def test_changing_the_theme_while_an_import_holds_the_lock_does_not_freeze(
    store: Store, book_path: Path
) -> None:
    holder = sqlite3.connect(book_path)
    holder.execute("BEGIN IMMEDIATE")  # what a long import does
    try:
        app = RetainApp(store)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            app.theme = "gruvbox"
            await settle(pilot)
            await pilot.press("T")  # the app still answers keys
            await pilot.pause()
            assert isinstance(app.screen, TriageScreen)
        assert load_user_config().theme == "gruvbox"
        assert store.get_setting("ui.theme") is None
    finally:
        holder.rollback()
        holder.close()


async def test_the_saved_theme_and_a_remapped_key_apply_at_start(store: Store) -> None:
    change_user_setting("theme", "nord")
    change_user_setting("keys", {"app.triage": "ctrl+t"})
    app = RetainApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
