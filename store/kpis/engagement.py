"""Engagement and loyalty KPIs: NPS, CSAT, CLI, time to first value, usage, referrals."""

from __future__ import annotations

from datetime import date

from store.database import Connection
from store.kpis.filters import BookFilter
from store.kpis.periods import Period
from store.kpis.results import KpiValue, Unit, median, percentile, ratio
from store.nps import NpsGroup

PAID_SUBSCRIPTION = "s.status != 'trial' AND s.mrr_cents > 0"
"""A subscription `s` that made its account a paying customer (its start is a purchase)."""





def nps_value(promoters: int, passives: int, detractors: int) -> float | None:
    """% promoters − % detractors of all answers, −100..100; None when there are none."""
    total = promoters + passives + detractors
    return ratio(promoters - detractors, total, 100)


def nps(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Net Promoter Score of the 'nps' answers given in the period.

    Promoters score 9-10, passives 7-8, detractors 0-6; NPS = % promoters − % detractors,
    a score from −100 to +100. Every answer with `answered_at` in [start, end) counts (a
    contact answering twice counts twice). No answers → no data.
    """
    scope, params = book.scope("sa.account_id")
    row = conn.execute(
        "SELECT " + ", ".join(f"coalesce(sum({group.condition('sa.score')}), 0)" for group in
                              (NpsGroup.PROMOTER, NpsGroup.PASSIVE, NpsGroup.DETRACTOR))
        + " FROM survey_answers sa "
        f"WHERE sa.kind = 'nps' AND sa.answered_at >= :start AND sa.answered_at < :end{scope}",
        {**period.instant_bounds(), **params},
    ).fetchone()
    promoters, passives, detractors = (int(value) for value in row)
    total = promoters + passives + detractors
    return KpiValue(
        "nps", nps_value(promoters, passives, detractors), Unit.SCORE,
        {"promoters": promoters, "passives": passives, "detractors": detractors,
         "answers": total},
        "every answer in the period counts; −100..100",
    )


def csat_value(satisfied: int, answers: int) -> float | None:
    """Satisfied answers / all answers × 100; None when there are none."""
    return ratio(satisfied, answers, 100)


def csat(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Customer satisfaction: 'csat' answers scoring 4-5 (of 1-5) / all 'csat' answers × 100.

    Answers with `answered_at` in [start, end) count. No answers → no data.
    """
    scope, params = book.scope("sa.account_id")
    row = conn.execute(
        "SELECT coalesce(sum(sa.score >= 4), 0), count(*) FROM survey_answers sa "
        f"WHERE sa.kind = 'csat' AND sa.answered_at >= :start AND sa.answered_at < :end{scope}",
        {**period.instant_bounds(), **params},
    ).fetchone()
    satisfied, answers = int(row[0]), int(row[1])
    return KpiValue("csat", csat_value(satisfied, answers), Unit.PERCENT,
                    {"satisfied": satisfied, "answers": answers})


def cli(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Customer loyalty index: the mean of the per-question mean scores × 10, 0-100.

    Each labelled 'cli' answer (quality, service, experience, recommend... compared without
    case) with `answered_at` in [start, end) goes into its question's mean; a question nobody
    answered in the period does not count; answers without a question are left out (counted
    in `unlabelled_answers`). No labelled answers → no data.
    """
    scope, params = book.scope("sa.account_id")
    rows = conn.execute(
        "SELECT lower(trim(sa.question)) AS item, avg(sa.score), count(*) "
        "FROM survey_answers sa WHERE sa.kind = 'cli' "
        f"AND sa.answered_at >= :start AND sa.answered_at < :end{scope} "
        "GROUP BY item ORDER BY item",
        {**period.instant_bounds(), **params},
    ).fetchall()
    means = {item: float(mean) for item, mean, _ in rows if item}
    counts = {item: int(count) for item, _, count in rows if item}
    unlabelled = sum(int(count) for item, _, count in rows if not item)
    value = ratio(sum(means.values()), len(means), 10)
    return KpiValue(
        "cli", value, Unit.INDEX,
        {"question_means": means, "answers_per_question": counts,
         "answers": sum(counts.values()), "unlabelled_answers": unlabelled},
        "mean of the question means × 10; only questions answered in the period count",
    )


def time_to_first_value(conn: Connection, period: Period, book: BookFilter) -> list[KpiValue]:
    """Days from purchase to first value, median and p90 (nearest rank), in days.

    Covers accounts whose `first_value_on` is in [start, end). The purchase date is the
    earliest start of a non-trial subscription with MRR, else the earliest
    `acquisition.converted_on`; accounts with neither are skipped. Value reached before the
    purchase (during a trial) counts as 0 days. No measurable account → no data.
    """
    scope, params = book.scope("a.id")
    rows = conn.execute(
        f"""SELECT a.first_value_on,
                   (SELECT min(s.started_on) FROM subscriptions s
                    WHERE s.account_id = a.id AND {PAID_SUBSCRIPTION}),
                   (SELECT min(q.converted_on) FROM acquisition q WHERE q.account_id = a.id)
            FROM accounts a
            WHERE a.first_value_on >= :start AND a.first_value_on < :end{scope}""",
        {**period.day_bounds(), **params},
    ).fetchall()
    days: list[float] = []
    skipped = from_conversion = before_purchase = 0
    for first_value_on, paid_on, converted_on in rows:
        purchase = paid_on or converted_on
        if purchase is None:
            skipped += 1
            continue
        from_conversion += paid_on is None
        elapsed = (date.fromisoformat(first_value_on) - date.fromisoformat(purchase)).days
        before_purchase += elapsed < 0
        days.append(float(max(0, elapsed)))
    days.sort()
    inputs = {"accounts_reaching_value": len(rows), "measured": len(days),
              "skipped_without_purchase_date": skipped,
              "purchase_from_converted_on": from_conversion,
              "value_before_purchase": before_purchase}
    note = "purchase = first paid subscription start, else acquisition.converted_on"
    return [
        KpiValue("ttfv_median", median(days), Unit.DAYS, inputs, note),
        KpiValue("ttfv_p90", percentile(days, 0.9), Unit.DAYS, inputs, note + "; nearest rank"),
    ]


def feature_usage(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Usage events per active account over usage rows with `used_on` in [start, end).

    An active account has at least one event in the period. Inputs give the total events,
    the distinct (non-empty) features used and the active accounts. No events → no data.
    """
    scope, params = book.scope("u.account_id")
    row = conn.execute(
        "SELECT count(*), coalesce(sum(u.events), 0), "
        "count(DISTINCT CASE WHEN trim(u.feature) != '' THEN u.feature END), "
        "count(DISTINCT CASE WHEN u.events > 0 THEN u.account_id END) "
        f"FROM usage u WHERE u.used_on >= :start AND u.used_on < :end{scope}",
        {**period.day_bounds(), **params},
    ).fetchone()
    usage_rows, events, features, active = (int(value) for value in row)
    return KpiValue(
        "feature_usage", ratio(events, active), Unit.COUNT,
        {"usage_rows": usage_rows, "events": events, "distinct_features": features,
         "active_accounts": active},
        "events per account with any events in the period",
    )


def stickiness(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """DAU/MAU as a percentage (0-100): sum(active_users) / sum(monthly_active_users) × 100.

    Over usage rows with `used_on` in [start, end) that carry both counts (so it is average
    DAU over average MAU). No such row, or no monthly active users → no data.
    """
    scope, params = book.scope("u.account_id")
    row = conn.execute(
        "SELECT count(*), coalesce(sum(u.active_users), 0), "
        "coalesce(sum(u.monthly_active_users), 0) FROM usage u "
        "WHERE u.active_users IS NOT NULL AND u.monthly_active_users IS NOT NULL "
        f"AND u.used_on >= :start AND u.used_on < :end{scope}",
        {**period.day_bounds(), **params},
    ).fetchone()
    rows, daily, monthly = (int(value) for value in row)
    return KpiValue(
        "stickiness", ratio(daily, monthly, 100), Unit.PERCENT,
        {"usage_rows": rows, "daily_active_users": daily, "monthly_active_users": monthly},
        "DAU/MAU as a percentage (0-100), not a 0-1 ratio",
    )


def referrals(conn: Connection, period: Period, book: BookFilter) -> KpiValue:
    """Accounts whose acquisition source or channel is 'referral' (any case) with `lead_on`
    in [start, end), counted once each.

    No data when the (filtered) book records no lead dates at all; 0 when it does but no
    referral lead fell in the period.
    """
    scope, params = book.scope("q.account_id")
    row = conn.execute(
        "SELECT count(DISTINCT CASE WHEN q.lead_on >= :start AND q.lead_on < :end "
        "AND (lower(trim(q.source)) = 'referral' OR lower(trim(q.channel)) = 'referral') "
        "THEN q.account_id END), "
        "count(DISTINCT CASE WHEN q.lead_on >= :start AND q.lead_on < :end "
        "THEN q.account_id END), count(*) "
        f"FROM acquisition q WHERE q.lead_on IS NOT NULL{scope}",
        {**period.day_bounds(), **params},
    ).fetchone()
    referred, leads, recorded = (int(value) for value in row)
    return KpiValue(
        "referrals", float(referred) if recorded else None, Unit.COUNT,
        {"referral_leads": referred, "leads": leads},
        "leads in the period whose source or channel is 'referral'",
    )


def engagement_kpis(conn: Connection, period: Period, book: BookFilter) -> list[KpiValue]:
    """Every KPI of this module for one period and filter, in a stable order."""
    return [
        nps(conn, period, book),
        csat(conn, period, book),
        cli(conn, period, book),
        *time_to_first_value(conn, period, book),
        feature_usage(conn, period, book),
        stickiness(conn, period, book),
        referrals(conn, period, book),
    ]
