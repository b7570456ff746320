"""Figures in words for the business case pages: money, percentages, years and chances."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from appraisal.charts import money as _money

register = template.Library()
register.filter("intcomma", intcomma)


@register.filter
def money(value) -> str:
    return "none" if value is None else _money(float(value))


@register.filter
def pct(value) -> str:
    if value is None:
        return "no amount (nothing brings it to zero)"
    return f"{value:.1f}%"


@register.filter
def years(value) -> str:
    return "does not pay back within the period" if value is None else f"{value:.2f} years"


@register.filter
def delay(value) -> str:
    return "more than the period allows" if value is None else f"{value:.2f} years"


@register.filter
def chance(value) -> str:
    return f"{100 * value:.1f}%"


@register.filter
def adjustment(a) -> str:
    if a.target == "savings_delay":
        return f"{a.amount:.2f} years"
    return f"{a.amount:.1f}%"


TARGETS = {
    "one_off_costs": "One-off costs raised",
    "running_costs": "Running costs raised",
    "savings": "Savings cut",
    "savings_delay": "Savings delayed",
}


@register.filter
def target(value: str) -> str:
    return TARGETS.get(value, value)


@register.simple_tag
def business_case_link(arrangement, user) -> bool:
    """Whether the arrangement's page links to its business case: one the user may see, or may start."""
    from appraisal import writes

    case = writes.case_of(arrangement)
    return writes.can_see(user, arrangement, case) or writes.can_edit(user, arrangement)
