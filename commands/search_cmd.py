"""`retain search TEXT`: where words appear in account names, interactions, tasks and answers."""

from __future__ import annotations

from typing import Annotated

import typer

from commands.context import DbOption, open_store
from commands.errors import EXIT_NOT_FOUND
from commands.output import Column, CsvOption, JsonOption, emit

COLUMNS = [
    Column("account", "Account"),
    Column("kind", "Kind"),
    Column("date", "Date"),
    Column("snippet", "Text"),
    Column("account_id", "Key", in_table=False),
]


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to find; each must start a word of the text.")],
    limit: Annotated[int, typer.Option(min=1, help="At most this many hits.")] = 50,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
    db: DbOption = None,
) -> None:
    """Find words in account names, interaction summaries, task titles and survey comments.

    Matching accounts come first, then the newest texts. Accents and case are ignored and
    each word may be the start of a longer one (`renew` finds renewal). Exit code 1 when
    nothing matches.
    """
    with open_store(ctx, db) as store:
        hits = store.search(text, limit)
    rows = [{"account": hit.account_name, "kind": hit.kind, "date": hit.on,
             "snippet": hit.snippet, "account_id": hit.account_id} for hit in hits]
    emit(rows, COLUMNS, as_json=as_json, as_csv=as_csv)
    if not hits:
        raise typer.Exit(EXIT_NOT_FOUND)
