"""Commands that record what happened: `log`, `stage` and `survey`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from commands.completion import complete_account, complete_stage
from commands.context import DbOption, open_store
from commands.dates import parse_day, parse_moment
from commands.errors import fail
from commands.output import JsonOption, plain, print_json
from store.clock import format_timestamp, utc_now
from store.display import visible
from store.ids import new_id
from store.models import (
    CLI_QUESTIONS,
    Interaction,
    InteractionKind,
    Sentiment,
    SurveyAnswer,
    SurveyKind,
    Task,
)
from store.store import Store
from store.user_config import author
from store.validation import build

AccountArg = Annotated[
    str,
    typer.Argument(
        help="Account key, exact name, or a part of the name that matches one account.",
        autocompletion=complete_account,
        show_default=False,
    ),
]


def _contact_id(store: Store, account_id: str, contact: str | None) -> str | None:
    return store.find_contact(account_id, contact) if contact else None


def _print_json(record: object) -> None:
    print_json({k: plain(v) for k, v in record.model_dump().items()})  # type: ignore[attr-defined]


def log(
    ctx: typer.Context,
    account: AccountArg,
    kind: Annotated[InteractionKind, typer.Argument(help="What sort of touchpoint it was.")],
    summary: Annotated[
        str, typer.Argument(help="What happened; '-' reads it from standard input.")
    ] = "",
    at: Annotated[
        str | None, typer.Option(help="When it happened (local time unless an offset is given).")
    ] = None,
    by: Annotated[str | None, typer.Option(help="Who logged it (default: $USER).")] = None,
    sentiment: Annotated[Sentiment | None, typer.Option(help="How it felt.")] = None,
    follow_up: Annotated[
        str | None,
        typer.Option("--follow-up", metavar="DATE", help="Open a follow-up task due this day."),
    ] = None,
    contact: Annotated[
        str | None, typer.Option(help="The contact involved: id, e-mail or name.")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Log a call, email, meeting or note.

    A --follow-up date also opens a task due that day.
    """
    text = sys.stdin.read() if summary == "-" else summary
    when = parse_moment(at, "--at") if at else utc_now()
    due = parse_day(follow_up, "--follow-up") if follow_up else None
    with open_store(ctx, db) as store:
        account_id = store.find_account(account)
        interaction = build(Interaction, {
            "id": new_id(), "account_id": account_id, "kind": kind, "occurred_at": when,
            "author": by or author(), "contact_id": _contact_id(store, account_id, contact),
            "summary": text.strip(), "sentiment": sentiment, "follow_up_on": due,
            "source": "cli",
        }, "log")
        logged, task = store.log_interaction(interaction)
        name = store.get_account(account_id).name
    if as_json:
        _print_json(logged)
        return
    typer.echo(f"Logged {kind.value} with {visible(name)} ({account_id}) at "
               f"{format_timestamp(logged.occurred_at)[:16].replace('T', ' ')} UTC")
    if task is not None:
        typer.echo(f"Follow-up task {task.id[-8:]} due {task.due_on}")


def stage(
    ctx: typer.Context,
    account: AccountArg,
    to_stage: Annotated[
        str,
        typer.Argument(metavar="STAGE", help="The stage to move to (any direction, or churned).",
                       autocompletion=complete_stage),
    ],
    reason: Annotated[str | None, typer.Option(help="Why the account moved.")] = None,
    at: Annotated[str | None, typer.Option(help="When it moved (default: now).")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Move an account to any stage, with a reason.

    Moves go in any direction (back to onboarding, to churned and back); each is kept in the
    account's stage history with its date and reason.
    """
    when = parse_moment(at, "--at") if at else None
    with open_store(ctx, db) as store:
        account_id = store.find_account(account)
        move = store.move_stage(account_id, to_stage.strip().lower(), reason=reason, at=when,
                                source="cli", author=author())
        name = store.get_account(account_id).name
        opened = store.playbook_tasks(account_id, f"move:{move.id}")
    if as_json:
        _print_json(move)
        return
    because = f" ({visible(reason)})" if reason else ""
    typer.echo(f"{visible(name)} ({account_id}): {move.from_stage} → {move.to_stage}{because}")
    _say_opened(opened)


def _say_opened(tasks: list[Task]) -> None:
    """One line per playbook that opened tasks: its name, how many, when the first is due."""
    by_playbook: dict[str, list[Task]] = {}
    for task in tasks:
        by_playbook.setdefault(task.playbook or "", []).append(task)
    for playbook, steps in by_playbook.items():
        first = min(task.due_on for task in steps if task.due_on is not None)
        typer.echo(visible(f"Playbook {playbook}: {len(steps)} task"
                           f"{'' if len(steps) == 1 else 's'} opened, the first due {first} "
                           "(retain task list)"))


def survey(
    ctx: typer.Context,
    account: AccountArg,
    kind: Annotated[SurveyKind, typer.Argument(help="nps (0-10), csat (1-5) or cli (1-10 each).")],
    scores: Annotated[
        list[int],
        typer.Argument(
            help=f"The score; for cli one per question, in order: {', '.join(CLI_QUESTIONS)}.",
            show_default=False,
        ),
    ],
    comment: Annotated[str | None, typer.Option(help="What the respondent wrote.")] = None,
    contact: Annotated[
        str | None, typer.Option(help="Who answered: contact id, e-mail or name.")
    ] = None,
    at: Annotated[str | None, typer.Option(help="When they answered (default: now).")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record an NPS, CSAT or CLI survey answer.

    NPS and CSAT take one score; CLI takes one score per question.
    """
    expected = len(CLI_QUESTIONS) if kind == SurveyKind.CLI else 1
    if len(scores) != expected:
        raise fail(f"{kind.value} takes {expected} score{'s' if expected > 1 else ''}, "
                   f"got {len(scores)}")
    when = parse_moment(at, "--at") if at else utc_now()
    questions = CLI_QUESTIONS if kind == SurveyKind.CLI else (None,)
    with open_store(ctx, db) as store:
        account_id = store.find_account(account)
        contact_id = _contact_id(store, account_id, contact)
        answers = [
            build(SurveyAnswer, {
                "id": new_id(), "account_id": account_id, "contact_id": contact_id,
                "kind": kind, "question": question, "score": score, "comment": comment,
                "answered_at": when, "source": "cli",
            }, f"score {number}")
            for number, (question, score) in enumerate(zip(questions, scores, strict=True), 1)
        ]
        store.add_survey_answers(answers)
        opened = [task for answer in answers
                  for task in store.playbook_tasks(account_id, f"answer:{answer.id}")]
    if as_json:
        print_json([{k: plain(v) for k, v in a.model_dump().items()} for a in answers])
        return
    shown = ", ".join(f"{a.question} {a.score}" if a.question else str(a.score) for a in answers)
    typer.echo(f"Recorded {kind.value} {shown} for {account_id}")
    _say_opened(opened)
