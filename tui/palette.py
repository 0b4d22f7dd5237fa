"""Command palette entries: jump to any account by name (the actions come from the app)."""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import Hit, Hits, Provider

from store.display import visible


class AccountJump(Provider):
    """`Go: <account>` for every account whose name, key or domain matches what is typed."""

    async def search(self, query: str) -> Hits:
        """Ask the store (in a thread: it may read many rows) and offer the best matches."""
        if len(query.strip()) < 2:
            return
        app = self.app
        found = await asyncio.to_thread(app.store.search_accounts, query, 15)  # type: ignore[attr-defined]
        matcher = self.matcher(query)
        for key, name, stage in found:
            label = f"Go: {visible(name)} ({visible(key)}, {stage})"
            score = max(matcher.match(label), 0.1)
            yield Hit(score, Text(label), partial(app.go_to_account, key),  # type: ignore[attr-defined]
                      help="Select it on the board and open its pane")
