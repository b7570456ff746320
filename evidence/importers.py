"""Declarations of the evidence library over the reference importer core.

The content lives in `evidence/data/*.json`, in the repository; `manage.py load_reference_data`
loads it with the rest of the reference data, and a second run changes nothing."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from evidence.models import CaseStudy, Checklist, ChecklistItem, Factor, Quotation, Source, Theme
from reference.core import Context, Declaration, ImportError_

DATA = Path(__file__).resolve().parent / "data"
RESEARCH = DATA / "research"

THEMES = [
    ("definitions", "Definitions"),
    ("drivers", "Drivers"),
    ("barriers", "Barriers"),
    ("success_factors", "Success factors"),
    ("impact", "Impact"),
    ("international", "International"),
]


@cache
def load(name: str) -> list[dict]:
    """One of the data files, parsed (the files are part of the code: cached for the process)."""
    path = DATA / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImportError_(f"{path}: {error}") from error


@cache
def research_document(name: str) -> str:
    """The text of a research document that quotations cite (`evidence/data/research/NAME.txt`)."""
    return (RESEARCH / f"{name}.txt").read_text(encoding="utf-8")


def theme_rows(context: Context):
    for order, (key, label) in enumerate(THEMES):
        yield {"key": key, "label": label, "sort_order": order}


def factor_rows(context: Context):
    for order, factor in enumerate(load("factors")):
        yield {
            "key": factor["key"],
            "label": factor["label"],
            "description": factor["description"],
            "recommendation": factor["recommendation"],
            "sort_order": order,
        }


def _ids(model, keys: list[str], where: str) -> list[int]:
    known = dict(model.objects.values_list("key", "id"))
    missing = [k for k in keys if k not in known]
    if missing:
        raise ImportError_(f"{where}: unknown {model._meta.verbose_name} {', '.join(missing)}")
    return [known[k] for k in keys]


def source_rows(context: Context):
    for source in load("sources"):
        yield {
            "key": source["key"],
            "title": source["title"],
            "author": source["author"],
            "published": source["published"],
            "year": source["year"],
            "source_type": source["type"],
            "url": source["url"],
            "review_numbers": source["review_number"],
            "in_review_list": bool(source["review_number"]),
            "countries": source["countries"],
            "countries_text": "|" + "|".join(source["countries"]) + "|" if source["countries"] else "",
            "findings": source["findings"],
            "findings_text": "\n".join(source["findings"]),
            "figures": source.get("figures", []),
            "themes": _ids(Theme, source["themes"], source["key"]),
            "factors": _ids(Factor, source["factors"], source["key"]),
        }


def quotation_rows(context: Context):
    sources = dict(Source.objects.values_list("key", "id"))
    for source in load("sources"):
        for number, quotation in enumerate(source["quotations"], start=1):
            if quotation["text"] not in research_document(quotation["document"]):
                raise ImportError_(f"{source['key']}: a quotation is not in {quotation['document']}")
            yield {
                "key": f"{source['key']}-{number}",
                "source_id": sources[source["key"]],
                "text": quotation["text"],
                "document": quotation["document"],
                "attribution": quotation["attribution"],
            }


def case_study_rows(context: Context):
    sources = dict(Source.objects.values_list("key", "id"))
    for case in load("case_studies"):
        yield {
            "key": case["key"],
            "title": case["title"],
            "source_id": sources[case["source"]],
            "country": case["country"],
            "summary": case["summary"],
            "figures": case["figures"],
            "register_title": case["register_title"],
            "partners": case["partners"],
        }


def checklist_rows(context: Context):
    sources = dict(Source.objects.values_list("key", "id"))
    for checklist in load("checklists"):
        yield {"key": checklist["key"], "title": checklist["title"], "source_id": sources[checklist["source"]]}


def checklist_item_rows(context: Context):
    checklists = dict(Checklist.objects.values_list("key", "id"))
    for checklist in load("checklists"):
        for item in checklist["items"]:
            yield {
                "checklist_id": checklists[checklist["key"]],
                "number": item["number"],
                "text": item["text"],
                "phase": item["phase"],
                "factors": _ids(Factor, item["factors"], f"{checklist['key']} {item['number']}"),
            }


SOURCE = "evidence/data/*.json, from the Improvement Service review (2020) and the sources it lists"


def _declare(what: str, model, rows, *, key=("key",), licence="Sharewell", prune=True, many_to_many=()) -> Declaration:
    """One table of the library: its rows from the data files, under the library's source."""
    return Declaration(
        name=f"Evidence {what}",
        model=model,
        key=key,
        rows=rows,
        source=SOURCE,
        licence=licence,
        prune=prune,
        many_to_many=many_to_many,
    )


# In order: each table's rows look up the keys of those above it.
DECLARATIONS = [
    _declare("themes", Theme, theme_rows),
    _declare("factors", Factor, factor_rows),
    _declare(
        "sources",
        Source,
        source_rows,
        licence="Sharewell; quotations and figures belong to their sources",
        prune=False,
        many_to_many=("themes", "factors"),
    ),
    _declare("quotations", Quotation, quotation_rows, licence="Quoted with attribution"),
    _declare("case studies", CaseStudy, case_study_rows),
    _declare("checklists", Checklist, checklist_rows),
    _declare(
        "checklist items", ChecklistItem, checklist_item_rows, key=("checklist_id", "number"), many_to_many=("factors",)
    ),
]
