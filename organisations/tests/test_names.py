"""Name normalisation, tested without a database."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from organisations.names import COUNTY_ABBREVIATIONS, core_name, normalise_name


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Cambridgeshire County Council", "cambridgeshire county council"),
        ("  CAMBRIDGESHIRE   county\tcouncil ", "cambridgeshire county council"),
        ("Cambs CC", "cambridgeshire cc"),
        ("St. Helens M.B.C.", "st helens mbc"),
        ("Brighton & Hove", "brighton and hove"),
        ("King's Lynn and West Norfolk", "kings lynn and west norfolk"),
        ("Comhairle nan Eilean Siar", "comhairle nan eilean siar"),
        ("Ynys Môn", "ynys mon"),
        ("Rhondda Cynon Taf / Rhondda Cynon Taff", "rhondda cynon taf rhondda cynon taff"),
        ("Stockton-on-Tees", "stockton on tees"),
        ("Herts", "hertfordshire"),
        ("", ""),
        ("...", ""),
    ],
)
def test_normalise_name(name, expected):
    assert normalise_name(name) == expected


def test_normalise_name_of_none_is_empty():
    assert normalise_name(None) == ""


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Cambridgeshire County Council", "cambridgeshire"),
        ("Cambs CC", "cambridgeshire"),
        ("St. Helens M.B.C.", "st helens"),
        ("London Borough of Camden", "camden"),
        ("Royal Borough of Greenwich", "greenwich"),
        ("Cardiff Council", "cardiff"),
        ("City of Cardiff Council", "cardiff"),
        ("Swansea CC", "swansea"),
        ("Leeds City Council", "leeds"),
        ("Wirral Metropolitan Borough Council", "wirral"),
        ("Vale of Glamorgan Council", "vale of glamorgan"),
        ("Bridgend County Borough Council", "bridgend"),
        ("Northtown", "northtown"),
    ],
)
def test_core_name_is_the_place(name, expected):
    assert core_name(name) == expected


def test_county_short_forms_are_expanded_only_as_whole_words():
    assert normalise_name("Lincs") == "lincolnshire"
    assert normalise_name("Lincsfield") == "lincsfield"


@pytest.mark.parametrize("short, full", sorted(COUNTY_ABBREVIATIONS.items()))
def test_each_county_short_form_names_its_county(short, full):
    assert core_name(f"{short.title()} CC") == core_name(f"{full.title()} County Council") == full


NORMALISED = re.compile(r"^([a-z0-9]+( [a-z0-9]+)*)?$")


@given(st.text())
def test_normalise_name_is_idempotent(text):
    once = normalise_name(text)

    assert normalise_name(once) == once


@given(st.text())
def test_normalised_names_are_lowercase_ascii_words(text):
    assert NORMALISED.match(normalise_name(text))


@given(st.text(alphabet=st.characters(codec="ascii")))
def test_case_and_punctuation_do_not_matter(text):
    assert normalise_name(text.upper()) == normalise_name(text.lower()) == normalise_name(text)


@given(st.text())
def test_core_name_is_contained_in_the_normalised_name(text):
    assert core_name(text) in normalise_name(text)
