"""`retain playbook`: list, show, start editing and run the playbooks."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from commands.context import DbOption, open_store
from commands.dates import parse_day
from commands.errors import fail
from commands.output import Column, CsvOption, JsonOption, emit
from store.display import visible
from store.playbooks import Playbook, PlaybookSet, describe, playbooks_path
from store.playbooks.definitions import SHIPPED_PATH, Trigger
from store.private_files import write_privately

app = typer.Typer(
    help="Playbooks: the steps that become tasks when an account enters a stage, answers as a "
         "detractor, nears its renewal, stalls in onboarding or falls into the red band.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

LIST_COLUMNS = [
    Column("name", "Playbook"),
    Column("trigger_text", "Starts on"),
    Column("step_count", "Steps", justify="right"),
    Column("source", "From"),
    Column("in_book", "In this book", lambda value: "yes" if value else "no"),
    Column("trigger", "trigger", in_table=False),
    Column("stage", "stage", in_table=False),
    Column("days_before", "days_before", in_table=False),
    Column("description", "description", in_table=False),
]

STEP_COLUMNS = [
    Column("number", "#", justify="right"),
    Column("due", "Due", lambda value: f"day +{value}", justify="right"),
    Column("kind", "Kind"),
    Column("title", "Step"),
]


def _row(playbook: Playbook, playbooks: PlaybookSet, stages: tuple[str, ...]) -> dict[str, Any]:
    return {
        "name": playbook.name,
        "description": playbook.description,
        "trigger": playbook.trigger.value,
        "trigger_text": playbook.trigger_text(),
        "stage": playbook.stage,
        "days_before": playbook.days_before,
        "step_count": len(playbook.steps),
        "source": playbooks.origins[playbook.name],
        "in_book": playbook.trigger != Trigger.STAGE or playbook.stage in stages,
        "steps": [{"number": number, "title": step.title, "due": step.due,
                   "kind": step.kind.value if step.kind else None}
                  for number, step in enumerate(playbook.steps, 1)],
    }


@app.command("list")
def list_playbooks(
    ctx: typer.Context,
    book_only: Annotated[bool, typer.Option(
        "--book", help="Only the playbooks this book's stages can start.")] = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """List the playbooks in force: shipped ones and those of playbooks.toml."""
    with open_store(ctx, db) as store:
        playbooks = store.playbooks()
        stages = store.lifecycle().keys
    rows = [_row(p, playbooks, stages) for p in playbooks.playbooks]
    if book_only:
        rows = [row for row in rows if row["in_book"]]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if playbooks.path.exists():
        title = f"Playbooks: the shipped set and {playbooks.path}"
    else:
        title = (f"Playbooks: the shipped set ({playbooks.path} does not exist; "
                 "`retain playbook init` makes one to edit)")
    emit(rows, LIST_COLUMNS, as_csv=as_csv, title=None if as_csv else title)


@app.command("show")
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The playbook's name (see `retain playbook list`).")],
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """A playbook's trigger and steps."""
    with open_store(ctx, db) as store:
        playbooks = store.playbooks()
        row = _row(playbooks.get(name.strip()), playbooks, store.lifecycle().keys)
    if as_json:
        typer.echo(json.dumps(row, ensure_ascii=False, indent=2))
        return
    typer.echo(visible(f"{row['name']}: starts on {row['trigger_text']} ({row['source']})"))
    if row["description"]:
        typer.echo(visible(row["description"]))
    if not row["in_book"]:
        typer.echo(f"This book has no stage {row['stage']!r}: the playbook cannot start here.")
    emit(row["steps"], STEP_COLUMNS)


@app.command("init")
def init(
    force: Annotated[bool, typer.Option("--force", help="Replace an existing playbooks.toml.")]
    = False,
) -> None:
    """Copy the shipped playbooks to playbooks.toml in your config folder, to edit."""
    path = playbooks_path()
    if (path.exists() or path.is_symlink()) and not force:
        raise fail(f"{visible(str(path))} exists; --force replaces it")
    shipped = SHIPPED_PATH.read_text(encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_privately(path, lambda out: out.write(shipped))
    typer.echo(visible(f"Wrote the shipped playbooks to {path}; edit it, then check it with "
                       "`retain playbook list`."))


@app.command("run")
def run(
    ctx: typer.Context,
    on: Annotated[str | None, typer.Option(metavar="DATE", help="Evaluate as of this day "
                                           "(default: today).")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Start the playbooks due by date: renewals ahead, late onboarding, health in the red.

    Safe to run any number of times (from cron, say): a run starts once per trigger event.
    The app and Today do the same on their own.
    """
    day = parse_day(on, "--on") if on else None
    with open_store(ctx, db) as store:
        fired = store.evaluate_playbooks(day)
    if as_json:
        typer.echo(json.dumps({"runs": fired.runs, "tasks": fired.tasks, "ended": fired.ended},
                              indent=2))
        return
    typer.echo(describe(fired) or "No playbook to start.")
