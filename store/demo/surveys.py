"""Demo survey answers: NPS while paying, a yearly CLI for some customers, CSAT after tickets."""

from __future__ import annotations

from store.demo import phrases
from store.demo.context import SOURCE, BookPart
from store.demo.story import Story
from store.models import CLI_QUESTIONS, SurveyAnswer

CLI_OFFSETS = (0.3, 0.0, -0.2, 0.1)
"""How much higher than average each CLI question scores (quality, service, experience...)."""


class Surveys(BookPart):
    """Writes survey answers whose scores follow the account's health."""

    def surveys(self, story: Story) -> None:
        """NPS about every six months while paying, and a yearly CLI for some customers."""
        rng = self.rng
        health = story.health
        cli = rng.random() < 0.35
        for start, end in story.periods:
            last = end or self.today
            day = start + rng.randrange(60, 121)
            while day < last:
                years = (day - start) / 365
                score = rng.gauss(3.8 + 7.0 * health + (health - 0.5) * years, 1.4)
                score = min(10, max(0, round(score)))
                group = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
                comment = rng.choice(phrases.NPS_COMMENTS[group]) if rng.random() < 0.3 else None
                contact_id = rng.choice(story.contacts)[0]
                self._answer(story, contact_id, "nps", None, score, comment, day)
                day += rng.randrange(165, 201)
            day = start + rng.randrange(180, 301)
            while cli and day < last:
                second = self.work_second()
                for question, offset in zip(CLI_QUESTIONS, CLI_OFFSETS, strict=True):
                    score = min(10, max(1, round(rng.gauss(2.5 + 7.0 * health + offset, 1.2))))
                    primary = story.contacts[0][0]
                    self._answer(story, primary, "cli", question, score, None, day, second)
                day += rng.randrange(350, 381)

    def csat(self, story: Story, contact_id: str | None, day: int, sentiment: str) -> None:
        """A CSAT answer after a ticket, scored around the ticket's sentiment."""
        rng = self.rng
        base = {"positive": 4.8, "neutral": 4.3, "negative": 2.8}[sentiment]
        score = min(5, max(1, round(rng.gauss(base + story.health - 0.5, 0.7))))
        comment = None
        if rng.random() < 0.25:
            comment = rng.choice(phrases.CSAT_COMMENTS["good" if score >= 4 else "bad"])
        self._answer(story, contact_id, "csat", None, score, comment, day)

    def _answer(
        self, story: Story, contact_id: str | None, kind: str, question: str | None,
        score: int, comment: str | None, day: int, second: int | None = None,
    ) -> None:
        """Write one answer, at a random working second of `day` unless `second` is given."""
        second = self.work_second() if second is None else second
        self.rows[SurveyAnswer].append((
            self.new_id(), story.id, contact_id, kind, question, score, comment,
            self.cal.stamp(day, second), SOURCE, self.stamp,
        ))
