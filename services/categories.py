"""The short list of service categories, and how LGSL services fall into them. Pure Python.

Back-office functions (finance, HR, ICT, legal, procurement, audit) are what councils
share most, but the LGSL lists services to the public: those categories have few or no
LGSL entries, so an arrangement can name a category directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    family: str
    # Words in an LGSL service's current or former names that place it here.
    keywords: tuple[str, ...] = ()


CATEGORIES: tuple[Category, ...] = (
    Category(
        "finance",
        "Finance",
        "Corporate and back office",
        ("accounts", "budget", "statement of accounts", "treasury", "pension"),
    ),
    Category("hr", "Human resources", "Corporate and back office", ("jobs", "employment with the council", "staff")),
    Category(
        "ict",
        "ICT and digital",
        "Corporate and back office",
        ("website", "digital", "data protection", "freedom of information", "information governance"),
    ),
    Category("legal", "Legal services", "Corporate and back office", ("legal", "land charges")),
    Category("procurement", "Procurement", "Corporate and back office", ("procurement", "tender", "contracts")),
    Category(
        "revenues-benefits",
        "Revenues and benefits",
        "Corporate and back office",
        ("council tax", "business rate", "benefit", "discretionary housing payment"),
    ),
    Category("audit", "Audit and assurance", "Corporate and back office", ("audit", "fraud")),
    Category("management", "Management teams", "Corporate and back office", ("chief executive", "senior management")),
    # For arrangements that share several back-office services at once, as many do.
    Category("back-office", "Back office (several services)", "Corporate and back office"),
    Category(
        "building-control",
        "Building control",
        "Regulatory",
        ("building control", "building regulation", "dangerous structure"),
    ),
    Category(
        "environmental-health",
        "Environmental health",
        "Regulatory",
        (
            "environmental health",
            "pest",
            "noise",
            "pollution",
            "food safety",
            "food hygiene",
            "air quality",
            "contaminated land",
            "health and safety",
        ),
    ),
    Category(
        "trading-standards",
        "Trading standards",
        "Regulatory",
        ("trading standards", "consumer", "weights and measures", "scams"),
    ),
    Category("licensing", "Licensing", "Regulatory", ("licence", "licensing", "permit", "registration")),
    Category(
        "planning",
        "Planning",
        "Regulatory",
        ("planning", "development control", "conservation area", "listed building", "tree preservation"),
    ),
    Category(
        "environment-waste",
        "Environment and waste",
        "Environment",
        (
            "waste",
            "bin",
            "recycling",
            "refuse",
            "litter",
            "fly-tipping",
            "fly tipping",
            "street cleaning",
            "graffiti",
            "allotment",
            "park",
            "green space",
            "cemeter",
            "burial",
            "cremation",
        ),
    ),
    Category(
        "transport-highways",
        "Transport and highways",
        "Transport",
        (
            "road",
            "highway",
            "parking",
            "street light",
            "traffic",
            "bus",
            "transport",
            "pavement",
            "cycle",
            "footpath",
            "rights of way",
            "vehicle",
        ),
    ),
    Category(
        "social-care-health",
        "Social care and health",
        "People",
        (
            "care",
            "adult",
            "disab",
            "older people",
            "carer",
            "health",
            "safeguarding",
            "fostering",
            "adoption",
            "children's services",
            "social services",
            "mental",
            "drug",
            "alcohol",
            "youth offending",
        ),
    ),
    Category(
        "education",
        "Education and schools",
        "People",
        ("school", "education", "pupil", "nursery", "early years", "student", "college"),
    ),
    Category("housing", "Housing", "People", ("housing", "homeless", "tenan", "landlord", "rent")),
    Category(
        "culture-leisure",
        "Culture and leisure",
        "Place",
        ("library", "libraries", "museum", "leisure", "sport", "arts", "theatre", "tourism", "heritage", "events"),
    ),
    Category(
        "emergency-resilience",
        "Emergency and resilience",
        "Place",
        (
            "emergency",
            "flood",
            "resilience",
            "civil contingenc",
            "fire",
            "rescue",
            "arson",
            "community safety",
            "crime",
            "anti-social",
        ),
    ),
    Category("other", "Other services", "Other"),
)
CATEGORY_BY_KEY = {c.key: c for c in CATEGORIES}

_FORMER_NAMES = re.compile(r"(?:from|to) '([^']+)'")


def _matches(category: Category, text: str) -> bool:
    # Keywords match at the start of a word: "rent" is not in "parents".
    return any(re.search(r"\b" + re.escape(keyword), text) for keyword in category.keywords)


# Services the keywords place wrongly, checked against the shipped tier list: a
# district-tier grant is housing, not social care; a school grant is education, not
# revenues and benefits. By LGSL identifier.
CATEGORY_BY_LGSL = {
    2: "education",  # School clothing grants/vouchers
    4: "education",  # Free school meals
    48: "education",  # Child performance licences
    137: "housing",  # Disabled facilities grant
    147: "housing",  # Assisted garden maintenance
    272: "other",  # Community and accessible transport (districts run it; not highways)
    274: "transport-highways",  # Disabled parking bays
    279: "transport-highways",  # Disabled parking permits
    372: "environment-waste",  # Abandoned vehicles
    493: "transport-highways",  # Transport policy
    510: "environment-waste",  # Allotments
    541: "planning",  # Street name plates (street naming and numbering)
    664: "environment-waste",  # Drainage (land drainage)
}

# Tiers the shipped GOV.UK list does not record but the law settles: county councils
# are the waste disposal authorities (Environmental Protection Act 1990, s.30 and s.51)
# and the mineral and waste planning authorities (Town and Country Planning Act 1990, s.1).
TIER_BY_LGSL = {
    531: "county",  # Household waste disposal sites
    674: "county",  # Minerals local plan
}

# Categories whose tier is not the one its recorded services give: libraries are the only
# culture service on the tier list (county), but leisure centres, museums and the arts are
# run by district councils too (Local Government (Miscellaneous Provisions) Act 1976,
# s.19): the category offers both tiers.
CATEGORY_TIER_OVERRIDES = {"culture-leisure": "both"}

# Back-office categories (and emergency and resilience) that fire, police and NHS bodies
# share with councils; NHS bodies also social care and health.
OTHER_SECTORS_BY_CATEGORY = {
    **{
        key: ("fire", "police", "health")
        for key in ("finance", "hr", "ict", "legal", "procurement", "audit", "back-office", "management")
    },
    "emergency-resilience": ("fire", "police", "health"),
    "social-care-health": ("health",),
}


def category_tier(tiers) -> str:
    """A category's tier from its services' tiers: "county" or "district" when that tier
    delivers all of them, "both" when they are split between the tiers, "all" when none
    is tier-specific ("all" and unrecorded services go with either tier)."""
    found = {t for t in tiers if t in ("county", "district")}
    if found == {"county"}:
        return "county"
    if found == {"district"}:
        return "district"
    return "both" if found else "all"


def category_tiers(services) -> dict[str, str]:
    """{category key: tier} from (category key, service tier) pairs, overrides applied."""
    by_category: dict[str, list[str]] = {c.key: [] for c in CATEGORIES}
    for key, tier in services:
        by_category.setdefault(key, []).append(tier)
    return {key: CATEGORY_TIER_OVERRIDES.get(key) or category_tier(tiers) for key, tiers in by_category.items()}


def categorise(label: str, history_notes: str = "", lgsl: int | None = None) -> str:
    """The category key for an LGSL service, from its name and its former names.

    Earlier LGSL versions named services "Planning - conservation areas": those former
    names, kept in the history notes, say more than the current short label. The
    categories are tried in their listed order, most specific first. CATEGORY_BY_LGSL
    corrects the few the words place wrongly.
    """
    if lgsl in CATEGORY_BY_LGSL:
        return CATEGORY_BY_LGSL[lgsl]
    text = " | ".join([label, *_FORMER_NAMES.findall(history_notes or "")]).lower()
    for category in CATEGORIES:
        if _matches(category, text):
            return category.key
    return "other"


# Everyday words for categories, as people write them in spreadsheets.
CATEGORY_SYNONYMS = {
    "it": "ict",
    "ict": "ict",
    "digital": "ict",
    "human resources": "hr",
    "hr": "hr",
    "personnel": "hr",
    "payroll": "hr",
    "legal": "legal",
    "law": "legal",
    "waste": "environment-waste",
    "environment": "environment-waste",
    "revenues": "revenues-benefits",
    "benefits": "revenues-benefits",
    "revenues and benefits": "revenues-benefits",
    "public health": "social-care-health",
    "social care": "social-care-health",
    "health": "social-care-health",
    "fire and rescue": "emergency-resilience",
    "emergency planning": "emergency-resilience",
    "highways": "transport-highways",
    "transport": "transport-highways",
    "leisure": "culture-leisure",
    "libraries": "culture-leisure",
    "management team": "management",
    "shared management": "management",
    "chief executive": "management",
    "internal audit": "audit",
    "finance": "finance",
    "accountancy": "finance",
    "back office": "back-office",
    "corporate services": "back-office",
}
