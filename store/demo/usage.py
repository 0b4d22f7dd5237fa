"""Demo product usage: monthly active users, events and time spent per paying month."""

from __future__ import annotations

from store.demo.context import BookPart
from store.demo.story import Story
from store.models import UsageRecord

SEATS = {"SMB": (8, 2, 40), "Mid-Market": (60, 20, 300), "Enterprise": (600, 150, 5000)}
"""Seats per account by segment: median, floor, cap."""


class Usage(BookPart):
    """Writes usage rows that ramp up after purchase and follow the account's health."""

    def usage(self, story: Story) -> None:
        """One row per complete paying month: users ramp up, then follow the account's health."""
        rng = self.rng
        cal = self.cal
        health = story.health
        median, low, high = SEATS[story.segment]
        seats = min(high, max(low, round(median * rng.lognormvariate(0, 0.6))))
        adoption = 0.35 + 0.55 * health
        stickiness = 0.1 + 0.4 * health
        events_per_user = 25 + 40 * health
        minutes_per_user = 12 + 30 * health
        months = cal.month_starts
        rows = self.rows[UsageRecord]
        for start, end in story.periods:
            last = end or self.today
            index = cal.month_index(start)
            age = 0
            while months[index + 1] <= self.today and months[index] < last:
                level = adoption * min(1.0, 0.45 + 0.18 * age)
                level *= min(1.3, max(0.2, 1 + (health - 0.5) * 0.04 * age))
                if end is not None:
                    days_left = end - months[index]
                    level *= 0.7 if days_left < 60 else 0.85 if days_left < 120 else 1.0
                monthly = max(1, round(seats * min(1.0, level * rng.gauss(1, 0.06))))
                daily = round(monthly * min(0.9, max(0.03, stickiness + rng.gauss(0, 0.03))))
                noise = rng.gauss(1, 0.08)
                rows.append((
                    self.new_id(), story.id, cal.day(months[index]), None,
                    max(0, round(daily * 21 * events_per_user * noise)), daily, monthly,
                    max(0, round(daily * 21 * 60 * minutes_per_user * noise)), self.stamp,
                ))
                index += 1
                age += 1
