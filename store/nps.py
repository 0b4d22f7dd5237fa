"""NPS groups and "an account's latest NPS answer", each defined once for every face.

The account list, the board's filter, the account pane, health, triage's detractors and the
NPS KPI all read these, so the same answers put an account in the same group everywhere.
"""

from __future__ import annotations

from enum import StrEnum


class NpsGroup(StrEnum):
    """Where an NPS score puts its respondent."""

    PROMOTER = "promoter"
    PASSIVE = "passive"
    DETRACTOR = "detractor"

    @property
    def scores(self) -> tuple[int, int]:
        """The lowest and highest score of the group: promoters 9-10, passives 7-8,
        detractors 0-6."""
        return _SCORES[self]

    @classmethod
    def of(cls, score: int) -> NpsGroup:
        """The group a 0-10 score falls in."""
        return next(group for group in cls if group.scores[0] <= score <= group.scores[1])

    def condition(self, column: str) -> str:
        """SQL: `column` (a score) is in this group."""
        low, high = self.scores
        return f"{column} BETWEEN {low} AND {high}"


_SCORES = {NpsGroup.PROMOTER: (9, 10), NpsGroup.PASSIVE: (7, 8), NpsGroup.DETRACTOR: (0, 6)}


def latest_answers(where: str = "") -> str:
    """SQL: each account's latest NPS answer as (account_id, score, answered_at).

    Latest = the greatest `answered_at`; two answers in the same second go to the greater id,
    so every reader picks the same one. `where` narrows the answers read (a time window, an
    account): conditions on `survey_answers` starting with AND. SQLite takes the bare columns
    from the row holding the max(); `+kind` keeps the planner on the per-account index.
    """
    return ("SELECT account_id, score, answered_at, max(answered_at || ' ' || id) AS newest "
            f"FROM survey_answers WHERE +kind = 'nps'{where} GROUP BY account_id")
