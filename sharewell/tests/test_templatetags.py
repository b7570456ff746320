"""Headline amounts in three figures at most, so they fit their boxes."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharewell.templatetags.sharewell import compact_pounds

SCALES = {"": 1, "k": 10**3, "m": 10**6, "bn": 10**9, "tn": 10**12}
SHAPE = re.compile(r"^(?P<sign>−?)£(?P<figures>\d+(?:\.\d+)?)(?P<scale>k|m|bn|tn)?$")


@pytest.mark.parametrize(
    "value, expected",
    [
        (56_521_000, "£56.5m"),
        (1_340_000_000, "£1.34bn"),
        (734_000, "£734k"),
        (950, "£950"),
        (0, "£0"),
        (-1_200_000, "−£1.2m"),
        (None, ""),
        (5_000_000, "£5m"),
        (100_000, "£100k"),
        (1_000, "£1k"),
        (1_500, "£1.5k"),
        (999, "£999"),
        (999_950, "£1m"),  # rounds up into the next scale
        (999_499, "£999k"),
        (56_550_000, "£56.6m"),  # half up, as people round money
        (2_500_000_000_000, "£2.5tn"),
        (Decimal("734000.40"), "£734k"),
        (12.6, "£13"),
        (-0.4, "£0"),  # nothing to be negative about
        ("", ""),
        ("not a number", ""),
        (float("nan"), ""),
    ],
)
def test_compact_pounds(value, expected):
    assert compact_pounds(value) == expected


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_compact_pounds_fits_a_box_and_stays_within_half_a_percent(value):
    shown = compact_pounds(value)
    match = SHAPE.match(shown)
    assert match, shown
    assert len(shown) <= (8 if value < 0 else 7)  # the minus sign is the eighth
    figures = match["figures"]
    assert len(Decimal(figures).normalize().as_tuple().digits) <= 3  # significant figures
    assert not ("." in figures and figures.endswith("0"))  # "£5m", never "£5.0m"
    amount = Decimal(figures) * SCALES[match["scale"] or ""] * (-1 if match["sign"] else 1)
    assert abs(amount - value) <= max(abs(value) * Decimal("0.005"), Decimal("0.5"))


def test_templates_load_the_filter():
    from django.template import Context, Template

    rendered = Template("{% load sharewell %}{{ amount|compact_pounds }}").render(Context({"amount": -56_521_000}))
    assert rendered == "−£56.5m"
