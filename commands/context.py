"""Shared command options and how a command finds and opens its book."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from store import Store, StoreError
from store.display import visible
from store.location import resolve_db_path

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="PATH",
        help="The book's SQLite file. Default: $RETAIN_DB, else the user data directory.",
        show_default=False,
    ),
]


@dataclass
class Settings:
    """What the root callback learned: the `--db` given before the command name, if any."""

    db: Path | None = None


def db_path(ctx: typer.Context, db: Path | None) -> Path:
    """The book for this command: its own `--db`, else the root's, else $RETAIN_DB/default."""
    root: Settings | None = ctx.find_object(Settings)
    return resolve_db_path(db or (root.db if root else None))


class NoBook(StoreError):
    """The command needs a book and there is none at the path it was given (exit 3)."""


def open_store(ctx: typer.Context, db: Path | None, *, create: bool = False) -> Store:
    """Open (migrating if needed) the book this command works on.

    Only `init` and `demo` pass `create`: any other command given a path with no book
    refuses, so a mistyped `--db` never leaves an empty book (or folders) behind.
    """
    path = db_path(ctx, db)
    if not create and not path.exists():
        root: Settings | None = ctx.find_object(Settings)
        given = db or (root.db if root else None)
        init = f"retain init --db {path}" if given else "retain init"
        raise NoBook(f"there is no book at {visible(str(path))}; '{visible(init)}' creates "
                     "one (or 'retain demo', a sample book)")
    store = Store.open(path)
    if store.backup_path:
        typer.echo(f"retain: upgraded the book's schema; a copy was kept at {store.backup_path}",
                   err=True)
    return store
