"""Word lists and phrase templates for the demo book: companies, people, notes and reasons."""

from __future__ import annotations

# -- companies ---------------------------------------------------------------------------------

COMPANY_FIRST = (
    "Acme", "Alder", "Alpine", "Amber", "Anchor", "Apex", "Arbor", "Arc", "Arrow", "Aspen",
    "Atlas", "Aurora", "Azure", "Badger", "Bay", "Beacon", "Bear", "Birch", "Bison", "Black",
    "Blue", "Bold", "Boulder", "Bramble", "Brass", "Bright", "Brook", "Canyon", "Cardinal",
    "Cascade", "Cedar", "Channel", "Cinder", "Citrus", "Clear", "Cliff", "Cloud", "Clover",
    "Cobalt", "Comet", "Copper", "Coral", "Cove", "Crane", "Crest", "Crimson", "Crystal",
    "Cypress", "Dawn", "Delta", "Desert", "Dove", "Drift", "Eagle", "East", "Echo", "Elm",
    "Ember", "Emerald", "Falcon", "Fern", "Field", "Fir", "Flint", "Forest", "Fox", "Frost",
    "Garnet", "Glacier", "Gold", "Granite", "Green", "Grove", "Harbor", "Hawk", "Hazel",
    "Heron", "Hickory", "High", "Hill", "Horizon", "Indigo", "Iris", "Iron", "Ivory", "Jade",
    "Juniper", "Kestrel", "Keystone", "Lake", "Lantern", "Larch", "Lark", "Laurel", "Ledger",
    "Lime", "Linden", "Lotus", "Lumen", "Lynx", "Maple", "Marble", "Marigold", "Meadow",
    "Mesa", "Meridian", "Mint", "Mist", "Moss", "North", "Nova", "Oak", "Ocean", "Olive",
    "Onyx", "Opal", "Orbit", "Orchid", "Osprey", "Otter", "Pacific", "Palm", "Pearl",
    "Pebble", "Pine", "Pioneer", "Plum", "Polar", "Prairie", "Prism", "Pulse", "Quartz",
    "Quill", "Rain", "Raven", "Red", "Reed", "Ridge", "River", "Robin", "Rock", "Rose",
    "Ruby", "Sage", "Salt", "Sand", "Sapphire", "Scarlet", "Sequoia", "Shore", "Silver",
    "Sky", "Slate", "Snow", "Solar", "Sparrow", "Spruce", "Star", "Stone", "Storm",
    "Summit", "Sun", "Swift", "Teal", "Thistle", "Thunder", "Tide", "Timber", "Topaz",
    "True", "Tundra", "Twin", "Valley", "Vector", "Velvet", "Vista", "Walnut", "West",
    "Willow", "Wind", "Wolf", "Yarrow", "Zenith", "Zephyr",
)
"""The first word of a company name."""

COMPANY_SECOND = (
    "Anvil", "Base", "Bell", "Bench", "Bloom", "Board", "Bolt", "Bound", "Box",
    "Bridge", "Cart", "Cast", "Chain", "Chart", "Circle", "Code", "Compass", "Core", "Craft",
    "Crate", "Cube", "Dash", "Data", "Deck", "Desk", "Dock", "Dot", "Edge", "Engine",
    "Flow", "Foil", "Folio", "Forge", "Form", "Frame", "Gate", "Gear", "Glass",
    "Graph", "Grid", "Hall", "Haven", "Hive", "Hub", "Key", "Kit", "Lane", "Layer", "Leaf",
    "Light", "Line", "Link", "Loft", "Logic", "Loop", "Made", "Mark", "Mill", "Mind",
    "Nest", "Net", "Note", "Path", "Pay", "Peak", "Pixel", "Plane", "Point", "Port",
    "Post", "Press", "Print", "Quest", "Rail", "Reach", "Road", "Root", "Route", "Sail",
    "Scale", "Scope", "Script", "Shift", "Sight", "Signal", "Smith", "Soft", "Source",
    "Space", "Spark", "Sphere", "Spring", "Stack", "Station", "Stream", "Street", "Studio",
    "Sync", "Table", "Tech", "Thread", "Tower", "Track", "Trail", "Tree", "Trust", "Vale",
    "Vault", "View", "Ware", "Wave", "Way", "Well", "Wing", "Wire", "Works", "Yard",
)
"""The second word of a company name (joined to the first: "Cedar" + "Path" -> "CedarPath")."""

COMPANY_SUFFIX = (
    "Labs", "Group", "Systems", "Health", "Logistics", "Analytics", "Partners", "Software",
    "Solutions", "Inc.", "Co.", "Holdings", "Cloud", "AI", "Digital", "Networks", "Foods",
    "Energy", "Capital", "Media", "Robotics", "Bio", "Retail", "Security", "Learning",
    "Travel", "Legal", "Insurance",
)
"""A third word for names beyond the plain two-word ones ("CedarPath Labs")."""

DOMAIN_ENDINGS = (".com", ".com", ".com", ".com", ".io", ".co", ".net", ".ai")

# -- people ------------------------------------------------------------------------------------

FIRST_NAMES = (
    "Aaron", "Abigail", "Adam", "Adrian", "Aisha", "Alex", "Alice", "Amara", "Amir", "Ana",
    "Andrea", "Anna", "Arjun", "Ben", "Bianca", "Carlos", "Carmen", "Chen", "Chloe", "Chris",
    "Claire", "Daniel", "Dana", "David", "Diego", "Elena", "Eli", "Emma", "Eric", "Esther",
    "Fatima", "Felix", "Fiona", "Gabriel", "Grace", "Hannah", "Hassan", "Helen", "Hiro",
    "Ian", "Ines", "Isaac", "Ivy", "Jack", "James", "Jana", "Javier", "Jin", "Joao",
    "Jordan", "Julia", "Kai", "Karen", "Kenji", "Kevin", "Laila", "Lars", "Laura", "Leo",
    "Lina", "Lucas", "Lucy", "Maya", "Mei", "Marco", "Maria", "Mark", "Marta", "Mateo",
    "Michael", "Mila", "Nadia", "Nina", "Noah", "Olga", "Omar", "Oscar", "Paul", "Priya",
    "Rachel", "Rafael", "Ravi", "Rosa", "Ruth", "Sam", "Sara", "Sean", "Sofia", "Sven",
    "Tara", "Theo", "Tom", "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zoe",
)
LAST_NAMES = (
    "Adams", "Ahmed", "Alvarez", "Andersen", "Baker", "Banerjee", "Becker", "Bianchi",
    "Brooks", "Brown", "Campbell", "Chen", "Clark", "Cohen", "Costa", "Cruz", "Davies",
    "Diaz", "Dubois", "Edwards", "Evans", "Fischer", "Fernandes", "Garcia", "Gomez", "Green",
    "Gupta", "Hall", "Hansen", "Harris", "Hughes", "Ito", "Jansen", "Johnson", "Jones",
    "Kaur", "Kim", "Klein", "Kowalski", "Kumar", "Larsen", "Lee", "Lewis", "Lopez",
    "Martin", "Meyer", "Mendes", "Miller", "Moore", "Morales", "Murphy", "Nakamura", "Nguyen",
    "Novak", "Okafor", "Olsen", "Park", "Patel", "Perez", "Petrov", "Quinn", "Reyes",
    "Richter", "Rossi", "Russo", "Sato", "Schmidt", "Shah", "Silva", "Singh", "Smith",
    "Sousa", "Tanaka", "Taylor", "Thomas", "Torres", "Walker", "Wang", "Weber", "White",
    "Williams", "Wilson", "Wright", "Yamamoto", "Young", "Zhang",
)
CONTACT_ROLES = (
    "Head of Operations", "VP Customer Experience", "IT Administrator", "Finance Manager",
    "Product Manager", "Team Lead", "CTO", "COO", "Procurement", "Support Manager",
    "Data Analyst", "Marketing Director", "Engineering Manager", "Office Manager",
)
PRIMARY_ROLES = (
    "Head of Operations", "VP Customer Experience", "Product Manager", "COO", "Team Lead",
)
"""Roles a primary contact (the champion) usually has."""

OWNERS = (
    "Maya Chen", "Jonas Weber", "Priya Natarajan", "Lucas Moreau",
    "Aisha Okafor", "Tom Becker", "Sofia Rossi", "Daniel Kim",
)
"""The customer-success managers who own the book, SMB owners first, enterprise last."""

OWNERS_BY_SEGMENT = {
    "SMB": OWNERS[:4],
    "Mid-Market": OWNERS[3:7],
    "Enterprise": OWNERS[6:],
}

# -- accounts ----------------------------------------------------------------------------------

TAGS = (
    "strategic", "reference", "beta", "multi-product", "eu-data", "security-review",
    "migration", "partner", "high-touch", "upsell", "champion-left", "at-risk",
)
HEALTHY_TAGS = ("strategic", "reference", "beta", "upsell")
UNHEALTHY_TAGS = ("at-risk", "champion-left", "security-review")

PLANS_BY_SEGMENT = {
    "SMB": ("Starter", "Starter", "Starter", "Growth"),
    "Mid-Market": ("Growth", "Pro", "Pro"),
    "Enterprise": ("Pro", "Enterprise", "Enterprise", "Enterprise"),
}
PLAN_LADDER = ("Starter", "Growth", "Pro", "Enterprise")
ADD_ONS = (
    "Add-on: Analytics", "Add-on: SSO & Audit", "Add-on: API Pack", "Add-on: Premium Support",
)

# -- acquisition -------------------------------------------------------------------------------

CHANNELS = ("organic", "paid_search", "referral", "outbound", "partner", "event")
SOURCES_BY_CHANNEL = {
    "organic": ("google", "blog", "linkedin", "g2 reviews", "youtube", "newsletter"),
    "paid_search": ("google ads", "bing ads", "capterra ads"),
    "referral": ("customer referral", "employee referral", "advocate programme"),
    "outbound": ("sdr email", "sdr call", "linkedin outreach"),
    "partner": ("Northbeam Consulting", "Keystone Resellers", "Atlas Integrators"),
    "event": ("SaaStr Annual", "CS Summit", "local meetup", "webinar"),
}
CAMPAIGN_CHANNELS = {"paid_search": "search", "event": "event", "outbound": "abm"}
"""Channels whose leads carry a campaign name, and the word the campaign names start with."""

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
SUMMARIES = {
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
