"""Declarations of the service taxonomy over the importer core."""

from reference.core import Context, Declaration
from reference.files import read_csv
from services.categories import CATEGORIES, TIER_BY_LGSL, categorise
from services.models import Service, ServiceCategory, ServiceTier

LGSL = "services/lgsl_services.csv"
TIERS = "services/govuk_local_services_tiers.csv"
TIER_BY_TEXT = {"county/unitary": ServiceTier.COUNTY, "district/unitary": ServiceTier.DISTRICT, "all": ServiceTier.ALL}


def category_rows(context: Context):
    for order, category in enumerate(CATEGORIES):
        yield {"key": category.key, "label": category.label, "family": category.family, "sort_order": order}


def service_rows(context: Context):
    categories = dict(ServiceCategory.objects.values_list("key", "id"))
    tiers = {int(row["LGSL"]): TIER_BY_TEXT.get(row["Providing Tier"].strip(), "") for row in read_csv(context, TIERS)}
    for row in read_csv(context, LGSL):
        if row["Status"] != "Live":
            continue
        lgsl = int(row["Identifier"])
        yield {
            "lgsl": lgsl,
            "label": row["Label"].strip(),
            "description": row["Description"].strip(),
            "category_id": categories[categorise(row["Label"], row["History notes"], lgsl)],
            "tier": tiers.get(lgsl) or TIER_BY_LGSL.get(lgsl, ""),
        }


DECLARATIONS = [
    Declaration(
        name="Service categories",
        model=ServiceCategory,
        key=("key",),
        rows=category_rows,
        source="services/categories.py",
        licence="Sharewell",
    ),
    Declaration(
        name="Local Government Service List",
        model=Service,
        key=("lgsl",),
        rows=service_rows,
        source=f"{LGSL}; tiers from {TIERS}",
        licence="OGL v3, credit LG Inform Plus",
    ),
]
