"""Reads of the evidence library, shared by the pages and the API."""

from __future__ import annotations

from arrangements.models import Arrangement
from evidence.models import CaseStudy, Source


def sources(q: str = "", theme: str = "", factor: str = "", country: str = ""):
    return Source.objects.search(q=q, theme=theme, factor=factor, country=country).prefetch_related(
        "themes", "factors", "quotations"
    )


def countries() -> list[str]:
    found: set[str] = set()
    for values in Source.objects.values_list("countries", flat=True):
        found.update(values)
    return sorted(found)


def record(source: Source) -> dict:
    """A source as the API gives it."""
    return {
        "id": source.key,
        "title": source.title,
        "author": source.author,
        "published": source.published,
        "year": source.year,
        "type": source.source_type,
        "url": source.url or None,
        "in_review_list": source.in_review_list,
        "countries": source.countries,
        "themes": [t.key for t in source.themes.all()],
        "factors": [f.key for f in source.factors.all()],
        "findings": source.findings,
        "figures": [{"label": f["label"], "value": f["value"]} for f in source.figures],
        "quotations": [{"text": q.text, "attribution": q.attribution} for q in source.quotations.all()],
    }


def register_entry(case: CaseStudy) -> Arrangement | None:
    """The case study's entry in the register: by its title; else the one published arrangement
    whose partners include every partner the case names."""
    published = Arrangement.objects.published()
    found = published.filter(title__iexact=case.register_title).first()
    if found is not None or len(case.partners) < 2:
        return found
    candidates = published
    for name in case.partners:
        candidates = candidates.filter(partnerships__organisation__name__iexact=name)
    matches = list(candidates.distinct()[:2])
    return matches[0] if len(matches) == 1 else None
