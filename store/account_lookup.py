"""Find the one account a person means: by key, by exact name, by a unique partial or fuzzy match."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from store.database import Connection
from store.errors import InvalidInput, NotFound

FUZZY_CUTOFF = 80
"""Lowest rapidfuzz WRatio (0-100) that counts as a match."""

CLEAR_WINNER_GAP = 8
"""How far the best fuzzy score must lead the second one to be taken without asking."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """An account that a query could mean."""

    key: str
    name: str


class AmbiguousAccount(InvalidInput):
    """Several accounts match; the message lists them so the user can pick a key."""

    def __init__(self, query: str, candidates: list[Candidate], total: int) -> None:
        self.candidates = candidates
        listed = "; ".join(f"{c.key} ({c.name})" for c in candidates)
        more = f" and {total - len(candidates)} more" if total > len(candidates) else ""
        super().__init__(f"{query!r} matches {total} accounts: {listed}{more}; use the key")


def fold(text: str) -> str:
    """Compare names without case, accents or repeated spaces: 'Zürich  AG' -> 'zurich ag'."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def resolve_account(conn: Connection, query: str, shown: int = 8) -> str:
    """Return the key of the account `query` names, or raise NotFound / AmbiguousAccount."""
    query = query.strip()
    if not query:
        raise InvalidInput("an account key or name is needed")
    if conn.execute("SELECT 1 FROM accounts WHERE id = ?", (query,)).fetchone():
        return query
    exact = conn.execute(
        "SELECT id, name FROM accounts WHERE name = ? COLLATE NOCASE ORDER BY id", (query,)
    ).fetchall()
    if len(exact) == 1:
        return str(exact[0][0])
    if exact:
        raise AmbiguousAccount(query, [Candidate(*row) for row in exact[:shown]], len(exact))
    names = conn.execute("SELECT id, name FROM accounts").fetchall()
    wanted = fold(query)
    folded = {key: fold(name) for key, name in names}
    by_key = dict(names)
    partial = [key for key, name in folded.items() if wanted in name]
    if len(partial) == 1:
        return str(partial[0])
    if partial:
        partial.sort(key=lambda key: (len(folded[key]), key))
        candidates = [Candidate(key, by_key[key]) for key in partial[:shown]]
        raise AmbiguousAccount(query, candidates, len(partial))
    scored = process.extract(wanted, folded, scorer=fuzz.WRatio, limit=shown,
                             score_cutoff=FUZZY_CUTOFF)
    if len(scored) == 1 or (scored and scored[0][1] - scored[1][1] >= CLEAR_WINNER_GAP):
        return str(scored[0][2])
    if scored:
        raise AmbiguousAccount(query, [Candidate(s[2], by_key[s[2]]) for s in scored], len(scored))
    raise NotFound(f"no account matches {query!r} (by key, name or part of a name)")
