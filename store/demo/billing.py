"""Demo subscriptions: list prices, trials, upgrades and downgrades, add-ons and their ends."""

from __future__ import annotations

from store.demo import names
from store.demo.context import BookContext, BookPart
from store.demo.random_tools import Choice
from store.demo.story import DraftSubscription, Story
from store.models import Subscription

PRICE_DOLLARS = {  # median, spread (sigma of the log), floor, cap, price step
    "SMB": (180, 0.6, 50, 800, 10),
    "Mid-Market": (2000, 0.45, 800, 5000, 50),
    "Enterprise": (12000, 0.5, 5000, 40000, 250),
}
BILLING = (("month", 0.7), ("year", 0.25), ("quarter", 0.05))
MRR_CENTS_PER_DOLLAR = {"month": 100, "quarter": 95, "year": 90}
"""Monthly-normalised cents per list-price dollar, by billing term: longer terms cost less."""
ADD_ON_CHANCE = {"SMB": 0.04, "Mid-Market": 0.14, "Enterprise": 0.28}
TRIAL_SHARE = 0.35
TRIAL_DAYS = 14


class Billing(BookPart):
    """Writes each account's subscriptions and keeps them on its story."""

    def __init__(self, book: BookContext) -> None:
        super().__init__(book)
        self.pick_billing = Choice(self.rng, BILLING)

    def subscriptions(self, story: Story) -> None:
        """Trials, paid subscriptions with upgrades, downgrades and add-ons, and their ends."""
        rng = self.rng
        segment = story.segment
        plan = rng.choice(names.PLANS_BY_SEGMENT[segment])
        interval = self.pick_billing()
        dollars = self._list_price(segment, story.health)
        subs = story.subscriptions = self._trial(story, plan)
        for number, (start, end) in enumerate(story.periods):
            if number:  # a comeback, at about the old price
                dollars = _round_price(dollars * rng.uniform(0.8, 1.1), segment)
            plan, dollars = self._paid_period(story, subs, start, end, plan, dollars, interval)
        rows = self.rows[Subscription]
        day = self.cal.day
        for sub in subs:
            rows.append((
                self.new_id(), story.id, sub.plan, sub.status, sub.mrr, "USD", sub.interval,
                day(sub.start), day(sub.end) if sub.end is not None else None, None, self.stamp,
            ))

    def _trial(self, story: Story, plan: str) -> list[DraftSubscription]:
        """A free trial before the purchase, or a running one for a prospect, or none."""
        rng = self.rng
        trial_end = None
        if story.bought is not None:
            if story.bought > story.created and rng.random() < TRIAL_SHARE:
                trial_end = story.bought
        elif story.move_stages[-1] > 0 and rng.random() < TRIAL_SHARE:
            trial_end = max(story.created, self.today - rng.randrange(1, 30)) + TRIAL_DAYS
        if trial_end is None:
            return []
        start = max(story.created, trial_end - TRIAL_DAYS)
        return [DraftSubscription(start, 0, plan, "month", trial_end, "trial")]

    def _paid_period(
        self, story: Story, subs: list[DraftSubscription], start: int, end: int | None,
        plan: str, dollars: int, interval: str,
    ) -> tuple[str, int]:
        """Add one paying period's subscriptions to `subs`; return the final plan and price.

        A price change ends the current subscription and starts the next one the same day;
        churn (`end`) cancels whatever is still running.
        """
        rng = self.rng
        health, segment = story.health, story.segment
        last = end or self.today
        current = DraftSubscription(
            start, dollars * MRR_CENTS_PER_DOLLAR[interval], plan, interval
        )
        subs.append(current)
        changes = [(day, up) for day, up in story.price_changes if start < day < last]
        day = start + int(rng.expovariate(1 / 300))
        while day < last:
            changes.append((day, rng.random() < 0.25 + 0.6 * health))
            day += 30 + int(rng.expovariate(1 / 300))
        for day, up in sorted(changes):
            if day <= current.start:
                continue
            dollars = self._change_price(dollars, segment, up)
            if rng.random() < 0.4:
                plan = _next_plan(plan, up)
            current.end, current.status = day, "cancelled"
            current = DraftSubscription(
                day, dollars * MRR_CENTS_PER_DOLLAR[interval], plan, interval
            )
            subs.append(current)
        if last - start > 45 and rng.random() < ADD_ON_CHANCE[segment] * (0.5 + health):
            add_on_start = start + rng.randrange(30, last - start)
            add_on_dollars = _round_price(dollars * rng.uniform(0.1, 0.3), segment)
            add_on = DraftSubscription(
                add_on_start, add_on_dollars * 100, rng.choice(names.ADD_ONS), "month",
                add_on=True,
            )
            subs.append(add_on)
            if add_on_start + 1 < last and rng.random() < 0.3:
                add_on.end, add_on.status = rng.randrange(add_on_start + 1, last), "cancelled"
        for sub in subs:
            if sub.status == "trial" or sub.end is not None:
                continue
            if end is not None:
                sub.end, sub.status = end, "cancelled"
            elif health < 0.35 and rng.random() < 0.08:
                sub.status = "past_due"
        return plan, dollars

    def _change_price(self, dollars: int, segment: str, up: bool) -> int:
        """An upgrade or downgrade, staying within reach of the segment's price range."""
        _, _, floor, cap, _ = PRICE_DOLLARS[segment]
        if up:
            return _round_price(min(2 * cap, dollars * self.rng.uniform(1.15, 1.6)), segment)
        return _round_price(max(floor, dollars * self.rng.uniform(0.6, 0.9)), segment)

    def _list_price(self, segment: str, health: float) -> int:
        """The first list price: lognormal around the segment's median, a bit higher if healthy."""
        median, spread, floor, cap, _ = PRICE_DOLLARS[segment]
        dollars = median * self.rng.lognormvariate(0, spread) * (0.85 + 0.3 * health)
        return _round_price(min(cap, max(floor, dollars)), segment)


def _round_price(dollars: float, segment: str) -> int:
    """Round to the segment's price step (never below one step)."""
    step = PRICE_DOLLARS[segment][4]
    return max(step, round(dollars / step) * step)


def _next_plan(plan: str, up: bool) -> str:
    """The plan one rung up or down the ladder, staying on it."""
    ladder = names.PLAN_LADDER
    index = ladder.index(plan) + (1 if up else -1)
    return ladder[min(len(ladder) - 1, max(0, index))]
