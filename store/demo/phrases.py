"""Phrase templates for the demo book: interaction topics and summaries, comments, reasons."""

from __future__ import annotations

# -- interactions ------------------------------------------------------------------------------

TOPICS_BY_PHASE = {
    "acquisition": (
        "pricing tiers", "the security questionnaire", "a competitor comparison",
        "the trial workspace", "integration with Salesforce", "data residency",
        "a proof of concept", "the implementation timeline", "volume discounts",
    ),
    "engagement": (
        "SSO setup", "the data import", "admin training", "inviting the wider team",
        "the first dashboard", "API keys and webhooks", "the Slack integration",
        "custom fields", "workflow automation", "user permissions", "the mobile app",
    ),
    "retention": (
        "the renewal timeline", "budget for next year", "usage across departments",
        "the product roadmap", "adding seats", "the Pro plan features", "a price increase",
        "reporting needs", "an executive sponsor change", "a case study",
    ),
}
SUMMARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "default": {
        "positive": (
            "{kind} with {who} about {topic}: going well, team is happy",
            "{who} pleased with {topic}; wants to share results internally",
            "{kind} on {topic}: quick win, {who} thanked the team",
            "Good {kind_lower} with {who}; {topic} sorted and usage growing",
        ),
        "neutral": (
            "{kind} with {who} about {topic}",
            "Walked {who} through {topic}; next steps agreed",
            "{who} asked about {topic}; sent documentation",
            "{kind} with {who}: covered {topic}",
        ),
        "negative": (
            "{who} frustrated with {topic}; escalated internally",
            "{kind} with {who}: blocked on {topic}, risk flagged",
            "Complaint from {who} about {topic}; promised a fix date",
            "{who} questioning the value; {topic} not working for them",
        ),
    },
    "note": {
        "positive": ("{who} is a strong champion; keen on {topic}",
                     "Usage up after {topic}; good moment to ask for a review"),
        "neutral": ("Prep for the next call: {topic}", "{who} on holiday; revisit {topic} later"),
        "negative": ("Risk: {who} unhappy about {topic}", "No reply from {who} about {topic}"),
    },
    "ticket": {
        "positive": ("Ticket on {topic} solved within the hour",
                     "{who} reported a glitch in {topic}; fixed same day"),
        "neutral": ("Ticket: question from {who} about {topic}",
                    "Ticket: {who} needs help with {topic}"),
        "negative": ("Ticket: {topic} broken for {who}'s team; reopened twice",
                     "Urgent ticket: {topic} failing, {who} waiting on engineering"),
    },
}
"""Interaction summaries by kind group and sentiment ({who}, {topic}, {kind} are filled in)."""
KIND_LABELS = {
    "call": "Call", "email": "Email", "meeting": "Meeting", "note": "Note", "ticket": "Ticket",
    "training": "Training", "qbr": "QBR", "demo": "Demo", "chat": "Chat",
}
STANDALONE_TASKS = (
    "Prepare renewal proposal", "Send QBR deck", "Review usage drop with champion",
    "Check onboarding progress", "Ask for a case study", "Confirm executive sponsor",
    "Share roadmap update", "Schedule admin training",
)

# -- surveys -----------------------------------------------------------------------------------

NPS_COMMENTS = {
    "promoter": (
        "Saves my team hours every week.", "Support is fast and friendly.",
        "Easy to roll out to new hires.", "The reporting alone is worth it.",
        "Best tool we adopted this year.",
    ),
    "passive": (
        "Good, but the UI could be faster.", "Does the job; pricing is a bit high.",
        "Would like more integrations.", "Solid, some features are hard to find.",
    ),
    "detractor": (
        "Too many bugs since the last release.", "Support takes days to answer.",
        "Hard to get the team to use it.", "Too expensive for what we use.",
        "Missing the integrations we need.",
    ),
}
CSAT_COMMENTS = {
    "good": ("Solved quickly, thanks!", "Clear answer.", "Very helpful agent."),
    "bad": ("Took too long.", "Still not fixed.", "Had to explain it three times."),
}

# -- stage moves -------------------------------------------------------------------------------

FORWARD_REASONS = {
    "awareness": ("Inbound: downloaded a guide", "Signed up for the newsletter",
                  "Visited the pricing page", "Met us at an event"),
    "acquisition": ("Inbound lead from the website", "Referred by a customer",
                    "Outbound sequence replied"),
    "consideration": ("Requested a demo", "Started a free trial", "Compared us with a competitor"),
    "conversion": ("Started a free trial", "Requested a quote"),
    "qualification": ("Budget and timeline confirmed", "Discovery call done"),
    "evaluation": ("Proof of concept started", "Security review in progress"),
    "purchase": ("Contract signed", "Order form signed", "Converted from trial"),
    "activation": ("Kickoff call held", "Admin set up; first users invited"),
    "onboarding": ("Kickoff call held", "Workspace configured; training booked"),
    "adoption": ("Weekly active use across the team", "Core workflows live"),
    "retention": ("Onboarding complete; steady usage", "Handed over to account management"),
    "renewal": ("Contract renewed", "Renewal signed for another year"),
    "expansion": ("Upgraded plan", "Added seats for a new team", "Bought an add-on"),
    "referral": ("Referred a peer company", "Agreed to be a reference"),
    "loyalty": ("Joined the advocate programme", "Published a case study"),
}
"""Why an account moved forward into a stage, by stage key; unknown keys get a generic reason."""

BACKWARD_REASONS = {
    "acquisition": ("Deal stalled; revisit next quarter", "Went quiet after the demo",
                    "Budget frozen until next quarter"),
    "engagement": ("Re-onboarding after a product change", "Champion left; restarting adoption",
                   "New admin needs training", "Usage dropped; back to basics"),
    "retention": ("Downgraded; expansion paused", "Seats reduced after a reorg",
                  "Renewal at risk; back to retention work"),
}
"""Why an account moved back to an earlier stage, by the phase of the stage it moved to."""

CHURN_REASONS = (
    "Budget cuts", "Moved to a competitor", "Company acquired", "Never reached value",
    "Price increase", "Went out of business", "Champion left", "Built it in-house",
)
REACTIVATION_REASONS = (
    "Won back after trying a competitor", "New budget approved; re-signed",
    "Returned with a new team", "Re-signed after the v3 launch",
)
