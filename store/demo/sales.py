"""Demo deals and payments, consistent with each account's story: the won deal closes the day it
starts paying, charges follow its subscriptions, past-due ones end on an unrecovered failure.

They draw from a generator of their own, so adding them leaves every other table of a seeded
book exactly as it was.
"""

from __future__ import annotations

import random
from datetime import date

from store.demo.context import BookContext
from store.demo.story import DraftSubscription, Story
from store.ids import SeededIds
from store.models import Deal, Payment

OPEN_STAGES = ("Qualification", "Discovery", "Proposal", "Negotiation")
CYCLE_DAYS = {"SMB": (7, 45), "Mid-Market": (20, 90), "Enterprise": (45, 180)}
"""Days from a deal's creation to its close, by segment (low, high)."""
INTERVAL_MONTHS = {"month": 1, "quarter": 3, "year": 12}
ONE_OFF = {"SMB": ("Setup fee", 0.1, 500), "Mid-Market": ("Onboarding package", 0.3, 4_000),
           "Enterprise": ("Training days", 0.5, 15_000)}
"""A one-off purchase at the start: what, how likely, price in dollars."""


def _add_months(day: int, months: int) -> int:
    start = date.fromordinal(day)
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(start.day, 28)).toordinal()


class Sales:
    """Writes each account's deals and payments from its finished story."""

    def __init__(self, book: BookContext, rng: random.Random) -> None:
        self.rng = rng
        self.cal = book.cal
        self.today = book.today
        self.stamp = book.stamp
        self.rows = book.rows
        self.new_id = SeededIds(rng, 1_600_000_000_000)

    def add(self, story: Story) -> None:
        """The account's deals, then its payments."""
        self.deals(story)
        self.payments(story)

    # -- deals --------------------------------------------------------------------------

    def _deal(self, story: Story, stage: str, status: str, amount: int, created: int,
              close: int | None, kind: str) -> None:
        self.rows[Deal].append((
            self.new_id(), story.id, f"{story.name} - {kind}", stage, status, amount, "USD",
            self.cal.day(created), self.cal.day(close) if close is not None else None,
            story.owner, kind, "demo", self.stamp))

    def deals(self, story: Story) -> None:
        """A won deal for each purchase and upgrade; lost and open deals for prospects."""
        rng = self.rng
        low, high = CYCLE_DAYS[story.segment]
        paid = [sub for sub in story.subscriptions if sub.status != "trial" and not sub.add_on]
        if story.bought is not None and paid:
            close = story.bought
            created = max(story.created, close - rng.randint(low, high))
            self._deal(story, "Closed Won", "won", paid[0].mrr * 12, created, close,
                       "New Business")
            for before, after in zip(paid, paid[1:], strict=False):
                if after.mrr > before.mrr and after.start == before.end:
                    opened = max(before.start, after.start - rng.randint(low, high) // 2)
                    self._deal(story, "Closed Won", "won", (after.mrr - before.mrr) * 12,
                               opened, after.start, "Upsell")
            return
        lost_chance = 0.9 if story.move_stages[-1] < 0 else 0.3
        value = rng.choice((200, 2_000, 12_000)) * 12 * 100
        if rng.random() < lost_chance:
            created = story.created + rng.randint(0, 20)
            close = min(self.today - 1, created + rng.randint(low, high))
            self._deal(story, "Closed Lost", "lost", value, created, max(created, close),
                       "New Business")
        if story.move_stages[-1] >= 0 and rng.random() < 0.7:
            created = max(story.created, self.today - rng.randint(5, high))
            self._deal(story, rng.choice(OPEN_STAGES), "open", value, created,
                       self.today + rng.randint(10, 90), "New Business")

    # -- payments -----------------------------------------------------------------------

    def _payment(self, story: Story, amount: int, status: str, day: int, invoice: str,
                 refunded: int | None, description: str, kind: str) -> None:
        second = self.rng.randrange(8 * 3600, 18 * 3600)
        at = self.cal.stamp(day, second)
        self.rows[Payment].append((
            self.new_id(), story.id, amount, refunded, "USD", status, at,
            at if status in ("paid", "refunded") else None, invoice, 1, description, kind,
            self.stamp))

    def payments(self, story: Story) -> None:
        """Each paid subscription's charges up to today, with failures, retries and refunds."""
        rng = self.rng
        fail_chance = 0.01 + 0.08 * (1 - story.health)
        for sub in story.subscriptions:
            if sub.status == "trial" or not sub.mrr:
                continue
            self._charges(story, sub, fail_chance)
        if story.bought is not None:
            what, chance, dollars = ONE_OFF[story.segment]
            if rng.random() < chance:
                refunded = rng.random() < 0.1
                self._payment(story, dollars * 100, "refunded" if refunded else "paid",
                              story.bought, f"INV-{self.new_id()[-12:]}",
                              dollars * 100 if refunded else None, what, "one_off")

    def _charges(self, story: Story, sub: DraftSubscription, fail_chance: float) -> None:
        rng = self.rng
        months = INTERVAL_MONTHS[sub.interval]
        amount = sub.mrr * months
        last = min(sub.end if sub.end is not None else self.today, self.today)
        charges = []
        day, number = sub.start, 0
        while day < last:
            charges.append(day)
            number += 1
            day = _add_months(sub.start, months * number)
        for index, day in enumerate(charges):
            invoice = f"INV-{self.new_id()[-12:]}"
            final = index == len(charges) - 1
            if sub.status == "past_due" and final:
                self._payment(story, amount, "failed", day, invoice, None, sub.plan,
                              "recurring")  # its card keeps failing: not recovered
                continue
            if rng.random() < fail_chance:
                self._payment(story, amount, "failed", day, invoice, None, sub.plan, "recurring")
                day = min(self.today, day + rng.randint(3, 7))
            refund = rng.random() < 0.01
            self._payment(story, amount, "refunded" if refund else "paid", day, invoice,
                          amount if refund else None, sub.plan, "recurring")
