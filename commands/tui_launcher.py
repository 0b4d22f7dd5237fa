"""Open the Textual app; imported lazily so that plain CLI commands never load Textual."""

from __future__ import annotations

from store import Store


def launch_tui(store: Store) -> None:
    """Run the TUI on `store` until the user quits, then close the store."""
    from tui.app import RetainApp  # deferred: importing Textual costs ~300 ms

    try:
        RetainApp(store).run()
    finally:
        store.close()
