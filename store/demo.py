"""A realistic, deterministic synthetic book for demos, tests and benchmarks.

One latent "health" value per account drives everything else, so the data correlates the way a
real book does: healthy accounts use the product more, answer NPS higher, expand more and churn
less. The same seed, `as_of` and size always give byte-identical tables: every id comes from a
seeded generator and every timestamp derives from `as_of`, never from the clock.
"""

from __future__ import annotations

import json
import math
import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from store import demo_names as words
from store.clock import utc_now
from store.errors import InvalidInput
from store.ids import SeededIds
from store.lifecycle import CHURNED, LifecycleModel, Phase
from store.models import (
    CLI_QUESTIONS,
    Account,
    Acquisition,
    AcquisitionSpend,
    Contact,
    Interaction,
    Record,
    StageMove,
    Subscription,
    SurveyAnswer,
    Task,
    UsageRecord,
)
from store.rows import TABLES, columns

if TYPE_CHECKING:
    from store.store import Store

T = TypeVar("T")
Row = tuple[Any, ...]

CHUNK_ACCOUNTS = 2000
"""Accounts generated before their rows are written (keeps memory flat for any book size)."""
BATCH_ROWS = 5000
"""Rows handed to one `insert_many` call."""

HISTORY_DAYS = 730
"""Customers bought within the 24 months before `as_of`."""
OLDEST_LEAD_DAYS = 912
"""The oldest leads were created about 30 months before `as_of`."""
SPEND_MONTHS = 24

PROSPECT_SHARE = 0.22
"""Accounts that have not bought (yet): they sit in a stage before `customer_from`."""
REACTIVATION_SHARE = 0.22
"""Churned accounts that come back, when there is still time (about 1 in 6 of all churns)."""
STALLED_ONBOARDING = 0.12
"""Accounts in the onboarding stage with no first value although it is due."""
FOLLOW_UP_SHARE = 0.15
TRIAL_SHARE = 0.35
TRIAL_DAYS = 14
PLAIN_NAME_SHARE = 0.4
"""Company names without a third word ("CedarPath" rather than "CedarPath Labs")."""

SOURCE = "demo"
"""What the `source` columns say, so demo rows are recognisable."""

SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
SEGMENT_WEIGHTS = (0.6, 0.3, 0.1)
PRICE_DOLLARS = {  # median, spread (sigma of the log), floor, cap, price step
    "SMB": (180, 0.6, 50, 800, 10),
    "Mid-Market": (2000, 0.45, 800, 5000, 50),
    "Enterprise": (12000, 0.5, 5000, 40000, 250),
}
SEATS = {"SMB": (8, 2, 40), "Mid-Market": (60, 20, 300), "Enterprise": (600, 150, 5000)}
CONTACTS = {"SMB": ((1, 2), (0.6, 0.4)), "Mid-Market": ((2, 3), (0.6, 0.4)),
            "Enterprise": ((3, 4), (0.5, 0.5))}
INTERACTIONS_PER_MONTH = {"SMB": 0.45, "Mid-Market": 0.8, "Enterprise": 1.2}
ADD_ON_CHANCE = {"SMB": 0.04, "Mid-Market": 0.14, "Enterprise": 0.28}
DEMO_CHANCE = {"SMB": 0.3, "Mid-Market": 0.75, "Enterprise": 0.9}
BILLING = (("month", 0.7), ("year", 0.25), ("quarter", 0.05))
MRR_CENTS_PER_DOLLAR = {"month": 100, "quarter": 95, "year": 90}
"""Monthly-normalised cents per list-price dollar, by billing term: longer terms cost less."""

CHANNEL_WEIGHTS = {
    "SMB": (0.35, 0.3, 0.12, 0.05, 0.08, 0.1),
    "Mid-Market": (0.22, 0.18, 0.15, 0.18, 0.12, 0.15),
    "Enterprise": (0.1, 0.05, 0.1, 0.35, 0.2, 0.2),
}
COST_PER_LEAD = {
    "organic": 600, "paid_search": 1800, "referral": 400,
    "outbound": 2400, "partner": 1200, "event": 3000,
}
"""Dollars of acquisition spend per lead, by channel (so CAC lands in a believable range)."""

KIND_WEIGHTS = {
    "acquisition": (("demo", 1), ("call", 3), ("email", 4), ("meeting", 2), ("chat", 1),
                    ("note", 1)),
    "engagement": (("training", 3), ("call", 3), ("email", 4), ("ticket", 3), ("chat", 2),
                   ("meeting", 2), ("note", 2)),
    "retention": (("qbr", 1.5), ("call", 3), ("email", 4), ("meeting", 2), ("ticket", 2.5),
                  ("chat", 1.5), ("note", 2)),
    CHURNED: (("email", 3), ("call", 1), ("note", 1)),
}
CLI_OFFSETS = (0.3, 0.0, -0.2, 0.1)
"""How much higher than average each CLI question scores (quality, service, experience...)."""
WORK_DAY = (8 * 3600, 18 * 3600)
"""Seconds of the (UTC) day between which things happen."""


@dataclass(frozen=True)
class DemoSummary:
    """What `generate_demo` wrote: rows per table, and the inputs that reproduce it."""

    seed: int
    as_of: date
    accounts: int
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        """Rows written over all tables."""
        return sum(self.rows.values())


def generate_demo(
    store: Store,
    accounts: int = 300,
    seed: int = 7,
    as_of: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty book with `accounts` synthetic accounts and their whole history."""
    if accounts < 1:
        raise InvalidInput(f"the demo book needs at least one account (got {accounts})")
    existing = store.count(Account)
    if existing:
        raise InvalidInput(
            f"{store.path} already holds {existing} accounts; the demo needs an empty book"
        )
    as_of = as_of or utc_now().date()
    _check_columns()
    builder = _BookBuilder(store.lifecycle(), random.Random(seed), as_of)
    counts = dict.fromkeys([*TABLES.values()], 0)
    with store.transaction():
        for first in range(1, accounts + 1, CHUNK_ACCOUNTS):
            last = min(first + CHUNK_ACCOUNTS, accounts + 1)
            for number in range(first, last):
                builder.add_account(number)
            _flush(store, builder.take_rows(), counts)
            if progress:
                progress(last - 1, accounts)
        _flush(store, {AcquisitionSpend: builder.spend_rows()}, counts)
        store.set_setting(
            "demo",
            {"seed": seed, "accounts": accounts, "as_of": as_of.isoformat()},
            at=datetime.combine(as_of, time(), UTC),
        )
    return DemoSummary(seed=seed, as_of=as_of, accounts=accounts, rows=counts)


def _flush(store: Store, rows: dict[type[Record], list[Row]], counts: dict[str, int]) -> None:
    """Insert each table's rows in dependency order (the dict's order), in batches."""
    for model, table_rows in rows.items():
        for start in range(0, len(table_rows), BATCH_ROWS):
            counts[TABLES[model]] += store.insert_many(
                model, table_rows[start:start + BATCH_ROWS]
            )


_COLUMNS: dict[type[Record], tuple[str, ...]] = {
    Account: ("id", "name", "domain", "segment", "plan", "owner", "stage", "stage_entered_at",
              "renewal_on", "tags", "mrr_cents", "first_value_on", "created_at", "updated_at"),
    Contact: ("id", "account_id", "name", "email", "role", "phone", "is_primary", "updated_at"),
    StageMove: ("id", "account_id", "from_stage", "to_stage", "moved_at", "reason", "source",
                "updated_at"),
    Subscription: ("id", "account_id", "plan", "status", "mrr_cents", "currency",
                   "billing_interval", "started_on", "ended_on", "updated_at"),
    Interaction: ("id", "account_id", "kind", "occurred_at", "author", "contact_id", "summary",
                  "sentiment", "follow_up_on", "source", "updated_at"),
    Task: ("id", "account_id", "title", "due_on", "status", "interaction_id", "created_at",
           "done_at", "updated_at"),
    SurveyAnswer: ("id", "account_id", "contact_id", "kind", "question", "score", "comment",
                   "answered_at", "source", "updated_at"),
    UsageRecord: ("id", "account_id", "used_on", "feature", "events", "active_users",
                  "monthly_active_users", "duration_secs", "updated_at"),
    Acquisition: ("id", "account_id", "source", "channel", "campaign", "lead_on", "trial_on",
                  "demo_on", "converted_on", "spend_cents", "updated_at"),
    AcquisitionSpend: ("id", "channel", "spent_on", "amount_cents", "updated_at"),
}
"""The column order the row tuples below are built in; dict order is the insert order."""


def _check_columns() -> None:
    """Fail loudly if a model's fields no longer match the tuples this module builds."""
    for model, expected in _COLUMNS.items():
        if tuple(columns(model)) != expected:
            raise RuntimeError(f"store.demo builds {model.__name__} rows for an older schema")


class _Choice(Generic[T]):
    """A weighted choice among fixed options: one random number and a bisection per pick."""

    __slots__ = ("_cumulative", "_options", "_random", "_total")

    def __init__(self, rng: random.Random, weighted: Sequence[tuple[T, float]]) -> None:
        self._options = [option for option, _ in weighted]
        running = 0.0
        self._cumulative = []
        for _, weight in weighted:
            running += weight
            self._cumulative.append(running)
        self._total = running
        self._random = rng.random

    def __call__(self) -> T:
        return self._options[bisect_right(self._cumulative, self._random() * self._total)]


class _Calendar:
    """ISO text for every day around `as_of` and every second of a day, formatted once."""

    def __init__(self, as_of: date, days_before: int, days_after: int) -> None:
        self.today = as_of.toordinal()
        self.first = self.today - days_before
        start = as_of - timedelta(days=days_before)
        self._days = [
            (start + timedelta(days=offset)).isoformat()
            for offset in range(days_before + days_after + 1)
        ]
        self._times = [
            f"T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
            for second in range(86400)
        ]
        months = []
        month = date(start.year, start.month, 1)
        while month <= as_of:
            months.append(month.toordinal())
            month = (month + timedelta(days=32)).replace(day=1)
        months.append(month.toordinal())
        self.month_starts = months
        """First day of each month from `days_before` ago up to the month after `as_of`."""

    def day(self, ordinal: int) -> str:
        """`YYYY-MM-DD` for a date ordinal."""
        return self._days[ordinal - self.first]

    def stamp(self, ordinal: int, second: int) -> str:
        """A stored timestamp for a date ordinal and a second of that day."""
        return self._days[ordinal - self.first] + self._times[second]

    def month_index(self, ordinal: int) -> int:
        """Index into `month_starts` of the month holding `ordinal`."""
        return bisect_right(self.month_starts, ordinal) - 1


@dataclass(slots=True)
class _Subscription:
    """A subscription being built; becomes a row once the account's story is complete."""

    start: int
    mrr: int
    plan: str
    interval: str
    end: int | None = None
    status: str = "active"
    add_on: bool = False


@dataclass(slots=True)
class _Story:
    """One account's timeline while it is being generated; days are date ordinals."""

    id: str
    health: float
    segment: str
    owner: str
    created: int
    bought: int | None = None
    move_days: list[int] = field(default_factory=list)
    move_stages: list[int] = field(default_factory=list)
    """Main-path index after each move (-1 for churned), parallel to `move_days`."""
    created_at: str = ""
    last_moved_at: str = ""
    demo_on: int | None = None
    periods: list[tuple[int, int | None]] = field(default_factory=list)
    """Paying periods as (first day, day it ended or None while it lasts)."""
    price_changes: list[tuple[int, bool]] = field(default_factory=list)
    """Days the plan went up (True) or down (False) because of a stage move."""
    reached_onboarding: bool = False
    left_onboarding: int | None = None
    contacts: list[tuple[str, str]] = field(default_factory=list)
    """(contact id, first name), the primary contact first."""


class _BookBuilder:
    """Generates the book account by account, collecting row tuples per table."""

    def __init__(self, lifecycle: LifecycleModel, rng: random.Random, as_of: date) -> None:
        self.rng = rng
        self.cal = _Calendar(as_of, OLDEST_LEAD_DAYS + 31, 400)
        self.today = self.cal.today
        self.stamp = f"{as_of.isoformat()}T00:00:00Z"
        midnight = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
        self.new_id = SeededIds(rng, int(midnight.timestamp() * 1000) - 86_400_000)
        self.rows: dict[type[Record], list[Row]] = {model: [] for model in _COLUMNS}
        self.leads: dict[tuple[str, int], int] = {}
        """Leads created per (channel, month index): acquisition spend follows them."""
        self._init_lifecycle(lifecycle)
        self._init_names()
        self._init_choices()

    # -- setup -------------------------------------------------------------------------------

    def _init_lifecycle(self, lifecycle: LifecycleModel) -> None:
        path = lifecycle.main_path
        self.path = [stage.key for stage in path]
        self.phases = [stage.phase for stage in path]
        self.customer_from = self.path.index(lifecycle.customer_from)
        self.onboarding = next(
            (
                index
                for index in range(self.customer_from, len(path))
                if path[index].phase is Phase.ENGAGEMENT
            ),
            self.customer_from,
        )
        self.churned = CHURNED if CHURNED in lifecycle.keys else None
        self.stay_days: list[float] = []
        self.advance: list[tuple[float, float]] = []
        """(base, per unit of health) chance of moving on from each stage when time allows."""
        for index, phase in enumerate(self.phases):
            following = self.phases[index + 1] if index + 1 < len(path) else None
            if index < self.customer_from:
                self.stay_days.append(12)
                self.advance.append((0.6, 0.0))
            elif index < self.onboarding:
                self.stay_days.append(7)
                self.advance.append((0.97, 0.0))
            elif index == self.onboarding:
                self.stay_days.append(30)
                self.advance.append((0.8, 0.2))
            elif phase is not Phase.RETENTION:
                self.stay_days.append(60)
                self.advance.append((0.75, 0.2))
            else:
                self.stay_days.append(150)
                self.advance.append((0.15, 0.5) if following is Phase.RETENTION else (0.8, 0.1))

    def _init_names(self) -> None:
        firsts, seconds, suffixes = (
            words.COMPANY_FIRST, words.COMPANY_SECOND, words.COMPANY_SUFFIX
        )
        self._plain_names = _Permutation(self.rng, len(firsts) * len(seconds))
        self._suffixed_names = _Permutation(
            self.rng, len(firsts) * len(seconds) * len(suffixes)
        )
        self._plain_used = 0
        self._suffixed_used = 0

    def _init_choices(self) -> None:
        rng = self.rng
        self.pick_segment = _Choice(rng, list(zip(SEGMENTS, SEGMENT_WEIGHTS, strict=True)))
        self.pick_billing = _Choice(rng, BILLING)
        self.pick_channel = {
            segment: _Choice(rng, list(zip(words.CHANNELS, weights, strict=True)))
            for segment, weights in CHANNEL_WEIGHTS.items()
        }
        self.pick_kind = {
            phase: _Choice(rng, weighted) for phase, weighted in KIND_WEIGHTS.items()
        }
        self.pick_contact_count = {
            segment: _Choice(rng, list(zip(*options, strict=True)))
            for segment, options in CONTACTS.items()
        }
        self.pick_tag_count = _Choice(rng, ((0, 0.45), (1, 0.3), (2, 0.17), (3, 0.08)))

    # -- accounts ----------------------------------------------------------------------------

    def add_account(self, number: int) -> None:
        """Generate account `number` and every row that belongs to it."""
        rng = self.rng
        segment = self.pick_segment()
        story = _Story(
            id=f"ACC-{number:06d}",
            health=rng.betavariate(2.4, 1.7),
            segment=segment,
            owner=rng.choice(words.OWNERS_BY_SEGMENT[segment]),
            created=0,
        )
        name = self._company_name()
        domain = "".join(char for char in name.lower() if char.isalnum())
        domain += rng.choice(words.DOMAIN_ENDINGS)
        self._contacts(story, domain)
        self._journey(story)
        story.demo_on = self._demo_day(story)
        subscriptions = self._subscriptions(story)
        self._activity(story)
        self._surveys(story)
        self._usage(story)
        self._acquisition(story, subscriptions)
        self._account_row(story, name, domain, subscriptions)

    def _company_name(self) -> str:
        firsts, seconds, suffixes = (
            words.COMPANY_FIRST, words.COMPANY_SECOND, words.COMPANY_SUFFIX
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

    def _contacts(self, story: _Story, domain: str) -> None:
        rng = self.rng
        rows = self.rows[Contact]
        seen: set[str] = set()
        for position in range(self.pick_contact_count[story.segment]()):
            first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
            local = f"{first}.{last}".lower()
            while local in seen:
                local += str(len(seen))
            seen.add(local)
            primary = position == 0
            role = rng.choice(words.PRIMARY_ROLES if primary else words.CONTACT_ROLES)
            phone = f"+1-{rng.randrange(201, 990)}-555-01{rng.randrange(100):02d}"
            contact_id = self.new_id()
            rows.append((
                contact_id, story.id, f"{first} {last}", f"{local}@{domain}", role,
                phone if rng.random() < 0.6 else None, int(primary), self.stamp,
            ))
            story.contacts.append((contact_id, first))

    def _account_row(
        self, story: _Story, name: str, domain: str, subscriptions: list[_Subscription]
    ) -> None:
        rng = self.rng
        today = self.today
        paying = [
            sub for sub in subscriptions
            if sub.status in ("active", "past_due") and (sub.end is None or sub.end > today)
        ]
        mrr = sum(sub.mrr for sub in paying)
        main = [sub for sub in paying if not sub.add_on]
        renewal_on = _next_anniversary(main[0].start, today) if main else None
        plans = [sub.plan for sub in subscriptions if not sub.add_on and sub.status != "trial"]
        plan = plans[-1] if plans else None
        tags = set(rng.sample(words.TAGS, self.pick_tag_count()))
        if story.health < 0.3 and rng.random() < 0.5:
            tags.add(rng.choice(words.UNHEALTHY_TAGS))
        elif story.health > 0.75 and rng.random() < 0.3:
            tags.add(rng.choice(words.HEALTHY_TAGS))
        tags.discard("at-risk" if story.health > 0.5 else "reference")
        stage_index = story.move_stages[-1]
        self.rows[Account].append((
            story.id, name, domain, story.segment, plan, story.owner,
            self.path[stage_index] if stage_index >= 0 else self.churned,
            story.last_moved_at,
            self.cal.day(renewal_on) if renewal_on else None,
            json.dumps(sorted(tags)),
            mrr,
            self._first_value(story),
            story.created_at,
            self.stamp,
        ))

    def _first_value(self, story: _Story) -> str | None:
        """Purchase plus a lognormal wait (median 20 days), unless onboarding has not got there."""
        if story.bought is None or not story.reached_onboarding:
            return None
        wait = 20 * (1.5 - story.health) * self.rng.lognormvariate(0, 0.6)
        value_on = story.bought + max(1, int(wait))
        if story.left_onboarding is not None:
            value_on = min(value_on, story.left_onboarding)
        else:
            ended = story.periods[0][1] or self.today
            in_onboarding = story.move_stages[-1] == self.onboarding
            stalled = in_onboarding and self.rng.random() < STALLED_ONBOARDING
            if value_on >= ended or stalled:
                return None
        return self.cal.day(value_on)

    # -- the stage journey -------------------------------------------------------------------

    def _journey(self, story: _Story) -> None:
        """Decide the account's path through the stages, its purchase, churn and comeback."""
        rng = self.rng
        today, health = self.today, story.health
        if self.customer_from > 0 and rng.random() < PROSPECT_SHARE:
            age = min(OLDEST_LEAD_DAYS, 1 + int(rng.lognormvariate(math.log(60), 1.0)))
            story.created = today - age
            self._move(story, story.created, None, 0)
            self._walk(story, 0, story.created, today, self.customer_from - 1)
            return
        tenure = 1 + int((HISTORY_DAYS - 1) * rng.random() ** 1.2)
        bought = story.bought = today - tenure
        presales = [max(1, int(12 * rng.lognormvariate(0, 0.6))) for _ in range(self.customer_from)]
        budget = OLDEST_LEAD_DAYS - tenure
        if sum(presales) > budget:  # keep the oldest leads within ~30 months
            presales = [max(1, stay * budget // sum(presales)) for stay in presales]
        story.created = day = bought - sum(presales)
        for index, stay in enumerate(presales):
            self._move(story, day, index - 1 if index else None, index)
            day += stay
        self._move(story, bought, self.customer_from - 1 if presales else None, self.customer_from)
        churn_chance = 1.1 * (1 - health) ** 2 * min(1.0, tenure / 365)
        churned_on = None
        if self.churned and tenure > 60 and rng.random() < churn_chance:
            churned_on = bought + rng.randrange(30, tenure)
        top = len(self.path) - 1
        stage = self._walk(story, self.customer_from, bought, churned_on or today, top)
        story.periods.append((bought, churned_on))
        if churned_on is None:
            return
        self._move(story, churned_on, stage, -1, rng.choice(words.CHURN_REASONS))
        latest = today - 14
        if churned_on + 30 < latest and rng.random() < REACTIVATION_SHARE:
            back = churned_on + rng.randrange(30, min(300, latest - churned_on))
            self._move(story, back, -1, self.customer_from, rng.choice(words.REACTIVATION_REASONS))
            self._walk(story, self.customer_from, back, today, top)
            story.periods.append((back, None))

    def _walk(self, story: _Story, stage: int, day: int, end: int, top: int) -> int:
        """Walk from `stage` (entered on `day`) towards `top` before `end`; return the stage.

        Each stay is drawn around the stage's typical length (healthy accounts move faster);
        an account may stop early, or take one step back and then go on.
        """
        rng = self.rng
        health = story.health
        pace = 1.3 - 0.6 * health
        lowest = self.onboarding if stage >= self.customer_from else 0
        steps_back = 1
        while True:
            day += max(1, int(self.stay_days[stage] * pace * rng.lognormvariate(0, 0.5)))
            if day >= end:
                break
            if steps_back and stage > lowest and rng.random() < 0.04 + 0.1 * (1 - health):
                steps_back -= 1
                reasons = words.BACKWARD_REASONS[self.phases[stage - 1]]
                self._move(story, day, stage, stage - 1, rng.choice(reasons))
                stage -= 1
                continue
            base, per_health = self.advance[stage]
            if stage >= top or rng.random() > base + per_health * health:
                break
            self._move(story, day, stage, stage + 1)
            stage += 1
        return stage

    def _move(
        self, story: _Story, day: int, from_index: int | None, to_index: int,
        reason: str | None = None,
    ) -> None:
        """Record a stage move (-1 is churned) and what it implies for plan and onboarding."""
        path = self.path
        to_stage = path[to_index] if to_index >= 0 else self.churned
        if from_index is None:
            from_stage = None
        else:
            from_stage = path[from_index] if from_index >= 0 else self.churned
        if reason is None and from_stage is not None:
            reasons = words.FORWARD_REASONS.get(to_stage)
            reason = self.rng.choice(reasons) if reasons else f"Moved on to {to_stage}"
        moved_at = self.cal.stamp(day, self._work_second())
        self.rows[StageMove].append((
            self.new_id(), story.id, from_stage, to_stage, moved_at, reason, SOURCE, self.stamp,
        ))
        if not story.move_days:
            story.created_at = moved_at
        story.move_days.append(day)
        story.move_stages.append(to_index)
        story.last_moved_at = moved_at
        if to_index == self.onboarding:
            story.reached_onboarding = True
        if from_index == self.onboarding and to_index > from_index:
            story.left_onboarding = story.left_onboarding or day
        if to_stage == "expansion" and from_index is not None and from_index >= 0:
            story.price_changes.append((day, True))
        elif from_stage == "expansion" and 0 <= to_index < from_index and self.rng.random() < 0.5:
            story.price_changes.append((day, False))

    def _demo_day(self, story: _Story) -> int | None:
        """Some leads see a demo before they decide (most bigger ones do)."""
        decided = story.bought if story.bought is not None else self.today
        if decided - story.created > 1 and self.rng.random() < DEMO_CHANCE[story.segment]:
            return self.rng.randrange(story.created + 1, decided)
        return None

    def _stage_at(self, story: _Story, day: int) -> int:
        """The main-path index (-1 churned) the account was in on `day`."""
        return story.move_stages[max(0, bisect_right(story.move_days, day) - 1)]

    def _work_second(self) -> int:
        return self.rng.randrange(*WORK_DAY)

    # -- subscriptions -----------------------------------------------------------------------

    def _subscriptions(self, story: _Story) -> list[_Subscription]:
        """Trials, paid subscriptions with upgrades, downgrades and add-ons, and their ends."""
        rng = self.rng
        segment = story.segment
        plan = rng.choice(words.PLANS_BY_SEGMENT[segment])
        interval = self.pick_billing()
        dollars = self._list_price(segment, story.health)
        subs = self._trial(story, plan)
        for number, (start, end) in enumerate(story.periods):
            if number:  # a comeback, at about the old price
                dollars = _round_price(dollars * rng.uniform(0.8, 1.1), segment)
            plan, dollars = self._paid_period(story, subs, start, end, plan, dollars, interval)
        rows = self.rows[Subscription]
        day = self.cal.day
        for sub in subs:
            rows.append((
                self.new_id(), story.id, sub.plan, sub.status, sub.mrr, "USD", sub.interval,
                day(sub.start), day(sub.end) if sub.end is not None else None, self.stamp,
            ))
        return subs

    def _trial(self, story: _Story, plan: str) -> list[_Subscription]:
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
        return [_Subscription(start, 0, plan, "month", trial_end, "trial")]

    def _paid_period(
        self, story: _Story, subs: list[_Subscription], start: int, end: int | None,
        plan: str, dollars: int, interval: str,
    ) -> tuple[str, int]:
        """Add one paying period's subscriptions to `subs`; return the final plan and price.

        A price change ends the current subscription and starts the next one the same day;
        churn (`end`) cancels whatever is still running.
        """
        rng = self.rng
        health, segment = story.health, story.segment
        last = end or self.today
        current = _Subscription(start, dollars * MRR_CENTS_PER_DOLLAR[interval], plan, interval)
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
            current = _Subscription(day, dollars * MRR_CENTS_PER_DOLLAR[interval], plan, interval)
            subs.append(current)
        if last - start > 45 and rng.random() < ADD_ON_CHANCE[segment] * (0.5 + health):
            add_on_start = start + rng.randrange(30, last - start)
            add_on_dollars = _round_price(dollars * rng.uniform(0.1, 0.3), segment)
            add_on = _Subscription(
                add_on_start, add_on_dollars * 100, rng.choice(words.ADD_ONS), "month",
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
        median, spread, floor, cap, _ = PRICE_DOLLARS[segment]
        dollars = median * self.rng.lognormvariate(0, spread) * (0.85 + 0.3 * health)
        return _round_price(min(cap, max(floor, dollars)), segment)

    # -- interactions, tasks and CSAT --------------------------------------------------------

    def _activity(self, story: _Story) -> None:
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

    def _interaction(self, story: _Story, day: int, kind: str) -> None:
        rng = self.rng
        cal = self.cal
        stage = self._stage_at(story, day)
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
        contact_id, who = rng.choice(story.contacts)
        if kind == "note":
            contact_id = None
        topic = rng.choice(words.TOPICS_BY_PHASE[Phase.ACQUISITION if phase == CHURNED else phase])
        group = kind if kind in ("note", "ticket") else "default"
        label = words.KIND_LABELS[kind]
        summary = rng.choice(words.SUMMARIES[group][sentiment]).format(
            who=who, topic=topic, kind=label, kind_lower=label.lower()
        )
        occurred_at = cal.stamp(day, self._work_second())
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
            self._csat(story, contact_id, day + 1, sentiment)

    def _follow_up_task(
        self, story: _Story, interaction_id: str, day: int, created_at: str, due: int, title: str
    ) -> None:
        rng = self.rng
        today = self.today
        done_at = None
        if rng.random() < (0.97 if due < today - 30 else 0.7 if due < today else 0.15):
            done_day = rng.randrange(day, min(due + 4, today)) if day < today - 1 else day
            done_at = self.cal.stamp(done_day, self._work_second())
            if done_at <= created_at:
                done_at = created_at
        self.rows[Task].append((
            self.new_id(), story.id, title, self.cal.day(due), "done" if done_at else "open",
            interaction_id, created_at, done_at, self.stamp,
        ))

    def _standalone_task(self, story: _Story) -> None:
        rng = self.rng
        created = self.today - rng.randrange(1, 30)
        due = self.today + rng.randrange(-7, 21)
        done = due < self.today and rng.random() < 0.3
        created_at = self.cal.stamp(created, self._work_second())
        self.rows[Task].append((
            self.new_id(), story.id, rng.choice(words.STANDALONE_TASKS), self.cal.day(due),
            "done" if done else "open", None, created_at,
            self.cal.stamp(max(created, due), WORK_DAY[1]) if done else None, self.stamp,
        ))

    # -- surveys -----------------------------------------------------------------------------

    def _csat(self, story: _Story, contact_id: str | None, day: int, sentiment: str) -> None:
        rng = self.rng
        base = {"positive": 4.8, "neutral": 4.3, "negative": 2.8}[sentiment]
        score = min(5, max(1, round(rng.gauss(base + story.health - 0.5, 0.7))))
        comment = None
        if rng.random() < 0.25:
            comment = rng.choice(words.CSAT_COMMENTS["good" if score >= 4 else "bad"])
        self._answer(story, contact_id, "csat", None, score, comment, day)

    def _surveys(self, story: _Story) -> None:
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
                comment = rng.choice(words.NPS_COMMENTS[group]) if rng.random() < 0.3 else None
                contact_id = rng.choice(story.contacts)[0]
                self._answer(story, contact_id, "nps", None, score, comment, day)
                day += rng.randrange(165, 201)
            day = start + rng.randrange(180, 301)
            while cli and day < last:
                second = self._work_second()
                for question, offset in zip(CLI_QUESTIONS, CLI_OFFSETS, strict=True):
                    score = min(10, max(1, round(rng.gauss(2.5 + 7.0 * health + offset, 1.2))))
                    primary = story.contacts[0][0]
                    self._answer(story, primary, "cli", question, score, None, day, second)
                day += rng.randrange(350, 381)

    def _answer(
        self, story: _Story, contact_id: str | None, kind: str, question: str | None,
        score: int, comment: str | None, day: int, second: int | None = None,
    ) -> None:
        second = self._work_second() if second is None else second
        self.rows[SurveyAnswer].append((
            self.new_id(), story.id, contact_id, kind, question, score, comment,
            self.cal.stamp(day, second), SOURCE, self.stamp,
        ))

    # -- usage -------------------------------------------------------------------------------

    def _usage(self, story: _Story) -> None:
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

    # -- acquisition -------------------------------------------------------------------------

    def _acquisition(self, story: _Story, subscriptions: list[_Subscription]) -> None:
        rng = self.rng
        cal = self.cal
        channel = self.pick_channel[story.segment]()
        trial_on = next((sub.start for sub in subscriptions if sub.status == "trial"), None)
        demo_on = story.demo_on
        campaign = None
        lead_on = cal.day(story.created)
        if channel in words.CAMPAIGN_CHANNELS:
            quarter = (int(lead_on[5:7]) - 1) // 3 + 1
            campaign = f"{words.CAMPAIGN_CHANNELS[channel]}-{lead_on[:4]}-q{quarter}"
        self.rows[Acquisition].append((
            self.new_id(), story.id, rng.choice(words.SOURCES_BY_CHANNEL[channel]), channel,
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
            for channel in words.CHANNELS:
                leads = self.leads.get((channel, month), 0)
                dollars = leads * COST_PER_LEAD[channel] * rng.lognormvariate(0, 0.15)
                rows.append((
                    self.new_id(), channel, cal.day(cal.month_starts[month]),
                    round(dollars) * 100, self.stamp,
                ))
        return rows

    def take_rows(self) -> dict[type[Record], list[Row]]:
        """The rows generated since the last call, per model in insert order."""
        rows, self.rows = self.rows, {model: [] for model in _COLUMNS}
        return rows


class _Permutation:
    """A fixed pseudo-random order of 0..size-1: an affine map modulo `size`."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.size = size
        step = rng.randrange(size // 3, size)
        while math.gcd(step, size) != 1:
            step += 1
        self._step = step % size or 1
        self._offset = rng.randrange(size)

    def __call__(self, number: int) -> int:
        return (number * self._step + self._offset) % self.size


def _round_price(dollars: float, segment: str) -> int:
    step = PRICE_DOLLARS[segment][4]
    return max(step, round(dollars / step) * step)


def _next_plan(plan: str, up: bool) -> str:
    ladder = words.PLAN_LADDER
    index = ladder.index(plan) + (1 if up else -1)
    return ladder[min(len(ladder) - 1, max(0, index))]


def _next_anniversary(start: int, today: int) -> int:
    """The first anniversary of `start` on or after `today` (Feb 29 falls on Feb 28)."""
    began = date.fromordinal(start)
    year = date.fromordinal(today).year
    while True:
        try:
            anniversary = began.replace(year=year)
        except ValueError:  # February 29 in a common year
            anniversary = began.replace(year=year, day=28)
        if anniversary.toordinal() >= today:
            return anniversary.toordinal()
        year += 1


def _roman(number: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    text = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        text += numeral * count
    return text
