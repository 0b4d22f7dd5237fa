"""Settings that record how far derived values have been brought: the month-end table and
accounts' current MRR."""

MONTHS_THROUGH = "derived.months_through"
"""The last month `account_months` is derived through (`account_months.refresh`)."""

MRR_AS_OF = "derived.mrr_as_of"
"""The day accounts' current MRR was last brought up to date (`Store.catch_up_mrr`)."""
