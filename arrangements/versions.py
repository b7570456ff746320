"""An arrangement as one plain record (a snapshot), and the change between two, in words.

A snapshot has the field specification's names and the API's shapes (codes for
organisations, LGSL numbers for services), so the same dictionary is what `GET`
returns, what `PUT` accepts, what a version keeps and what restore sends back.
"""

from __future__ import annotations

from typing import Any

from arrangements import spec
from arrangements.models import Arrangement, Partnership
from arrangements.parsing import Parsed

_PLAIN = [f.name for f in spec.FIELDS if f.kind in ("text", "longtext", "email", "choice", "bool", "tags")]


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _entry(entry, partner_code: str | None) -> dict[str, Any]:
    return {
        "id": entry.id if hasattr(entry, "id") else entry.pk,
        "period": entry.period if isinstance(entry.period, str) else entry.period.label,
        "measure": entry.measure,
        "amount": entry.amount,
        "staff": entry.staff,
        "other": entry.other,
        "partner": partner_code,
        "standing": entry.standing,
        "source": entry.source,
        "signed_off_by": entry.signed_off_by,
        "signed_off_on": _iso(entry.signed_off_on),
    }


def _ledger_order(item: dict) -> tuple:
    period = item["period"]
    return (period[:4], len(period), period, item["measure"], item["partner"] or "")


def _partner_order(item: dict) -> tuple:
    return (item["role"] != Partnership.Role.LEAD, item["name"])


def snapshot(arrangement: Arrangement) -> dict[str, Any]:
    """The arrangement as it is in the database (use `services.with_details` to prefetch)."""
    partnerships = list(arrangement.partnerships.all())
    lead = next((p.organisation for p in partnerships if p.role == Partnership.Role.LEAD), None)
    data = {name: getattr(arrangement, name) for name in _PLAIN}
    data["benefit_tags"] = list(arrangement.benefit_tags or [])
    data.update(
        lead_organisation=lead.code if lead else None,
        partners=sorted(
            (
                {
                    "code": p.organisation.code,
                    "name": p.organisation.name,
                    "role": p.role,
                    "joined_on": _iso(p.joined_on),
                    "left_on": _iso(p.left_on),
                }
                for p in partnerships
            ),
            key=_partner_order,
        ),
        services=sorted(
            ({"lgsl": s.lgsl, "label": s.label} for s in arrangement.services.all()), key=lambda s: s["lgsl"]
        ),
        categories=sorted(c.key for c in arrangement.categories.all()),
        start_date=_iso(arrangement.start_date),
        start_year=arrangement.start_year,
        end_date=_iso(arrangement.end_date),
        end_year=arrangement.end_year,
        sources=[{"url": s.url, "citation": s.citation} for s in sorted(arrangement.sources.all(), key=lambda s: s.pk)],
        ledger=sorted(
            (_entry(e, e.partner.code if e.partner_id else None) for e in arrangement.ledger.all()), key=_ledger_order
        ),
    )
    return data


def snapshot_of(parsed: Parsed, ledger_ids: list[int | None] | None = None) -> dict[str, Any]:
    """What `snapshot` will return once `parsed` is written (for a pending revision, or a bulk
    import that writes without reading back)."""
    data = {name: parsed.values.get(name) for name in _PLAIN}
    data["benefit_tags"] = list(parsed.values.get("benefit_tags") or [])
    categories = {c.key for c in parsed.categories} | {s.category.key for s in parsed.services}
    ids = ledger_ids or [e.id for e in parsed.ledger]
    data.update(
        lead_organisation=parsed.lead.code,
        partners=sorted(
            (
                {
                    "code": p.organisation.code,
                    "name": p.organisation.name,
                    "role": p.role,
                    "joined_on": _iso(p.joined_on),
                    "left_on": _iso(p.left_on),
                }
                for p in parsed.partners
            ),
            key=_partner_order,
        ),
        services=sorted(({"lgsl": s.lgsl, "label": s.label} for s in parsed.services), key=lambda s: s["lgsl"]),
        categories=sorted(categories),
        start_date=_iso(parsed.values["start_date"]),
        start_year=parsed.values["start_year"],
        end_date=_iso(parsed.values["end_date"]),
        end_year=parsed.values["end_year"],
        sources=[{"url": url, "citation": citation} for url, citation in parsed.sources],
        ledger=sorted(
            (
                _entry(e, e.partner.code if e.partner else None) | {"id": i}
                for e, i in zip(parsed.ledger, ids, strict=True)
            ),
            key=_ledger_order,
        ),
    )
    return data


# --- the change in words --------------------------------------------------------------


def _money(value) -> str:
    if value is None:
        return "none"
    return f"−£{-value:,}" if value < 0 else f"£{value:,}"


def _short(value, limit: int = 120) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def _plain(name: str, value) -> str:
    f = spec.BY_NAME[name]
    if f.kind == "choice":
        return f.label_of(value) or "none"
    if f.kind == "bool":
        return {True: "Yes", False: "No", None: "Not known"}[value]
    if f.kind == "tags":
        return ", ".join(f.label_of(v) for v in value) or "none"
    return _short(value) if value not in (None, "") else "blank"


def _entry_name(item: dict, names: dict[str, str]) -> str:
    label = spec.MEASURE_LABELS.get(item["measure"], item["measure"])
    planned = " (planned)" if item["standing"] == "expected" and item["measure"] != "expected_saving" else ""
    partner = f", {names.get(item['partner'], item['partner'])}'s share" if item["partner"] else ""
    return f"{label}{planned} {item['period']}{partner}"


def _entry_key(item: dict) -> tuple:
    return (item["partner"], item["period"], item["measure"], item["standing"] == "expected")


def describe(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """Each change from `old` to `new` as a sentence: 'Status: Business case → Live',
    'Achieved saving 2026/27: £200,000 → £250,000'."""
    if old is None:
        return ["Created"]
    lines: list[str] = []
    for name in _PLAIN:
        if old.get(name) != new.get(name):
            label = spec.LABELS[name]
            if spec.BY_NAME[name].kind == "longtext" and old.get(name) and new.get(name):
                lines.append(f"{label} changed: {_short(old.get(name), 60)} → {_short(new.get(name), 60)}")
            else:
                lines.append(f"{label}: {_plain(name, old.get(name))} → {_plain(name, new.get(name))}")
    for name, label in (("start_date", "Start"), ("end_date", "End")):
        year = name.replace("date", "year")
        before, after = old.get(name) or old.get(year), new.get(name) or new.get(year)
        if before != after:
            lines.append(f"{label}: {before or 'not recorded'} → {after or 'not recorded'}")
    names = {p["code"]: p["name"] for p in [*old.get("partners", []), *new.get("partners", [])]}
    if old.get("lead_organisation") != new.get("lead_organisation"):
        lines.append(
            f"Lead organisation: {names.get(old.get('lead_organisation'), 'none')} → "
            f"{names.get(new.get('lead_organisation'), 'none')}"
        )
    before = {p["code"]: p for p in old.get("partners", [])}
    after = {p["code"]: p for p in new.get("partners", [])}
    for code in after.keys() - before.keys():
        lines.append(f"Partner added: {after[code]['name']}")
    for code in before.keys() - after.keys():
        lines.append(f"Partner removed: {before[code]['name']}")
    for code in before.keys() & after.keys():
        for part, label in (("role", "role"), ("joined_on", "joined"), ("left_on", "left")):
            if before[code][part] != after[code][part] and not (
                part == "role" and "lead" in (before[code][part], after[code][part])
            ):
                lines.append(
                    f"{after[code]['name']}, {label}: {before[code][part] or 'not recorded'} → "
                    f"{after[code][part] or 'not recorded'}"
                )
    for key, label in (("services", "Service"), ("categories", "Category")):

        def name_of(item):
            return f"{item['label']} (LGSL {item['lgsl']})" if isinstance(item, dict) else item

        olds = {name_of(i) for i in old.get(key, [])}
        news = {name_of(i) for i in new.get(key, [])}
        lines += [f"{label} added: {n}" for n in sorted(news - olds)]
        lines += [f"{label} removed: {n}" for n in sorted(olds - news)]
    olds = {(s["url"], s["citation"]) for s in old.get("sources", [])}
    news = {(s["url"], s["citation"]) for s in new.get("sources", [])}
    lines += [f"Source added: {c or u}" for u, c in sorted(news - olds)]
    lines += [f"Source removed: {c or u}" for u, c in sorted(olds - news)]
    lines += _ledger_changes(old.get("ledger", []), new.get("ledger", []), names)
    return lines


def _ledger_changes(old: list[dict], new: list[dict], names: dict[str, str]) -> list[str]:
    lines = []
    before = {_entry_key(e): e for e in old}
    after = {_entry_key(e): e for e in new}
    for key in sorted(after.keys() | before.keys(), key=lambda k: (k[1], k[2], k[0] or "")):
        a, b = before.get(key), after.get(key)
        if a is None:
            lines.append(f"{_entry_name(b, names)} added: {_money(b['amount'])}")
        elif b is None:
            lines.append(f"{_entry_name(a, names)} removed (was {_money(a['amount'])})")
        else:
            name = _entry_name(b, names)
            if a["amount"] != b["amount"]:
                lines.append(f"{name}: {_money(a['amount'])} → {_money(b['amount'])}")
            for part in ("staff", "other"):
                if a[part] != b[part]:
                    lines.append(f"{name}, {part}: {_money(a[part])} → {_money(b[part])}")
            if a["standing"] != b["standing"]:
                lines.append(f"{name}: {spec.STANDING_LABELS[a['standing']]} → {spec.STANDING_LABELS[b['standing']]}")
            if a["source"] != b["source"]:
                lines.append(f"{name}, source: {_short(a['source'], 60)} → {_short(b['source'], 60)}")
    return lines
