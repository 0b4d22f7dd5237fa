"""Word lists for the demo book: company and people names, owners, tags, plans, channels."""

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
