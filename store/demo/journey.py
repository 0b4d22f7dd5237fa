"""Each demo account's way through the stages: leads, purchase, steps back, churn, comeback."""

from __future__ import annotations

import math

from store.demo import phrases
from store.demo.context import SOURCE, BookContext, BookPart
from store.demo.stages import StagePlan
from store.demo.story import Story
from store.models import StageMove

HISTORY_DAYS = 730
"""Customers bought within the 24 months before `as_of`."""
OLDEST_LEAD_DAYS = 912
"""The oldest leads were created about 30 months before `as_of`."""
PROSPECT_SHARE = 0.22
"""Accounts that have not bought (yet): they sit in a stage before `customer_from`."""
REACTIVATION_SHARE = 0.22
"""Churned accounts that come back, when there is still time (about 1 in 6 of all churns)."""
DEMO_CHANCE = {"SMB": 0.3, "Mid-Market": 0.75, "Enterprise": 0.9}
"""Leads that see a demo before they decide, by segment."""


class Journey(BookPart):
    """Writes the stage history of each account and fills in its story's timeline."""

    def __init__(self, book: BookContext, stages: StagePlan) -> None:
        super().__init__(book)
        self.stages = stages

    def plan(self, story: Story) -> None:
        """Decide the account's stage journey, then whether and when it saw a demo."""
        self._journey(story)
        story.demo_on = self._demo_day(story)

    def _journey(self, story: Story) -> None:
        """Decide the account's path through the stages, its purchase, churn and comeback."""
        rng = self.rng
        stages = self.stages
        customer_from = stages.customer_from
        today, health = self.today, story.health
        if customer_from > 0 and rng.random() < PROSPECT_SHARE:
            age = min(OLDEST_LEAD_DAYS, 1 + int(rng.lognormvariate(math.log(60), 1.0)))
            story.created = today - age
            self._move(story, story.created, None, 0)
            self._walk(story, 0, story.created, today, customer_from - 1)
            return
        tenure = 1 + int((HISTORY_DAYS - 1) * rng.random() ** 1.2)
        bought = story.bought = today - tenure
        presales = [max(1, int(12 * rng.lognormvariate(0, 0.6))) for _ in range(customer_from)]
        budget = OLDEST_LEAD_DAYS - tenure
        if sum(presales) > budget:  # keep the oldest leads within ~30 months
            presales = [max(1, stay * budget // sum(presales)) for stay in presales]
        story.created = day = bought - sum(presales)
        for index, stay in enumerate(presales):
            self._move(story, day, index - 1 if index else None, index)
            day += stay
        self._move(story, bought, customer_from - 1 if presales else None, customer_from)
        churn_chance = 1.1 * (1 - health) ** 2 * min(1.0, tenure / 365)
        churned_on = None
        if stages.churned and tenure > 60 and rng.random() < churn_chance:
            churned_on = bought + rng.randrange(30, tenure)
        top = len(stages.path) - 1
        stage = self._walk(story, customer_from, bought, churned_on or today, top)
        story.periods.append((bought, churned_on))
        if churned_on is None:
            return
        self._move(story, churned_on, stage, -1, rng.choice(phrases.CHURN_REASONS))
        latest = today - 14
        if churned_on + 30 < latest and rng.random() < REACTIVATION_SHARE:
            back = churned_on + rng.randrange(30, min(300, latest - churned_on))
            self._move(story, back, -1, customer_from, rng.choice(phrases.REACTIVATION_REASONS))
            self._walk(story, customer_from, back, today, top)
            story.periods.append((back, None))

    def _walk(self, story: Story, stage: int, day: int, end: int, top: int) -> int:
        """Walk from `stage` (entered on `day`) towards `top` before `end`; return the stage.

        Each stay is drawn around the stage's typical length (healthy accounts move faster);
        an account may stop early, or take one step back and then go on.
        """
        rng = self.rng
        stages = self.stages
        stay_days, advance = stages.stay_days, stages.advance
        health = story.health
        pace = 1.3 - 0.6 * health
        lowest = stages.onboarding if stage >= stages.customer_from else 0
        steps_back = 1
        while True:
            day += max(1, int(stay_days[stage] * pace * rng.lognormvariate(0, 0.5)))
            if day >= end:
                break
            if steps_back and stage > lowest and rng.random() < 0.04 + 0.1 * (1 - health):
                steps_back -= 1
                reasons = phrases.BACKWARD_REASONS[stages.phases[stage - 1]]
                self._move(story, day, stage, stage - 1, rng.choice(reasons))
                stage -= 1
                continue
            base, per_health = advance[stage]
            if stage >= top or rng.random() > base + per_health * health:
                break
            self._move(story, day, stage, stage + 1)
            stage += 1
        return stage

    def _move(
        self, story: Story, day: int, from_index: int | None, to_index: int,
        reason: str | None = None,
    ) -> None:
        """Record a stage move (-1 is churned) and what it implies for plan and onboarding."""
        stages = self.stages
        path = stages.path
        to_stage = path[to_index] if to_index >= 0 else stages.churned
        if from_index is None:
            from_stage = None
        else:
            from_stage = path[from_index] if from_index >= 0 else stages.churned
        if reason is None and from_stage is not None:
            reasons = phrases.FORWARD_REASONS.get(to_stage or "")
            reason = self.rng.choice(reasons) if reasons else f"Moved on to {to_stage}"
        moved_at = self.cal.stamp(day, self.work_second())
        self.rows[StageMove].append((
            self.new_id(), story.id, from_stage, to_stage, moved_at, reason, SOURCE, self.stamp,
        ))
        if not story.move_days:
            story.created_at = moved_at
        story.move_days.append(day)
        story.move_stages.append(to_index)
        story.last_moved_at = moved_at
        onboarding = stages.onboarding
        if to_index == onboarding:
            story.reached_onboarding = True
        if from_index == onboarding and to_index > from_index:
            story.left_onboarding = story.left_onboarding or day
        if to_stage == "expansion" and from_index is not None and from_index >= 0:
            story.price_changes.append((day, True))
        elif (from_stage == "expansion" and from_index is not None
              and 0 <= to_index < from_index and self.rng.random() < 0.5):
            story.price_changes.append((day, False))

    def _demo_day(self, story: Story) -> int | None:
        """Some leads see a demo before they decide (most bigger ones do)."""
        decided = story.bought if story.bought is not None else self.today
        if decided - story.created > 1 and self.rng.random() < DEMO_CHANCE[story.segment]:
            return self.rng.randrange(story.created + 1, decided)
        return None
