"""Every KPI the dashboard shows: its label, lifecycle group, unit and which direction is good."""

from __future__ import annotations

from dataclasses import dataclass

from store.kpis.results import Unit


@dataclass(frozen=True, slots=True)
class KpiDefinition:
    """What a KPI is, for people: shown beside its value and in docs/KPIS.md."""

    name: str
    label: str
    group: str
    """The lifecycle stage it belongs to (MISSION.md section 2), or `all`."""
    unit: Unit
    better: str | None
    """`up` when a rise is good news, `down` when a fall is, None when neither."""
    formula: str


GROUPS = ("consideration", "purchase", "activation", "adoption", "retention", "expansion",
          "loyalty", "all")
"""Dashboard sections in lifecycle order; awareness KPIs need traffic data retain does not hold."""

CATALOG: tuple[KpiDefinition, ...] = (
    KpiDefinition("new_leads", "New leads", "consideration", Unit.COUNT, "up",
                  "accounts whose lead date is in the period"),
    KpiDefinition("trial_signups", "Trial sign-ups", "consideration", Unit.COUNT, "up",
                  "accounts whose trial started in the period"),
    KpiDefinition("demo_requests", "Demo requests", "consideration", Unit.COUNT, "up",
                  "accounts whose demo was in the period"),
    KpiDefinition("lead_conversion_rate", "Lead conversion", "purchase", Unit.PERCENT, "up",
                  "leads of the period with a conversion date / leads of the period × 100"),
    KpiDefinition("trial_to_paid_rate", "Trial to paid", "purchase", Unit.PERCENT, "up",
                  "trials of the period with a conversion date / trials of the period × 100"),
    KpiDefinition("cac", "CAC", "purchase", Unit.CENTS, "down",
                  "acquisition spend in the period / new customers in the period"),
    KpiDefinition("win_rate", "Win rate", "purchase", Unit.PERCENT, "up",
                  "deals won / deals won or lost, closed in the period × 100"),
    KpiDefinition("won_value", "Won value (bookings)", "purchase", Unit.CENTS, "up",
                  "amounts of the deals won in the period"),
    KpiDefinition("average_deal_size", "Average deal size", "purchase", Unit.CENTS, "up",
                  "won value / won deals with an amount"),
    KpiDefinition("sales_cycle_median", "Sales cycle (median)", "purchase", Unit.DAYS, "down",
                  "close date − created date of the deals won in the period, median"),
    KpiDefinition("open_pipeline", "Open pipeline", "purchase", Unit.CENTS, "up",
                  "amounts of the deals open at the period's end"),
    KpiDefinition("open_deals", "Open deals", "purchase", Unit.COUNT, "up",
                  "deals open at the period's end"),
    KpiDefinition("deal_conversion_rate", "Deal conversion", "purchase", Unit.PERCENT, "up",
                  "deals created in the period since won / deals created in the period × 100"),
    KpiDefinition("ttfv_median", "Time to first value (median)", "activation", Unit.DAYS,
                  "down", "first-value date − purchase date, median over accounts reaching value in the period"),
    KpiDefinition("ttfv_p90", "Time to first value (p90)", "activation", Unit.DAYS, "down",
                  "first-value date − purchase date, 90th percentile"),
    KpiDefinition("feature_usage", "Feature usage", "activation", Unit.COUNT, "up",
                  "usage events in the period / accounts with any usage in the period"),
    KpiDefinition("stickiness", "Stickiness (DAU/MAU)", "adoption", Unit.PERCENT, "up",
                  "daily active users / monthly active users × 100"),
    KpiDefinition("csat", "CSAT", "adoption", Unit.PERCENT, "up",
                  "answers 4-5 of 5 / all CSAT answers × 100"),
    KpiDefinition("logo_churn_rate", "Logo churn", "retention", Unit.PERCENT, "down",
                  "customers at the start not paying at the end / customers at the start × 100"),
    KpiDefinition("revenue_churn_rate", "Revenue churn", "retention", Unit.PERCENT, "down",
                  "MRR lost to churn and contraction / MRR at the start × 100"),
    KpiDefinition("grr", "Gross revenue retention", "retention", Unit.PERCENT, "up",
                  "(start MRR − contraction − churn) / start MRR, customers at the start"),
    KpiDefinition("nrr", "Net revenue retention", "retention", Unit.PERCENT, "up",
                  "(start MRR + expansion − contraction − churn) / start MRR"),
    KpiDefinition("cltv", "Customer lifetime value", "retention", Unit.CENTS, "up",
                  "ARPU × gross margin / average monthly logo churn (six months)"),
    KpiDefinition("purchase_cltv", "Purchase CLTV", "retention", Unit.CENTS, "up",
                  "average purchase value × purchases per customer per year × lifespan in years"),
    KpiDefinition("failed_payment_rate", "Failed payments", "retention", Unit.PERCENT, "down",
                  "failed payment attempts / attempts × 100"),
    KpiDefinition("unrecovered_failed_payments", "Unrecovered failed payments", "retention",
                  Unit.COUNT, "down",
                  "customers with a failed payment in the period not followed by a paid one"),
    KpiDefinition("nps", "NPS", "retention", Unit.SCORE, "up",
                  "% promoters (9-10) − % detractors (0-6)"),
    KpiDefinition("upgrade_rate", "Upgrade rate", "expansion", Unit.PERCENT, "up",
                  "customers at the start who expanded / customers at the start × 100"),
    KpiDefinition("arpu", "ARPU", "expansion", Unit.CENTS, "up",
                  "MRR / paying accounts, at the end of the period"),
    KpiDefinition("average_order_value", "Average order value", "expansion", Unit.CENTS, "up",
                  "collected revenue / purchases (orders or invoices) in the period"),
    KpiDefinition("cli", "Customer loyalty index", "loyalty", Unit.INDEX, "up",
                  "mean of the question means (1-10) × 10"),
    KpiDefinition("referrals", "Referrals", "loyalty", Unit.COUNT, "up",
                  "accounts whose lead came by referral, lead date in the period"),
    KpiDefinition("repeat_purchase_rate", "Repeat purchase rate", "loyalty", Unit.PERCENT, "up",
                  "customers buying in the period with 2+ purchases to date / customers buying"),
    KpiDefinition("mrr", "MRR", "all", Unit.CENTS, "up",
                  "monthly-normalised recurring revenue at the end of the period"),
    KpiDefinition("mrr_new", "New MRR", "all", Unit.CENTS, "up", "first moves from 0 to paying"),
    KpiDefinition("mrr_expansion", "Expansion MRR", "all", Unit.CENTS, "up",
                  "rises of paying customers' MRR"),
    KpiDefinition("mrr_reactivation", "Reactivation MRR", "all", Unit.CENTS, "up",
                  "moves from 0 back to paying"),
    KpiDefinition("mrr_contraction", "Contraction MRR", "all", Unit.CENTS, "down",
                  "falls of paying customers' MRR"),
    KpiDefinition("mrr_churned", "Churned MRR", "all", Unit.CENTS, "down",
                  "last active subscription ended"),
    KpiDefinition("collected_revenue", "Collected revenue", "all", Unit.CENTS, "up",
                  "payments collected in the period, before refunds"),
    KpiDefinition("refunds", "Refunds", "all", Unit.CENTS, "down",
                  "money given back in the period"),
)

BY_NAME = {definition.name: definition for definition in CATALOG}
