"""The KPI engine: every lifecycle KPI of MISSION.md, by period and filter, from the store's SQL."""
