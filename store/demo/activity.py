"""Demo interactions over each account's life and the tasks that follow from them."""

from __future__ import annotations

from store.demo import phrases
from store.demo.calendar import WORK_DAY
from store.demo.context import SOURCE, BookContext, BookPart
from store.demo.random_tools import Choice
from store.demo.stages import StagePlan
from store.demo.story import Story
from store.demo.surveys import Surveys
from store.lifecycle import CHURNED, Phase
from store.models import Interaction, Task

INTERACTIONS_PER_MONTH = {"SMB": 0.45, "Mid-Market": 0.8, "Enterprise": 1.2}
KIND_WEIGHTS = {
    "acquisition": (("demo", 1), ("call", 3), ("email", 4), ("meeting", 2), ("chat", 1),
                    ("note", 1)),
    "engagement": (("training", 3), ("call", 3), ("email", 4), ("ticket", 3), ("chat", 2),
                   ("meeting", 2), ("note", 2)),
    "retention": (("qbr", 1.5), ("call", 3), ("email", 4), ("meeting", 2), ("ticket", 2.5),
                  ("chat", 1.5), ("note", 2)),
    CHURNED: (("email", 3), ("call", 1), ("note", 1)),
}
"""Interaction kinds and their weights by the phase the account was in (or churned)."""
FOLLOW_UP_SHARE = 0.15
"""Interactions that set a follow-up date (and so get a follow-up task)."""


class Activity(BookPart):
    """Writes interactions, their follow-up tasks and a few standalone tasks."""

    def __init__(self, book: BookContext, stages: StagePlan, surveys: Surveys) -> None:
        super().__init__(book)
        self.phases = stages.phases
        self.surveys = surveys
        self.pick_kind = {
            phase: Choice(self.rng, weighted) for phase, weighted in KIND_WEIGHTS.items()
        }

    def activity(self, story: Story) -> None:
        """Interactions over the account's life, their follow-up tasks, CSAT after tickets."""
        rng = self.rng
        today = self.today
        days: list[tuple[int, str]] = []  # (day, kind or "" for one weighted by stage)
        if story.demo_on is not None:
            days.append((story.demo_on, "demo"))
        presales_end = story.bought if story.bought is not None else today
        for _ in range(1 + int(rng.random() * 2.5)):
            days.append((rng.randrange(story.created, max(story.created + 1, presales_end)), ""))
        rate = INTERACTIONS_PER_MONTH[story.segment] * rng.lognormvariate(0, 0.4) / 30.4
        quiet = story.move_stages[-1] >= 0 and rng.random() < 0.05 + 0.15 * (1 - story.health)
        for start, end in story.periods:
            last = end or today
            if quiet and end is None:
                last = max(start + 1, today - rng.randrange(60, 180))
            for _ in range(int(rate * (last - start) + rng.random())):
                days.append((rng.randrange(start, last), ""))
            if end is not None and rng.random() < 0.3 and end + 1 < today:
                days.append((rng.randrange(end + 1, min(today, end + 60)), "email"))  # win-back
        days.sort()
        for day, kind in days:
            self._interaction(story, day, kind)
        if story.periods and story.periods[-1][1] is None and rng.random() < 0.08:
            self._standalone_task(story)

    def _interaction(self, story: Story, day: int, kind: str) -> None:
        """One interaction on `day`: kind by stage, sentiment by health, maybe a follow-up."""
        rng = self.rng
        cal = self.cal
        stage = story.stage_at(day)
        phase = self.phases[stage] if stage >= 0 else CHURNED
        kind = kind or self.pick_kind[phase]()
        health = story.health
        mood = rng.random() - (0.15 if kind == "ticket" else 0.0)
        if mood < 0.05 + 0.35 * (1 - health) ** 2:
            sentiment = "negative"
        elif mood < 0.8 - 0.55 * health:
            sentiment = "neutral"
        else:
            sentiment = "positive"
        picked_contact, who = rng.choice(story.contacts)
        contact_id = None if kind == "note" else picked_contact
        topic = rng.choice(
            phrases.TOPICS_BY_PHASE[Phase.ACQUISITION if phase == CHURNED else phase]
        )
        group = kind if kind in ("note", "ticket") else "default"
        label = phrases.KIND_LABELS[kind]
        summary = rng.choice(phrases.SUMMARIES[group][sentiment]).format(
            who=who, topic=topic, kind=label, kind_lower=label.lower()
        )
        occurred_at = cal.stamp(day, self.work_second())
        follow_up = None
        if rng.random() < FOLLOW_UP_SHARE:
            follow_up = day + rng.randrange(1, 15)
        interaction_id = self.new_id()
        self.rows[Interaction].append((
            interaction_id, story.id, kind, occurred_at, story.owner, contact_id, summary,
            sentiment, cal.day(follow_up) if follow_up else None, SOURCE, self.stamp,
        ))
        if follow_up is not None:
            self._follow_up_task(story, interaction_id, day, occurred_at, follow_up,
                                 f"Follow up with {who} on {topic}")
        if kind == "ticket" and day + 1 < self.today and rng.random() < 0.35:
            self.surveys.csat(story, contact_id, day + 1, sentiment)

    def _follow_up_task(
        self, story: Story, interaction_id: str, day: int, created_at: str, due: int, title: str
    ) -> None:
        """The task an interaction's follow-up date creates; most past ones are done."""
        rng = self.rng
        today = self.today
        done_at = None
        if rng.random() < (0.97 if due < today - 30 else 0.7 if due < today else 0.15):
            done_day = rng.randrange(day, min(due + 4, today)) if day < today - 1 else day
            done_at = self.cal.stamp(done_day, self.work_second())
            if done_at <= created_at:
                done_at = created_at
        self.rows[Task].append((
            self.new_id(), story.id, title, self.cal.day(due), "done" if done_at else "open",
            interaction_id, created_at, done_at, self.stamp,
        ))

    def _standalone_task(self, story: Story) -> None:
        """A recent task not tied to an interaction, due around today."""
        rng = self.rng
        created = self.today - rng.randrange(1, 30)
        due = self.today + rng.randrange(-7, 21)
        done = due < self.today and rng.random() < 0.3
        created_at = self.cal.stamp(created, self.work_second())
        self.rows[Task].append((
            self.new_id(), story.id, rng.choice(phrases.STANDALONE_TASKS), self.cal.day(due),
            "done" if done else "open", None, created_at,
            self.cal.stamp(max(created, due), WORK_DAY[1]) if done else None, self.stamp,
        ))
