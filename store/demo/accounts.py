"""Demo accounts: segment, health, company name and contacts, and the account row itself."""

from __future__ import annotations

import json

from store.demo import names
from store.demo.calendar import next_anniversary
from store.demo.context import BookContext, BookPart
from store.demo.random_tools import Choice, Permutation
from store.demo.stages import StagePlan
from store.demo.story import Story
from store.models import Account, Contact

SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
SEGMENT_WEIGHTS = (0.6, 0.3, 0.1)
CONTACTS = {"SMB": ((1, 2), (0.6, 0.4)), "Mid-Market": ((2, 3), (0.6, 0.4)),
            "Enterprise": ((3, 4), (0.5, 0.5))}
"""Contacts per account by segment: (counts, their weights)."""
PLAIN_NAME_SHARE = 0.4
"""Company names without a third word ("CedarPath" rather than "CedarPath Labs")."""
STALLED_ONBOARDING = 0.12
"""Accounts in the onboarding stage with no first value although it is due."""


class Accounts(BookPart):
    """Opens each account's story (who it is, its contacts) and closes it with its row."""

    def __init__(self, book: BookContext, stages: StagePlan) -> None:
        super().__init__(book)
        self.stages = stages
        rng = self.rng
        firsts, seconds, suffixes = (
            names.COMPANY_FIRST, names.COMPANY_SECOND, names.COMPANY_SUFFIX
        )
        self._plain_names = Permutation(rng, len(firsts) * len(seconds))
        self._suffixed_names = Permutation(rng, len(firsts) * len(seconds) * len(suffixes))
        self._plain_used = 0
        self._suffixed_used = 0
        self.pick_segment = Choice(rng, list(zip(SEGMENTS, SEGMENT_WEIGHTS, strict=True)))
        self.pick_contact_count = {
            segment: Choice(rng, list(zip(*options, strict=True)))
            for segment, options in CONTACTS.items()
        }
        self.pick_tag_count = Choice(rng, ((0, 0.45), (1, 0.3), (2, 0.17), (3, 0.08)))

    def open(self, number: int) -> Story:
        """Start account `number`: segment, health, owner, name, domain and contacts."""
        rng = self.rng
        segment = self.pick_segment()
        story = Story(
            id=f"ACC-{number:06d}",
            health=rng.betavariate(2.4, 1.7),
            segment=segment,
            owner=rng.choice(names.OWNERS_BY_SEGMENT[segment]),
            created=0,
        )
        story.name = name = self._company_name()
        domain = "".join(char for char in name.lower() if char.isalnum())
        domain += rng.choice(names.DOMAIN_ENDINGS)
        story.domain = domain
        self._contacts(story, domain)
        return story

    def _company_name(self) -> str:
        """A unique company name: plain two-word names first, then suffixed, then numbered."""
        firsts, seconds, suffixes = (
            names.COMPANY_FIRST, names.COMPANY_SECOND, names.COMPANY_SUFFIX
        )
        plain = self.rng.random() < PLAIN_NAME_SHARE
        if plain and self._plain_used < self._plain_names.size:
            index = self._plain_names(self._plain_used)
            self._plain_used += 1
            return firsts[index % len(firsts)] + seconds[index // len(firsts)]
        number = self._suffixed_used
        self._suffixed_used += 1
        index = self._suffixed_names(number % self._suffixed_names.size)
        index, first = divmod(index, len(firsts))
        suffix, second = divmod(index, len(seconds))
        name = f"{firsts[first]}{seconds[second]} {suffixes[suffix]}"
        cycle = number // self._suffixed_names.size
        return f"{name} {_roman(cycle + 1)}" if cycle else name

    def _contacts(self, story: Story, domain: str) -> None:
        """The account's contacts, the primary one first, with emails at `domain`."""
        rng = self.rng
        rows = self.rows[Contact]
        seen: set[str] = set()
        for position in range(self.pick_contact_count[story.segment]()):
            first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
            local = f"{first}.{last}".lower()
            while local in seen:
                local += str(len(seen))
            seen.add(local)
            primary = position == 0
            role = rng.choice(names.PRIMARY_ROLES if primary else names.CONTACT_ROLES)
            phone = f"+1-{rng.randrange(201, 990)}-555-01{rng.randrange(100):02d}"
            contact_id = self.new_id()
            rows.append((
                contact_id, story.id, f"{first} {last}", f"{local}@{domain}", role,
                phone if rng.random() < 0.6 else None, int(primary), self.stamp,
            ))
            story.contacts.append((contact_id, first))

    def close(self, story: Story) -> None:
        """Write the account row: current stage, plan, MRR, renewal, tags and first value."""
        rng = self.rng
        today = self.today
        subscriptions = story.subscriptions
        paying = [
            sub for sub in subscriptions
            if sub.status in ("active", "past_due") and (sub.end is None or sub.end > today)
        ]
        mrr = sum(sub.mrr for sub in paying)
        main = [sub for sub in paying if not sub.add_on]
        renewal_on = next_anniversary(main[0].start, today) if main else None
        plans = [sub.plan for sub in subscriptions if not sub.add_on and sub.status != "trial"]
        plan = plans[-1] if plans else None
        tags = set(rng.sample(names.TAGS, self.pick_tag_count()))
        if story.health < 0.3 and rng.random() < 0.5:
            tags.add(rng.choice(names.UNHEALTHY_TAGS))
        elif story.health > 0.75 and rng.random() < 0.3:
            tags.add(rng.choice(names.HEALTHY_TAGS))
        tags.discard("at-risk" if story.health > 0.5 else "reference")
        self.rows[Account].append((
            story.id, story.name, story.domain, story.segment, plan, story.owner,
            self.stages.key(story.move_stages[-1]),
            story.last_moved_at,
            self.cal.day(renewal_on) if renewal_on else None,
            json.dumps(sorted(tags)),
            mrr,
            self._first_value(story),
            story.created_at,
            self.stamp,
        ))

    def _first_value(self, story: Story) -> str | None:
        """Purchase plus a lognormal wait (median 20 days), unless onboarding has not got there."""
        if story.bought is None or not story.reached_onboarding:
            return None
        wait = 20 * (1.5 - story.health) * self.rng.lognormvariate(0, 0.6)
        value_on = story.bought + max(1, int(wait))
        if story.left_onboarding is not None:
            value_on = min(value_on, story.left_onboarding)
        else:
            ended = story.periods[0][1] or self.today
            in_onboarding = story.move_stages[-1] == self.stages.onboarding
            stalled = in_onboarding and self.rng.random() < STALLED_ONBOARDING
            if value_on >= ended or stalled:
                return None
        return self.cal.day(value_on)


def _roman(number: int) -> str:
    """`number` in Roman numerals (for the second, third... round of company names)."""
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    text = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        text += numeral * count
    return text
