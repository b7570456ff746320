"""Tier rules at category level, from the shipped files (no database)."""

import csv
from pathlib import Path

import pytest

from services.categories import CATEGORIES, TIER_BY_LGSL, categorise, category_tier, category_tiers
from services.importers import LGSL, TIER_BY_TEXT, TIERS

DATA = Path(__file__).resolve().parents[2] / "data"

# What each category offers: "county" (county and unitary councils), "district" (district
# and unitary councils), "both" (split between the tiers: both are offered, and choosing
# one service applies its tier) or "all" (no tier-specific service).
EXPECTED = {
    "finance": "all",
    "hr": "all",
    "ict": "all",
    "legal": "all",
    "procurement": "all",
    "revenues-benefits": "district",
    "audit": "all",
    "management": "all",
    "back-office": "all",
    "building-control": "district",
    "environmental-health": "district",
    "trading-standards": "all",
    "licensing": "district",
    "planning": "both",  # minerals and waste planning by counties
    "environment-waste": "both",  # collection by districts, disposal by counties
    "transport-highways": "county",
    "social-care-health": "county",
    "education": "county",
    "housing": "district",
    "culture-leisure": "both",
    "emergency-resilience": "all",
    "other": "both",
}


def _rows(name):
    with open(DATA / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def shipped():
    tiers = {int(r["LGSL"]): TIER_BY_TEXT.get(r["Providing Tier"].strip(), "") for r in _rows(TIERS)}
    services = []
    for row in _rows(LGSL):
        if row["Status"] != "Live":
            continue
        lgsl = int(row["Identifier"])
        tier = tiers.get(lgsl) or TIER_BY_LGSL.get(lgsl, "")
        services.append((categorise(row["Label"], row["History notes"], lgsl), tier, lgsl))
    return services


def test_every_category_is_checked():
    assert set(EXPECTED) == {c.key for c in CATEGORIES}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_category_tier(shipped, key):
    assert category_tiers((c, t) for c, t, _ in shipped)[key] == EXPECTED[key]


@pytest.mark.parametrize("key", [k for k, tier in EXPECTED.items() if tier in ("county", "district")])
def test_a_single_tier_category_has_no_service_of_the_other_tier(shipped, key):
    other = {"county": "district", "district": "county"}[EXPECTED[key]]
    assert not [lgsl for c, t, lgsl in shipped if c == key and t == other]


def test_waste_disposal_and_minerals_planning_are_county_services(shipped):
    tiers = {lgsl: t for _, t, lgsl in shipped}
    assert tiers[531] == tiers[674] == "county"


@pytest.mark.parametrize(
    "tiers, expected",
    [
        (["county", "all", ""], "county"),
        (["district", ""], "district"),
        (["county", "district"], "both"),
        (["all", ""], "all"),
        ([], "all"),
    ],
)
def test_category_tier_rule(tiers, expected):
    assert category_tier(tiers) == expected
