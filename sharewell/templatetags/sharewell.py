from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


# Largest first. "bn" and "tn" as UK newsrooms and the ONS write them.
_SCALES = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"), (Decimal(10) ** 3, "k"))
# A true minus sign: screen readers say "minus", where a hyphen is often read as "dash" or not at all.
MINUS = "\u2212"


@register.filter
def compact_pounds(value: int | float | Decimal | None) -> str:
    """An amount in at most three figures, to fit a headline box: '£56.5m', '£1.34bn', '−£734k'.

    The full amount belongs beside it (a table or a caption) for anyone who needs the pounds.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return ""
    if not number.is_finite():
        return ""
    amount = abs(number)
    if amount:
        # Round to three figures before choosing the scale, so £999,950 reads "£1m", not "£1000k";
        # below £1,000 the figures are whole pounds.
        quantum = max(Decimal(1).scaleb(amount.adjusted() - 2), Decimal(1))
        amount = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = MINUS if amount and number < 0 else ""
    for size, suffix in _SCALES:
        if amount >= size:
            return f"{sign}£{_figures(amount / size)}{suffix}"
    return f"{sign}£{_figures(amount)}"


def _figures(number: Decimal) -> str:
    """'5', '56.5', '1.34': no exponent, no trailing zeros."""
    return f"{number.normalize():f}"
