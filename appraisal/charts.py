"""The business case's charts, drawn on the server as SVG: no script, no CDN, readable as images.

Each chart is a `Chart` with its SVG and the rows of the data table printed beside it, so
the figures are there for anyone who cannot see the picture. Sizes are in a viewBox and
scale to the page's width (down to 320 px); colours are the GOV.UK palette's, with text
at least 4.5:1 against white.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 90, 40, 34, 50
BLUE, LIGHT_BLUE, BLACK, GREY, RED, GREEN = "#1d70b8", "#c4d9ee", "#0b0c0c", "#505a5f", "#d4351c", "#00703c"


@dataclass
class Chart:
    title: str
    svg: SafeString
    headers: list[str]
    rows: list[list[str]]


def money(value: float) -> str:
    """£1,234,567, −£12,000; whole pounds."""
    return f"£{value:,.0f}" if value >= 0 else f"−£{-value:,.0f}"


def _short_money(value: float) -> str:
    size = abs(value)
    sign = "−" if value < 0 else ""
    if size >= 1e6:
        return f"{sign}£{size / 1e6:,.1f}m"
    if size >= 1e3:
        return f"{sign}£{size / 1e3:,.0f}k"
    return f"{sign}£{size:,.0f}"


class _Scale:
    def __init__(self, low: float, high: float, start: float, end: float):
        if high <= low:
            high, low = low + 1, low - 1
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: float) -> float:
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)


def _nice_step(span: float, count: int) -> float:
    raw = span / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from at or below `low` to at or above `high`: £0, £50k, £100k…"""
    if high <= low:
        return [low]
    step = _nice_step(high - low, count)
    first = math.floor(low / step) * step
    return [first + i * step for i in range(math.ceil((high - first) / step - 1e-9) + 1)]


def _nice_scale(low: float, high: float, start: float, end: float) -> _Scale:
    ticks = _ticks(low, high)
    return _Scale(ticks[0], ticks[-1], start, end)


def _frame(title: str, body: list[str], x_label: str, y_label: str) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'class="sw-svg-chart" role="img" '
        f'aria-label="{escape(title)}" font-family="Arial, sans-serif" font-size="13">'
        f"<title>{escape(title)}</title>"
    )
    labels = (
        f'<text x="{LEFT + (WIDTH - LEFT - RIGHT) / 2}" y="{HEIGHT - 8}" text-anchor="middle" fill="{BLACK}">'
        f"{escape(x_label)}</text>"
        f'<text x="14" y="{TOP + (HEIGHT - TOP - BOTTOM) / 2}" text-anchor="middle" fill="{BLACK}" '
        f'transform="rotate(-90 14 {TOP + (HEIGHT - TOP - BOTTOM) / 2})">{escape(y_label)}</text>'
    )
    return mark_safe(head + "".join(body) + labels + "</svg>")  # noqa: S308 (every text escaped above)


def _x_label(x: float, text: str) -> str:
    return f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" fill="{GREY}">{escape(text)}</text>'


def _legend(items: list[tuple[str, str]]) -> str:
    """A key along the top: a swatch and its words for each item."""
    parts, x = [], LEFT
    for colour, text in items:
        parts.append(f'<rect x="{x}" y="8" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="{x + 20}" y="20" fill="{BLACK}">{escape(text)}</text>')
        x += 40 + 7 * len(text)
    return "".join(parts)


def _y_axis(scale: _Scale, fmt) -> list[str]:
    parts = []
    for tick in _ticks(scale.low, scale.high):
        y = scale(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="0.5"/>'
        )
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{GREY}">{escape(fmt(tick))}</text>')
    return parts


def cash_flow(years: list[str], cumulative: list[float], band: list[tuple[float, float]]) -> Chart:
    """Cumulative discounted net cash flow by year, with the P10–P90 band of the risk analysis."""
    values = cumulative + [v for pair in band for v in pair] + [0.0]
    y = _nice_scale(min(values), max(values), HEIGHT - BOTTOM, TOP)
    step = (WIDTH - LEFT - RIGHT) / max(len(years) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step

    body = _y_axis(y, _short_money)
    upper = " ".join(f"{x(i):.1f},{y(high):.1f}" for i, (_, high) in enumerate(band))
    lower = " ".join(f"{x(i):.1f},{y(low):.1f}" for i, (low, _) in reversed(list(enumerate(band))))
    body.append(f'<polygon points="{upper} {lower}" fill="{LIGHT_BLUE}" stroke="none"/>')
    body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="{BLACK}"/>')
    line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(cumulative))
    body.append(f'<polyline points="{line}" fill="none" stroke="{BLUE}" stroke-width="3"/>')
    body.append(_legend([(BLUE, "At the likely values"), (LIGHT_BLUE, "P10 to P90 of the risk analysis")]))
    for i, label in enumerate(years):
        if len(years) <= 12 or i % max(1, len(years) // 10) == 0:
            body.append(_x_label(x(i), label))
    title = "Cumulative discounted cash flow, with the range from P10 to P90 shaded"
    rows = [
        [label, money(v), money(low), money(high)]
        for label, v, (low, high) in zip(years, cumulative, band, strict=True)
    ]
    return Chart(
        title,
        _frame(title, body, "Financial year", "Cumulative present value"),
        ["Financial year", "Cumulative present value", "P10", "P90"],
        rows,
    )


def s_curve(points: list[tuple[float, float]]) -> Chart:
    """The chance that NPV is at or below each value (the cumulative distribution)."""
    npvs = [v for _, v in points]
    x = _nice_scale(min(npvs + [0.0]), max(npvs + [0.0]), LEFT, WIDTH - RIGHT)
    y = _Scale(0, 1, HEIGHT - BOTTOM, TOP)
    body = _y_axis(y, lambda p: f"{p:.0%}")
    zero = x(0)
    body.append(
        f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{RED}" stroke-dasharray="4 3"/>'
    )
    body.append(f'<text x="{zero + 4:.1f}" y="{TOP + 12}" fill="{RED}">NPV zero</text>')
    line = " ".join(f"{x(v):.1f},{y(p):.1f}" for p, v in points)
    body.append(f'<polyline points="{line}" fill="none" stroke="{BLUE}" stroke-width="3"/>')
    for tick in _ticks(x.low, x.high):
        body.append(_x_label(x(tick), _short_money(tick)))
    title = "S-curve: the chance that the net present value is at or below each amount"
    wanted = [p for p in points if round(p[0] * 100) % 10 == 0]
    rows = [[f"{p:.0%}", money(v)] for p, v in wanted]
    return Chart(
        title, _frame(title, body, "Net present value", "Chance at or below"), ["Chance", "Net present value"], rows
    )


def tornado(bars: list[dict], base: float) -> Chart:
    """Each line alone at its low and its high value, the rest at likely: the NPV it gives."""
    values = [base] + [b["low_npv"] for b in bars] + [b["high_npv"] for b in bars]
    x = _nice_scale(min(values), max(values), LEFT + 80, WIDTH - RIGHT)
    rows_height = (HEIGHT - TOP - BOTTOM) / max(len(bars), 1)
    body = []
    for i, bar in enumerate(bars):
        height = min(rows_height * 0.7, 28)
        top = TOP + i * rows_height + (rows_height - height) / 2
        a, b = sorted((bar["low_npv"], bar["high_npv"]))
        body.append(
            f'<rect x="{x(a):.1f}" y="{top:.1f}" width="{max(x(b) - x(a), 1):.1f}" '
            f'height="{height:.1f}" fill="{BLUE}"/>'
        )
        name = bar["name"] if len(bar["name"]) <= 22 else bar["name"][:21] + "…"
        body.append(
            f'<text x="{LEFT + 74}" y="{top + height / 2 + 4:.1f}" text-anchor="end" '
            f'fill="{BLACK}">{escape(name)}</text>'
        )
    body.append(
        f'<line x1="{x(base):.1f}" x2="{x(base):.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{BLACK}" stroke-width="2"/>'
    )
    for tick in _ticks(x.low, x.high):
        body.append(_x_label(x(tick), _short_money(tick)))
    body.append(_legend([(BLACK, "NPV at the likely values"), (BLUE, "From the line's low to its high value")]))
    title = "Tornado: the net present value with each line at its low and its high value"
    rows = [[bar["name"], money(bar["low_npv"]), money(bar["high_npv"])] for bar in bars]
    return Chart(
        title,
        _frame(title, body, "Net present value", ""),
        ["Line", "NPV with the line at its low value", "NPV at its high value"],
        rows,
    )
