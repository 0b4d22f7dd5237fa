"""The `retain` command: its root, global options, and the entry point installed as a script."""

from __future__ import annotations

from importlib.metadata import version
from typing import Annotated

import typer

from commands import playbooks_cmd, tasks
from commands.activity import log, stage, survey
from commands.backtest import backtest
from commands.browse import accounts, show
from commands.context import DbOption, Settings, open_store
from commands.errors import RetainGroup
from commands.export import export
from commands.funnel import funnel
from commands.import_cmd import import_, imports
from commands.kpi import cohorts, health, kpi
from commands.search_cmd import search
from commands.settings_cmd import setting
from commands.setup import demo, init, where
from commands.today import today
from commands.tui_launcher import launch_tui

app = typer.Typer(
    name="retain",
    cls=RetainGroup,
    help=(
        "retain: a keyboard-driven cockpit for customer success, over one local SQLite file.\n\n"
        "Run with no command to open the board."
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=False,
    invoke_without_command=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
)

app.command(rich_help_panel="Set up")(init)
app.command(rich_help_panel="Set up")(demo)
app.command(rich_help_panel="Set up")(where)
app.command(rich_help_panel="Record")(log)
app.command(rich_help_panel="Record")(stage)
app.command(rich_help_panel="Record",  # `survey X nps -1` is a score, not an option
            context_settings={"ignore_unknown_options": True})(survey)
app.add_typer(tasks.app, name="task", rich_help_panel="Record")
app.command(rich_help_panel="Read")(today)
app.add_typer(playbooks_cmd.app, name="playbook", rich_help_panel="Record")
app.command(rich_help_panel="Read")(accounts)
app.command(rich_help_panel="Read")(show)
app.command(rich_help_panel="Read")(search)
app.command(rich_help_panel="Read")(export)
app.command(rich_help_panel="KPIs")(kpi)
app.command(rich_help_panel="KPIs")(cohorts)
app.command(rich_help_panel="KPIs")(health)
app.command(rich_help_panel="KPIs")(funnel)
app.command(rich_help_panel="KPIs")(backtest)
app.command(rich_help_panel="Set up")(setting)
app.command("import", rich_help_panel="Record")(import_)
app.command(rich_help_panel="Read")(imports)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"retain {version('retain')}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: DbOption = None,
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Open the board when no command is given."""
    ctx.obj = Settings(db=db)
    if ctx.invoked_subcommand is None:
        store = open_store(ctx, None)
        launch_tui(store)


def run() -> None:
    """Console-script entry point."""
    app()
