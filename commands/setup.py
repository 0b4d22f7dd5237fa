"""Commands that set a book up: `init`, `demo` and `where`."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from commands.context import DbOption, db_path, open_store
from commands.errors import fail
from commands.tui_launcher import launch_tui
from store import Store
from store.display import visible
from store.kpis.periods import check_reporting_day
from store.lifecycle import DEFAULT_PRESET, PRESETS, LifecycleModel, load_custom_model
from store.migrations import LATEST_VERSION, stored_version
from store.models import Account
from store.user_config import config_path

PresetName = StrEnum("PresetName", {name: name for name in PRESETS})  # type: ignore[misc]


def _describe_stages(model: LifecycleModel) -> str:
    path = " → ".join(stage.key for stage in model.main_path)
    return f"{path} (+ churned)"


def init(
    ctx: typer.Context,
    preset: Annotated[
        PresetName,
        typer.Option(help="The lifecycle stage model to use."),
    ] = PresetName(DEFAULT_PRESET),
    stages: Annotated[
        Path | None,
        typer.Option(
            exists=True, dir_okay=False, metavar="FILE",
            help="A TOML file with your own [[stage]] list (key, label, phase); overrides --preset.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Create a book, or change its stage model."""
    model = load_custom_model(stages) if stages else PRESETS[preset.value]
    with open_store(ctx, db, create=True) as store:
        if store.lifecycle().keys != model.keys or store.lifecycle().name != model.name:
            store.set_lifecycle(model)
        typer.echo(f"Book ready at {store.path}")
        typer.echo(f"Stages ({model.name}): {_describe_stages(model)}")


def _remove_book(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _existing_demo_matches(store: Store, accounts: int, seed: int, as_of: date | None) -> bool:
    recorded = store.get_setting("demo")
    if not recorded:
        return False
    same_size = recorded.get("accounts") == accounts and recorded.get("seed") == seed
    return same_size and (as_of is None or recorded.get("as_of") == as_of.isoformat())


def demo(
    ctx: typer.Context,
    accounts: Annotated[
        int, typer.Option(min=1, max=2_000_000, help="How many accounts to generate.")
    ] = 300,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same book.")] = 7,
    as_of: Annotated[
        str | None,
        typer.Option(metavar="YYYY-MM-DD", help="The book's 'today'. Default: today."),
    ] = None,
    preset: Annotated[
        PresetName, typer.Option(help="The lifecycle stage model of the demo book.")
    ] = PresetName(DEFAULT_PRESET),
    replace: Annotated[
        bool, typer.Option("--replace", help="Discard whatever the book holds and write anew.")
    ] = False,
    open_app: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the board when the book is ready.")
    ] = True,
    db: DbOption = None,
) -> None:
    """Write a demo book and open it.

    The book holds 24 months of history: stage moves, subscriptions, interactions, surveys,
    usage and acquisition. The demo is the same for the same --seed, --accounts and --as-of. Running it again on the
    same book only opens it; --replace discards the book first.
    """
    try:
        book_day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise fail(f"--as-of: {as_of!r} is not a date like 2026-01-31") from None
    if book_day is not None:
        check_reporting_day(book_day, "--as-of")
    path = db_path(ctx, db)
    held, reuse = 0, False
    if path.exists():  # never create a book just to find it empty: a failure leaves nothing
        with open_store(ctx, db) as existing:
            held = existing.count(Account)
            reuse = bool(held) and _existing_demo_matches(existing, accounts, seed, book_day)
    if held and not reuse and not replace:
        raise fail(
            f"{path} already holds {held:,} accounts; pass --replace to discard them, "
            "or --db to write the demo elsewhere"
        )
    if reuse and not replace:
        typer.echo(f"The demo book at {path} is already there (seed {seed}, {accounts:,} accounts).")
    else:
        _write_demo(path, accounts, seed, book_day, PRESETS[preset.value])
    if open_app:
        launch_tui(open_store(ctx, db))


def _write_demo(
    path: Path, accounts: int, seed: int, as_of: date | None, model: LifecycleModel
) -> None:
    """Generate into a file beside the book, then swap it in: a failure leaves the old book."""
    from store.demo import generate_demo  # deferred: only this command needs it

    scratch = path.with_name(f".{path.name}.demo-{os.getpid()}")
    _remove_book(scratch)
    started = time.perf_counter()
    try:
        with Store.open(scratch) as store:
            store.set_lifecycle(model)
            with _progress_bar(accounts) as report:
                summary = generate_demo(
                    store, accounts=accounts, seed=seed, as_of=as_of, progress=report
                )
            store.checkpoint()
        _remove_book(path)
        os.replace(scratch, path)
    finally:
        _remove_book(scratch)
    elapsed = time.perf_counter() - started
    rows = summary.total_rows
    typer.echo(
        f"Wrote a demo book to {path}: {accounts:,} accounts, {rows:,} rows "
        f"(as of {summary.as_of}, seed {seed}) in {elapsed:.1f} s"
    )


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[int, int], None] | None]:
    """Yield a progress callback drawing a bar on a terminal; None when stderr is not one."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Generating accounts", total=total)
        yield lambda done, of: bar.update(task, completed=done, total=of)


def where(ctx: typer.Context, db: DbOption = None) -> None:
    """Print where the book is, and what it holds."""
    path = db_path(ctx, db)
    typer.echo(f"book: {visible(str(path))}")
    typer.echo(f"your settings: {visible(str(config_path()))}")
    if not path.exists():
        typer.echo("state: not created yet (`retain init` or `retain demo` creates it)")
        return
    version = stored_version(path)  # read-only: `where` never upgrades a book
    if version < LATEST_VERSION:
        typer.echo(f"state: schema version {version}, older than this retain's "
                   f"{LATEST_VERSION}; the next command that opens it upgrades it, keeping a "
                   "backup copy first")
        return
    with Store.open(path) as store:
        typer.echo(f"stages: {store.lifecycle().name}")
        typer.echo(f"accounts: {store.count(Account):,}")
