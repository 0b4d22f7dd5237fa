"""Settings that record how far derived values (accounts' current MRR) have been brought."""

MRR_AS_OF = "derived.mrr_as_of"
"""The day accounts' current MRR was last brought up to date (`Store.catch_up_mrr`)."""
