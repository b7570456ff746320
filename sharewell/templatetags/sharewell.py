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


@register.filter
def duration_words(delta) -> str:
    """A timedelta as people say it: '15 minutes', '2 hours', '1 hour and 30 minutes'."""
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " and ".join(parts)
