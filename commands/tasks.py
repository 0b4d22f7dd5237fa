"""`retain task`: add, list, finish and snooze follow-ups and to-dos."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from commands.activity import AccountArg
from commands.context import DbOption, open_store
from commands.dates import parse_day
from commands.errors import EXIT_NOT_FOUND, fail
from commands.output import Column, CsvOption, JsonOption, emit
from store.clock import utc_now
from store.display import visible
from store.ids import new_id
from store.models import Task, TaskStatus
from store.user_config import author
from store.validation import build

app = typer.Typer(
    help="Follow-ups and to-dos: add, list, done, snooze.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

TaskArg = Annotated[str, typer.Argument(help="The task id, or its last 8 characters.")]

COLUMNS = [
    Column("id", "ID", lambda value: value[-8:]),
    Column("due_on", "Due"),
    Column("account_id", "Account"),
    Column("account_name", "Name"),
    Column("title", "Task"),
    Column("kind", "Kind"),
    Column("playbook", "Playbook"),
    Column("status", "Status"),
    Column("playbook_run", "Playbook run", in_table=False),
    Column("interaction_id", "From interaction", in_table=False),
    Column("created_at", "Created", in_table=False),
    Column("done_at", "Done", in_table=False),
]


@app.command("add")
def add(
    ctx: typer.Context,
    account: AccountArg,
    title: Annotated[str, typer.Argument(help="What to do.")],
    due: Annotated[str | None, typer.Option(metavar="DATE", help="When it is due.")] = None,
    db: DbOption = None,
) -> None:
    """Open a task for an account."""
    due_on = parse_day(due, "--due") if due else None
    with open_store(ctx, db) as store:
        account_id = store.find_account(account)
        task = store.add_task(build(Task, {
            "id": new_id(), "account_id": account_id, "title": title, "due_on": due_on,
            "author": author(),
        }, "task"))
    typer.echo(f"Task {task.id[-8:]} for {account_id}" + (f", due {due_on}" if due_on else ""))


@app.command("list")
def list_tasks(
    ctx: typer.Context,
    account: Annotated[
        str | None, typer.Option(help="Only this account's tasks (key or name).")
    ] = None,
    due_within: Annotated[
        int | None,
        typer.Option(min=0, max=36_500, metavar="DAYS", help="Only tasks due within DAYS days."),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Include done tasks.")] = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """List open tasks, soonest due first.

    Exit code 1 when there are none.
    """
    with open_store(ctx, db) as store:
        account_id = store.find_account(account) if account else None
        due_by = utc_now().date() + timedelta(days=due_within) if due_within is not None else None
        tasks = store.tasks(account_id, None if show_all else TaskStatus.OPEN, due_by)
        names = {key: store.get_account(key).name for key in {t.account_id for t in tasks}}
    rows = [{**task.model_dump(), "account_name": names[task.account_id]} for task in tasks]
    emit(rows, COLUMNS, as_json=as_json, as_csv=as_csv)
    if not rows:
        raise typer.Exit(EXIT_NOT_FOUND)


@app.command("done")
def done(ctx: typer.Context, task: TaskArg, db: DbOption = None) -> None:
    """Mark a task done."""
    with open_store(ctx, db) as store:
        finished = store.complete_task(task)
    typer.echo(f"Done: {visible(finished.title)} ({finished.account_id})")


@app.command("snooze")
def snooze(
    ctx: typer.Context,
    task: TaskArg,
    until: Annotated[str | None, typer.Option(metavar="DATE", help="The new due day.")] = None,
    days: Annotated[
        int | None, typer.Option(min=1, max=36_500, help="Push it this many days.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Push a task's due date out (by --days or to --until)."""
    if (until is None) == (days is None):
        raise fail("give exactly one of --until and --days")
    with open_store(ctx, db) as store:
        current = store.find_task(task)
        base = max(current.due_on or utc_now().date(), utc_now().date())
        new_due = parse_day(until, "--until") if until else base + timedelta(days=days or 0)
        snoozed = store.snooze_task(task, new_due)
    typer.echo(f"Snoozed until {snoozed.due_on}: {visible(snoozed.title)}")
