"""Today: one ranked row per account that needs its CSM, most consequential first, with its score.

The score (docs/TODAY.md works an example; weights in the `triage.*` settings):

    score = (sum over the account's reason kinds of weight[kind] x urgency) x (1 + stake x s)
    s     = min(1, log10(1 + MRR) / log10(1 + stake_full_mrr))     (MRR in whole units)

A kind counts once, with its most urgent item (two overdue tasks are one follow-up term; both
are listed). Urgency is 0-1 per reason (see `store.triage`). `s` is what is at stake: 0 for a
non-paying account, 0.5 at $100 MRR, 1 from `stake_full_mrr` ($10,000) on; a renewal puts
12 x MRR (its ARR) at stake, which orders accounts the same way. Ties: higher MRR, then name.

With the default weights a renewal due tomorrow on a paying account (100 x 30/31 x at least
1 = 96.8 points or more) outranks any account that is only quiet (25 x 1 x at most 2 = 50).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from store.database import Connection
from store.settings import REASON_KINDS, TriageSettings
from store.triage import TriageItem


@dataclass(frozen=True)
class ScoreTerm:
    """One reason kind's part of a score: weight x urgency = points (before the stake)."""

    kind: str
    weight: float
    urgency: float
    points: float
    reason: str


@dataclass(frozen=True)
class TodayRow:
    """One account in Today: its rank, score, reasons (strongest first) and the score's terms."""

    rank: int
    account_id: str
    account_name: str
    owner: str | None
    mrr_cents: int
    score: float
    reasons: tuple[TriageItem, ...]
    terms: tuple[ScoreTerm, ...]
    stake: float
    """What is at stake, 0-1, from the MRR."""
    multiplier: float
    """1 + stake weight x `stake`: what the points are multiplied by."""

    @property
    def top(self) -> TriageItem:
        """The strongest reason (the one the row leads with)."""
        return self.reasons[0]

    @property
    def kinds(self) -> tuple[str, ...]:
        """The reason kinds of this row, strongest first, each once."""
        return tuple(dict.fromkeys(item.reason_kind for item in self.reasons))

    def explain(self) -> list[str]:
        """The score's terms in words, one line each, ending with the sum."""
        lines = [f"{term.kind}: {term.weight:g} x urgency {term.urgency:.2f} = "
                 f"{term.points:.1f} ({term.reason})" for term in self.terms]
        points = sum(term.points for term in self.terms)
        lines.append(f"stake: MRR {self.mrr_cents / 100:,.0f} → {self.stake:.2f}, "
                     f"x {self.multiplier:.2f}")
        lines.append(f"score: {points:.1f} x {self.multiplier:.2f} = {self.score:.1f}")
        return lines

    def as_json(self) -> dict[str, object]:
        """The row with stable field names, its reasons and its terms (for `--json`)."""
        return {
            "rank": self.rank, "score": self.score, "account_id": self.account_id,
            "account_name": self.account_name, "owner": self.owner,
            "mrr_cents": self.mrr_cents,
            "reasons": [{"kind": item.reason_kind, "text": item.reason, "days": item.days,
                         "task_id": item.task_id, "playbook": item.playbook}
                        for item in self.reasons],
            "terms": [{"kind": term.kind, "weight": term.weight,
                       "urgency": round(term.urgency, 4), "points": round(term.points, 2)}
                      for term in self.terms],
            "stake": round(self.stake, 4), "multiplier": round(self.multiplier, 4),
        }


@dataclass(frozen=True)
class Scope:
    """Whose accounts Today shows: one owner's (`mine` when it is the user's) or the whole book."""

    owner: str | None = None
    mine: bool = False

    @property
    def label(self) -> str:
        """How a header names the scope."""
        if self.owner is None:
            return "whole book"
        return f"my book ({self.owner})" if self.mine else f"{self.owner}'s book"


def my_scope(me: str | None) -> Scope:
    """The default scope: the user's own book when `me` is set, else the whole book."""
    return Scope(me, mine=True) if me else Scope()


@dataclass(frozen=True)
class TodayQueue:
    """Today as read on `today` for a scope: the ranked rows and how many were snoozed."""

    today: date
    scope: Scope
    rows: list[TodayRow]
    snoozed: int = 0
    kinds: tuple[str, ...] = field(default=REASON_KINDS)
    """The reason kinds read (a screen reads the quick ones first)."""


def stake_of(mrr_cents: int, full_mrr: int) -> float:
    """What is at stake, 0-1: log10(1 + MRR) / log10(1 + full), MRR in whole units, capped."""
    if mrr_cents <= 0:
        return 0.0
    return min(1.0, math.log10(1 + mrr_cents / 100) / math.log10(1 + full_mrr))


def _reason_order(item: TriageItem, weights: Mapping[str, float]) -> tuple[float, int, int]:
    return (-weights[item.reason_kind] * item.urgency, REASON_KINDS.index(item.reason_kind),
            item.days)


def rank(items: Iterable[TriageItem], settings: TriageSettings,
         owners: Mapping[str, str | None]) -> list[TodayRow]:
    """One row per account of `items`, ranked by score (then MRR, name, key), rank from 1."""
    weights = settings.weights.model_dump()
    by_account: dict[str, list[TriageItem]] = {}
    for item in items:
        found = by_account.get(item.account_id)
        if found is None:
            by_account[item.account_id] = [item]
        else:
            found.append(item)
    stakes: dict[int, tuple[float, float]] = {}
    ranked = []
    for account_id, found in by_account.items():
        # Most accounts have one reason: nothing to sort or merge.
        reasons = (found if len(found) == 1
                   else sorted(found, key=lambda item: _reason_order(item, weights)))
        strongest: dict[str, TriageItem] = {}
        for item in reasons:
            strongest.setdefault(item.reason_kind, item)
        terms = tuple(ScoreTerm(kind, weights[kind], item.urgency,
                                weights[kind] * item.urgency, item.reason)
                      for kind, item in strongest.items())
        first = reasons[0]
        mrr = first.mrr_cents
        if mrr not in stakes:
            stake = stake_of(mrr, settings.stake_full_mrr)
            stakes[mrr] = (stake, 1 + settings.stake * stake)
        stake, multiplier = stakes[mrr]
        score = round(sum(term.points for term in terms) * multiplier, 1)
        ranked.append(((-score, -mrr, first.account_name.casefold(), account_id),
                       (account_id, first.account_name, owners.get(account_id), mrr, score,
                        tuple(reasons), terms, stake, multiplier)))
    ranked.sort(key=lambda pair: pair[0])
    return [TodayRow(number, *fields) for number, (_, fields) in enumerate(ranked, 1)]


def owners_of(conn: Connection, account_ids: Sequence[str]) -> dict[str, str | None]:
    """Each account's owner."""
    return dict(conn.execute(
        "SELECT id, owner FROM accounts WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(account_ids)),)).fetchall())


def snoozed_accounts(conn: Connection, today: date) -> set[str]:
    """Accounts snoozed past `today` (they come back on their `until` day)."""
    return {row[0] for row in conn.execute(
        "SELECT account_id FROM today_snoozes WHERE until > ?", (today.isoformat(),))}


def counts_by_reason(rows: Sequence[TodayRow]) -> dict[str, int]:
    """How many rows have each reason kind (a row counts once per kind), in REASON_KINDS order."""
    counts = dict.fromkeys(REASON_KINDS, 0)
    for row in rows:
        for kind in row.kinds:
            counts[kind] += 1
    return {kind: count for kind, count in counts.items() if count}
