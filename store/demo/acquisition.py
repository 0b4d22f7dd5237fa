"""The demo's acquisition funnel: each account's lead channel and milestones, and the spend."""

from __future__ import annotations

from store.demo import names
from store.demo.columns import Row
from store.demo.context import BookContext, BookPart
from store.demo.random_tools import Choice
from store.demo.story import Story
from store.models import Acquisition

SPEND_MONTHS = 24
"""Months of acquisition spend, up to the month of `as_of`."""
CHANNEL_WEIGHTS = {
    "SMB": (0.35, 0.3, 0.12, 0.05, 0.08, 0.1),
    "Mid-Market": (0.22, 0.18, 0.15, 0.18, 0.12, 0.15),
    "Enterprise": (0.1, 0.05, 0.1, 0.35, 0.2, 0.2),
}
"""Weights of `names.CHANNELS` by segment."""
COST_PER_LEAD = {
    "organic": 600, "paid_search": 1800, "referral": 400,
    "outbound": 2400, "partner": 1200, "event": 3000,
}
"""Dollars of acquisition spend per lead, by channel (so CAC lands in a believable range)."""


class Funnel(BookPart):
    """Writes one acquisition row per account, counting leads so spend can follow them."""

    def __init__(self, book: BookContext) -> None:
        super().__init__(book)
        self.pick_channel = {
            segment: Choice(self.rng, list(zip(names.CHANNELS, weights, strict=True)))
            for segment, weights in CHANNEL_WEIGHTS.items()
        }
        self.leads: dict[tuple[str, int], int] = {}
        """Leads created per (channel, month index): acquisition spend follows them."""

    def acquisition(self, story: Story) -> None:
        """The account's channel, source, campaign and its lead, trial, demo and purchase days."""
        rng = self.rng
        cal = self.cal
        channel = self.pick_channel[story.segment]()
        trial_on = next((sub.start for sub in story.subscriptions if sub.status == "trial"), None)
        demo_on = story.demo_on
        campaign = None
        lead_on = cal.day(story.created)
        if channel in names.CAMPAIGN_CHANNELS:
            quarter = (int(lead_on[5:7]) - 1) // 3 + 1
            campaign = f"{names.CAMPAIGN_CHANNELS[channel]}-{lead_on[:4]}-q{quarter}"
        self.rows[Acquisition].append((
            self.new_id(), story.id, rng.choice(names.SOURCES_BY_CHANNEL[channel]), channel,
            campaign, lead_on, cal.day(trial_on) if trial_on is not None else None,
            cal.day(demo_on) if demo_on is not None else None,
            cal.day(story.bought) if story.bought is not None else None, None, self.stamp,
        ))
        month = cal.month_index(story.created)
        self.leads[channel, month] = self.leads.get((channel, month), 0) + 1

    def spend_rows(self) -> list[Row]:
        """Acquisition spend per channel and month for the last 24 months, following leads."""
        rng = self.rng
        cal = self.cal
        current = cal.month_index(self.today)
        rows = []
        for month in range(current - SPEND_MONTHS + 1, current + 1):
            for channel in names.CHANNELS:
                leads = self.leads.get((channel, month), 0)
                dollars = leads * COST_PER_LEAD[channel] * rng.lognormvariate(0, 0.15)
                rows.append((
                    self.new_id(), channel, cal.day(cal.month_starts[month]),
                    round(dollars) * 100, self.stamp,
                ))
        return rows
