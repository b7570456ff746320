"""The indicator declarations run on the real data/ files, after the organisations.

The load takes a few seconds, so it runs once for this module inside a transaction
that is rolled back at the end; each test reads what it left.
"""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from indicators.importers import CENSUS_SHARES, DECLARATIONS, ONS_INDICATORS
from indicators.models import Indicator, IndicatorValue
from organisations.importers import DECLARATIONS as ORGANISATIONS
from organisations.models import Organisation
from reference.core import Context, run

pytestmark = pytest.mark.django_db

DATA = Path(settings.REFERENCE_DATA_DIR)
CENSUS_KEYS = [s.key for s in CENSUS_SHARES]
CUMBERLAND_2021 = {"E07000026": "Allerdale", "E07000028": "Carlisle", "E07000029": "Copeland"}


@pytest.fixture(scope="module")
def load(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        run(ORGANISATIONS, Context(data_dir=DATA, verbose=False))
        first = run(DECLARATIONS, Context(data_dir=DATA, verbose=False))
        second = run(DECLARATIONS, Context(data_dir=DATA, verbose=False))
        yield {"first": first, "second": second}
        transaction.set_rollback(True)


def values_of(code: str) -> dict[str, IndicatorValue]:
    return {v.indicator.key: v for v in IndicatorValue.objects.for_organisation(Organisation.objects.get(code=code))}


def census_rows(table: str) -> dict[str, dict[str, str]]:
    with open(DATA / f"indicators/census2021/census2021-{table}-ltla.csv", encoding="utf-8-sig") as handle:
        return {row["geography code"]: row for row in csv.DictReader(handle)}


def summed_share(table: str, codes, numerator: list[str], denominator: str) -> float:
    rows = census_rows(table)
    part = sum(int(rows[code][column]) for code in codes for column in numerator)
    whole = sum(int(rows[code][denominator]) for code in codes)
    return 100 * part / whole


def test_every_declaration_loads_and_a_second_run_changes_nothing(load):
    for result in load["first"]:
        assert result.created > 0, result.line()
    for result in load["second"]:
        assert (result.created, result.updated, result.removed) == (0, 0, 0), result.line()
        assert result.unchanged > 0, result.line()


def test_every_value_has_a_period_a_source_and_a_current_council(load):
    assert IndicatorValue.objects.count() > 10_000
    assert not IndicatorValue.objects.filter(period="").exists()
    assert not Indicator.objects.filter(source="").exists()
    assert not Indicator.objects.filter(licence="").exists()
    councils = Organisation.objects.current().principal_councils()
    assert not IndicatorValue.objects.exclude(organisation__in=councils).exists()
    # Former councils (merged away in 2023) keep no figures of their own.
    assert not IndicatorValue.objects.filter(organisation__code__in=["ALL", "CAR", "COP", "NYK"]).exists()


def test_definitions_carry_units_and_sources_from_the_metadata(load):
    pay = Indicator.objects.get(key="median-weekly-pay")
    assert (pay.unit, pay.decimal_places, pay.group) == ("£", 0, "economy")
    assert pay.source_url.startswith("https://www.ons.gov.uk/")
    assert "Office for National Statistics" in pay.source
    assert Indicator.objects.get(key="employment-rate").label == "Employment rate"  # "(Great Britain)" dropped
    assert Indicator.objects.get(key="greenhouse-gas-per-person").unit == "t CO₂e per person"
    assert Indicator.objects.get(key="high-deprivation").licence == "CC BY 4.0"
    assert Indicator.objects.filter(key__in=[s.key for s in ONS_INDICATORS], licence="OGL v3").count() == len(
        ONS_INDICATORS
    )


def test_cumberland_census_values_are_its_2021_districts_added_up(load):
    values = values_of("CBD")
    expected = summed_share(
        "ts045",
        CUMBERLAND_2021,
        ["Number of cars or vans: No cars or vans in household"],
        "Number of cars or vans: Total: All households",
    )
    assert values["households-without-a-car"].value == pytest.approx(expected)
    ages = [f"Age: Aged {band} years" for band in ("65 to 69", "70 to 74", "75 to 79", "80 to 84")]
    expected = summed_share("ts007a", CUMBERLAND_2021, [*ages, "Age: Aged 85 years and over"], "Age: Total")
    assert values["aged-65-and-over"].value == pytest.approx(expected)
    for key in CENSUS_KEYS:
        assert values[key].period == "2021 (Census)"
        assert values[key].note == "rolled up from 2021 districts: Allerdale, Carlisle, Copeland"


def test_a_council_unchanged_since_2021_takes_its_census_figure_as_it_is(load):
    value = values_of("HPL")["households-without-a-car"]
    assert value.value == pytest.approx(100 * 12102 / 40930)
    assert value.note == ""


def test_a_county_sums_its_districts(load):
    cambridgeshire = Organisation.objects.get(code="CAM")
    districts = list(cambridgeshire.districts.current())
    assert len(districts) == 5
    expected = summed_share(
        "ts054",
        [d.gss_code for d in districts],
        ["Tenure of household: Social rented"],
        "Tenure of household: Total: All households",
    )
    value = values_of("CAM")["social-renters"]
    assert value.value == pytest.approx(expected)
    assert value.note.startswith("sum of its districts: Cambridge, East Cambridgeshire")


def test_councils_outside_england_and_wales_have_no_census_rows_not_zeros(load):
    for code in ("GLG", "BFS"):
        values = values_of(code)
        assert "deprivation-score" in values  # loaded, just not from the census
        assert not set(CENSUS_KEYS) & set(values)
    assert not IndicatorValue.objects.filter(organisation__code="BFS", indicator__key="net-additional-dwellings")
    assert "aged-under-15" in values_of("CRF")  # Wales is in the census


def test_ons_values_take_each_councils_latest_period(load):
    cardiff = values_of("CRF")["claimant-count"]
    with open(DATA / "indicators/ons/claimant-count.csv", encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["areacd"] == "W06000015" and r["observation"]]
    latest = max(rows, key=lambda r: r["period"])
    assert cardiff.value == pytest.approx(float(latest["observation"]))
    assert cardiff.period == latest["period"][:4]
    assert values_of("CBD")["child-poverty-before-housing-costs"].period == "2024/25"
    assert values_of("CAM")["healthy-life-expectancy-female"].period == "2022 to 2024"


def test_ons_figures_are_not_passed_down_or_borrowed_from_merged_areas(load):
    # Healthy life expectancy is published for counties and unitaries, not districts.
    assert "healthy-life-expectancy-female" in values_of("CAM")
    assert "healthy-life-expectancy-female" not in values_of("CAB")
    # The latest one-year survival rate (businesses born in 2022) exists only for the old
    # Cumbrian districts; Cumberland does not borrow theirs.
    assert "business-one-year-survival" not in values_of("CBD")


def test_barnsleys_new_code_and_old_code_give_one_value(load):
    values = values_of("BNS")
    assert values["greenhouse-gas-per-person"].value == pytest.approx(4.65)
    assert values["greenhouse-gas-per-person"].period == "2023"
