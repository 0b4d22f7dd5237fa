"""Full-text search over account names, interaction summaries, task titles and survey comments.

The FTS5 indexes are built by migration 8 and kept current by triggers. What a user types is
never FTS query syntax: it is split into words, and every word must start a word of the text
(`renew` finds *renewal*; accents are ignored, `zurich` finds *Zürich*).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from store.database import Connection
from store.errors import InvalidInput

KINDS = ("account", "interaction", "task", "answer")
"""What a hit can be: an account's name, an interaction's summary, a task's title, a survey
answer's comment."""

_WORD = re.compile(r"\w+", re.UNICODE)

_SNIPPET_TOKENS = 16

_QUERIES = {
    "account": """
        SELECT 'account', a.id, a.name, a.name, NULL
        FROM accounts_fts f JOIN accounts a ON a.rowid = f.rowid
        WHERE accounts_fts MATCH :query ORDER BY f.rank LIMIT :limit""",
    "interaction": f"""
        SELECT 'interaction', a.id, a.name,
               snippet(interactions_fts, 0, '', '', '…', {_SNIPPET_TOKENS}),
               substr(i.occurred_at, 1, 10)
        FROM interactions_fts f JOIN interactions i ON i.rowid = f.rowid
        JOIN accounts a ON a.id = i.account_id
        WHERE interactions_fts MATCH :query ORDER BY i.occurred_at DESC LIMIT :limit""",
    "task": f"""
        SELECT 'task', a.id, a.name, snippet(tasks_fts, 0, '', '', '…', {_SNIPPET_TOKENS}),
               coalesce(t.due_on, substr(t.created_at, 1, 10))
        FROM tasks_fts f JOIN tasks t ON t.rowid = f.rowid
        JOIN accounts a ON a.id = t.account_id
        WHERE tasks_fts MATCH :query ORDER BY 5 DESC LIMIT :limit""",
    "answer": f"""
        SELECT 'answer', a.id, a.name,
               snippet(survey_answers_fts, 0, '', '', '…', {_SNIPPET_TOKENS}),
               substr(s.answered_at, 1, 10)
        FROM survey_answers_fts f JOIN survey_answers s ON s.rowid = f.rowid
        JOIN accounts a ON a.id = s.account_id
        WHERE survey_answers_fts MATCH :query ORDER BY s.answered_at DESC LIMIT :limit""",
}


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One place the words were found: which account, what kind of text, a snippet, when."""

    kind: str
    """account, interaction, task or answer (see KINDS)."""
    account_id: str
    account_name: str
    snippet: str
    """The matching text around the words (user text: show it literally)."""
    on: date | None
    """The interaction's or answer's day, the task's due day; None for an account's name."""


def fts_query(text: str) -> str:
    """An FTS5 query that matches rows holding a word starting with each word of `text`."""
    words = _WORD.findall(text)
    if not words:
        raise InvalidInput(f"search {text!r}: give at least one word (letters or digits)")
    return " ".join(f'"{word}"*' for word in words)


def search(conn: Connection, text: str, limit: int = 50) -> list[SearchHit]:
    """Up to `limit` hits for `text`: matching account names first, then the newest texts."""
    params = {"query": fts_query(text), "limit": limit}
    hits = [
        SearchHit(found, account_id, name, snippet, date.fromisoformat(day) if day else None)
        for kind in KINDS
        for found, account_id, name, snippet, day in conn.execute(_QUERIES[kind], params)
    ]
    names = [hit for hit in hits if hit.kind == "account"]
    texts = sorted((hit for hit in hits if hit.kind != "account"),
                   key=lambda hit: hit.on or date.min, reverse=True)
    return (names + texts)[:limit]
