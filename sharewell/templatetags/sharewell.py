from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def indicator_value(value: float, indicator) -> str:
    """A value with its indicator's precision and unit: '12.3%', '£31,200', '4.1 t'."""
    places = indicator.decimal_places
    number = intcomma(f"{value:.{places}f}")
    unit = indicator.unit
    if unit == "%":
        return f"{number}%"
    if unit == "£":
        return f"£{number}"
    return f"{number} {unit}".strip()
