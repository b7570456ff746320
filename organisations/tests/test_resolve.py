"""Finding the organisation people mean by a name, code or GSS code (for uploads)."""

from __future__ import annotations

import datetime as dt

import pytest

from organisations.resolve import OrganisationResolver
from organisations.tests.factories import GssCodeFactory, OrganisationFactory, OrganisationNameFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, code",
    [
        ("TST", "TST"),
        ("tst", "TST"),
        ("E10099991", "TST"),
        ("Testshire County Council", "TST"),
        ("testshire", "TST"),
        ("Testshire CC", "TST"),
        (" Northtown District Council ", "NTT"),
        ("Northtown BC", "NTT"),
        ("Southvale D.C.", "SVL"),
    ],
)
def test_resolves_names_and_codes(testshire, text, code):
    result = OrganisationResolver().resolve(text)

    assert result.organisation is not None, result.problem
    assert result.organisation.code == code
    assert result.problem == ""


def test_resolves_a_former_code_and_a_variant(testshire):
    GssCodeFactory(organisation=testshire.southvale, code="E07000998")
    OrganisationNameFactory(organisation=testshire.southvale, name="Vale of the South")
    resolver = OrganisationResolver()

    assert resolver.resolve("E07000998").organisation == testshire.southvale
    assert resolver.resolve("vale of the south").organisation == testshire.southvale


def test_an_ambiguous_name_lists_the_candidates(testshire):
    OrganisationNameFactory(organisation=testshire.northtown, name="Middleton")
    OrganisationNameFactory(organisation=testshire.southvale, name="Middleton")

    result = OrganisationResolver().resolve("Middleton")

    assert result.organisation is None
    assert [o.code for o in result.candidates] == ["NTT", "SVL"]
    assert result.problem == "“Middleton” could mean Northtown (NTT) or Southvale (SVL): use the code"


def test_an_ambiguous_name_prefers_the_one_body_that_still_exists(testshire):
    old = OrganisationFactory(code="OLT", name="Oldtown", end_date=dt.date(2023, 4, 1))
    OrganisationNameFactory(organisation=old, name="Middleton")
    OrganisationNameFactory(organisation=testshire.northtown, name="Middleton")

    assert OrganisationResolver().resolve("Middleton").organisation == testshire.northtown


def test_an_abolished_body_is_still_resolved(testshire):
    OrganisationFactory(code="OLT", name="Oldtown", end_date=dt.date(2023, 4, 1))

    assert OrganisationResolver().resolve("Oldtown").organisation.code == "OLT"


def test_no_match_suggests_close_names(testshire):
    result = OrganisationResolver().resolve("Northtwon")

    assert result.organisation is None
    assert result.suggestions == ["Northtown"]
    assert result.problem == "No organisation called “Northtwon”. Did you mean “Northtown”?"


def test_no_match_and_nothing_close(testshire):
    result = OrganisationResolver().resolve("Atlantis")

    assert result.suggestions == []
    assert result.problem == "No organisation called “Atlantis”."


def test_empty_text_resolves_to_nothing(testshire):
    assert OrganisationResolver().resolve("   ").organisation is None


def test_a_short_form_that_starts_several_names_asks_which(testshire):
    upon = OrganisationFactory(code="NUT", name="Newtown upon Tyne", official_name="Newtown upon Tyne City Council")
    OrganisationFactory(code="NUL", name="Newtown-under-Lyme", official_name="Newtown-under-Lyme Borough Council")
    OrganisationNameFactory(organisation=upon, name="Newtown")  # an old short name of one of them

    result = OrganisationResolver().resolve("Newtown")

    assert result.organisation is None
    assert [o.code for o in result.candidates] == ["NUT", "NUL"]
    assert "could mean Newtown upon Tyne (NUT) or Newtown-under-Lyme (NUL)" in result.problem
    assert OrganisationResolver().resolve("Newtown upon Tyne").organisation == upon
