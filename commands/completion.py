"""Shell completion for account keys and stage names, read from the book being used."""

from __future__ import annotations

import typer

from commands.context import db_path
from store import Store, StoreError
from store.migrations import LATEST_VERSION, stored_version


def _book(ctx: typer.Context) -> Store | None:
    path = db_path(ctx, ctx.params.get("db"))
    if not path.exists():  # completing must never create a book
        return None
    try:
        if stored_version(path) != LATEST_VERSION:  # nor upgrade one, behind the user's back
            return None
        return Store.open(path)
    except StoreError:
        return None


def complete_account(ctx: typer.Context, incomplete: str) -> list[str]:
    """Account keys starting with what was typed (at most 50)."""
    store = _book(ctx)
    if store is None:
        return []
    with store:
        rows = store.conn.execute(
            "SELECT id FROM accounts WHERE id >= ? AND id < ? ORDER BY id LIMIT 50",
            (incomplete, incomplete + "\U0010ffff"),
        ).fetchall()
    return [row[0] for row in rows]


def complete_stage(ctx: typer.Context, incomplete: str) -> list[str]:
    """The book's stage keys starting with what was typed."""
    store = _book(ctx)
    if store is None:
        return []
    with store:
        return [key for key in store.lifecycle().keys if key.startswith(incomplete)]
