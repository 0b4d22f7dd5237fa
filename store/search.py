"""Full-text search over account names, interaction summaries, task titles and survey comments.

The FTS5 indexes are built by migration 8 and kept current by triggers. What a user types is
never FTS query syntax: it is split into words, and every word must start a word of the text
(`renew` finds *renewal*; accents are ignored, `zurich` finds *Zürich*).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from store.database import Connection
from store.errors import InvalidInput

KINDS = ("account", "interaction", "task", "answer")
"""What a hit can be: an account's name, an interaction's summary, a task's title, a survey
answer's comment."""

_WORD = re.compile(r"\w+", re.UNICODE)

SNIPPET_CHARS = 100
"""The longest snippet: the text around the first word found, cut at word boundaries."""

def _texts_query(kind: str, table: str, column: str, day: str) -> str:
    # The newest `limit` matches (the day of every match is read and sorted), then their text.
    # FTS5's snippet() is not used: asked for on every match of a common word it doubled the
    # time, and asked for by rowid afterwards it re-ran the query once per hit.
    fts = f"{table}_fts"
    return f"""
        WITH newest AS (
            SELECT t.rowid AS id, {day} AS day FROM {fts} JOIN {table} t ON t.rowid = {fts}.rowid
            WHERE {fts} MATCH :query ORDER BY day DESC, t.rowid DESC LIMIT :limit)
        SELECT '{kind}', a.id, a.name, t.{column}, newest.day, t.id
        FROM newest JOIN {table} t ON t.rowid = newest.id JOIN accounts a ON a.id = t.account_id
        ORDER BY newest.day DESC, t.rowid DESC"""


_QUERIES = {
    "account": """
        SELECT 'account', a.id, a.name, a.name, NULL, a.id
        FROM accounts_fts JOIN accounts a ON a.rowid = accounts_fts.rowid
        WHERE accounts_fts MATCH :query ORDER BY accounts_fts.rank LIMIT :limit""",
    "interaction": _texts_query("interaction", "interactions", "summary",
                                "substr(t.occurred_at, 1, 10)"),
    "task": _texts_query("task", "tasks", "title",
                         "coalesce(t.due_on, substr(t.created_at, 1, 10))"),
    "answer": _texts_query("answer", "survey_answers", "comment",
                           "substr(t.answered_at, 1, 10)"),
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
    ref: str = ""
    """The id of the row found (the account's key for a name): an interaction's or answer's is
    its timeline entry's `ref`."""


def _folded(text: str) -> str:
    """Lower case without accents, as the index's tokenizer (unicode61 remove_diacritics 2)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def snippet(text: str, words: list[str], width: int = SNIPPET_CHARS) -> str:
    """`text` on one line, cut to about `width` characters around the first word that starts
    with one of `words`, at spaces, with … where it was cut."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    prefixes = tuple(_folded(word) for word in words)
    first = next((found.start() for found in _WORD.finditer(line)
                  if _folded(found.group()).startswith(prefixes)), 0)
    start = max(0, min(first - width // 3, len(line) - width))
    space = line.find(" ", start, first)
    if start and space >= 0:
        start = space + 1
    end = start + width
    space = line.rfind(" ", first, end)
    if end < len(line) and space > first:
        end = space
    return ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")


def fts_query(text: str) -> str:
    """An FTS5 query that matches rows holding a word starting with each word of `text`."""
    words = _WORD.findall(text)
    if not words:
        raise InvalidInput(f"search {text!r}: give at least one word (letters or digits)")
    return " ".join(f'"{word}"*' for word in words)


def search(conn: Connection, text: str, limit: int = 50) -> list[SearchHit]:
    """Up to `limit` hits for `text`: matching account names first, then the newest texts."""
    params = {"query": fts_query(text), "limit": limit}
    words = _WORD.findall(text)
    hits = [
        SearchHit(found, account_id, name, snippet(body or "", words),
                  date.fromisoformat(day) if day else None, ref)
        for kind in KINDS
        for found, account_id, name, body, day, ref in conn.execute(_QUERIES[kind], params)
    ]
    names = [hit for hit in hits if hit.kind == "account"]
    texts = sorted((hit for hit in hits if hit.kind != "account"),
                   key=lambda hit: hit.on or date.min, reverse=True)
    return (names + texts)[:limit]
