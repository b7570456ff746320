"""The sections of a committee report, in the order a UK committee report takes, as lists.

Each `Section` names its heading, its template and the function that gathers what it shows
(and the figures behind it, for the XLSX and CSV downloads) from the report's `Subject`. A
section is added by one line in the list: the business case (`appraisal.summary`) comes after
"Financial implications", the readiness assessment (`readiness.summary`) after "Risks".

Every figure a section shows comes from the same reads as the pages (the ledger counted once
by `arrangements.figures`, the benefits plan by `benefits.services`, the portfolio by
`benefits.portfolio`), and only what the reader may see: the report follows the pages'
permissions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from arrangements import figures
from arrangements.models import RUNNING_STATUSES, Measure


@dataclass
class Subject:
    """What a report is about, read once, and who is reading it."""

    kind: str  # "arrangement" or "organisation"
    title: str
    user: Any
    as_at: dt.date = field(default_factory=timezone.localdate)
    arrangement: Any = None
    organisation: Any = None
    ledger: list = field(default_factory=list)
    plan: Any = None
    portfolio: Any = None
    recommendations: str = ""
    shows_names: bool = False


@dataclass
class Built:
    context: dict
    figures: list[tuple]  # rows of (figure, period, value, unit or standing, source)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    build: Callable[[Subject], Built]


def _money(entries) -> dict:
    totals = figures.arrangement_totals(entries)
    by_measure: dict[str, int] = {}
    for e in entries:
        if e.measure in (Measure.BASELINE_COST, Measure.ONE_OFF_COST, Measure.RUNNING_COST) and e.partner_id is None:
            by_measure[e.measure] = by_measure.get(e.measure, 0) + e.amount
    return {"totals": totals, "costs": by_measure}


SOURCE = "Sharewell register"


# --- an arrangement ---------------------------------------------------------------------


def arrangement_summary(s: Subject) -> Built:
    a = s.arrangement
    money = _money(s.ledger)
    t = money["totals"]
    rows = [
        ("Expected savings, all years", "", t.expected, "£", SOURCE),
        ("Achieved savings signed off by a partner's finance lead", "", t.achieved_signed_off, "£", SOURCE),
        ("Achieved savings reported, not yet signed off", "", t.achieved_reported, "£", SOURCE),
    ]
    return Built(
        {
            "partners": [p.organisation for p in a.partnerships.all()],
            "totals": t,
            "plan": s.plan,
            "baseline": s.plan.baseline,
        },
        rows,
    )


def recommendations(s: Subject) -> Built:
    return Built({"text": s.recommendations}, [])


def arrangement_background(s: Subject) -> Built:
    a = s.arrangement
    return Built(
        {
            "partnerships": list(a.partnerships.all()),
            "services": [sv.label for sv in a.services.all()],
            "status_changes": list(a.status_changes.all()),
        },
        [],
    )


def arrangement_financial(s: Subject) -> Built:
    money = _money(s.ledger)
    rows = [
        (
            e.get_measure_display() + (f" ({e.partner.name}'s share)" if e.partner_id else ""),
            e.period,
            e.amount,
            e.get_standing_display(),
            e.source or SOURCE,
        )
        for e in s.ledger
    ]
    sign_offs = [e for e in s.ledger if getattr(e, "sign_off", None) is not None]
    return Built({"ledger": s.ledger, "money": money, "sign_offs": sign_offs}, rows)


def arrangement_risks(s: Subject) -> Built:
    a = s.arrangement
    red = [v for v in s.plan.measures if v.rag == "red"]
    amber = [v for v in s.plan.measures if v.rag == "amber"]
    unsigned = [e for e in s.ledger if e.measure == Measure.ACHIEVED_SAVING and e.standing == "reported"]
    return Built(
        {
            "no_baseline": not s.plan.baseline,
            "running": a.status in RUNNING_STATUSES,
            "red": red,
            "amber": amber,
            "unsigned": unsigned,
            "exit": (a.has_exit_strategy, a.exit_strategy),
            "contingency": (a.has_contingency_plan, a.contingency_plan),
        },
        [(f"Measure rated {v.rag}", "", v.measure.name, "RAG", "Benefits plan") for v in red + amber],
    )


def arrangement_business_case(s: Subject) -> Built:
    """The business case as its partners built it, if the reader may see it (a draft is theirs)."""
    from appraisal import summary

    case = summary.for_report(s.arrangement, s.user)
    rows: list[tuple] = []
    if case and not case.get("problems"):
        source = f"Business case, {'version ' + str(case['version']) if case['shared'] else 'draft'}"
        risk, switching = case["risk"], case["switching_values"]
        rows = [
            ("Net present value", "", round(case["npv"]), "£", source),
            ("Present value of costs", "", round(case["pv_costs"]), "£", source),
            ("Present value of savings", "", round(case["pv_savings"]), "£", source),
            ("Net present value, P10", "", round(risk["p10"]), "£", source),
            ("Net present value, P50", "", round(risk["p50"]), "£", source),
            ("Net present value, P90", "", round(risk["p90"]), "£", source),
            ("Chance the net present value is below zero", "", round(risk["prob_negative"], 4), "share", source),
            ("Payback", "", case["payback_years"] if case["payback_years"] is not None else "", "years", source),
            ("Switching value: fall in savings", "", switching["savings_pct"], "%", source),
            ("Switching value: rise in costs", "", switching["costs_pct"], "%", source),
            ("Switching value: delay of savings", "", switching["delay_years"], "years", source),
        ] + [(f"{row['name']}: net of the split", "", round(row["net"]), "£", source) for row in case["split"]]
    return Built({"case": case}, rows)


def arrangement_readiness(s: Subject) -> Built:
    """The partners' readiness assessment: theirs to see, the public's only once published."""
    from readiness import summary

    readiness = summary.for_report(s.arrangement, s.user)
    rows: list[tuple] = []
    if readiness:
        source = f"Readiness assessment, round {readiness['round']}"
        rows = [("Readiness overall", "", readiness["overall"], "% of the scale", source)] + [
            (f"Readiness: {f['label']}", "", f["score"], f"% ({f['rag']})", source) for f in readiness["factors"]
        ]
    return Built({"readiness": readiness}, rows)


def arrangement_options(s: Subject) -> Built:
    a = s.arrangement
    return Built({"model": a.get_delivery_model_display(), "governance": a.governance_notes}, [])


def arrangement_appendices(s: Subject) -> Built:
    rows = [
        (
            v.measure.name,
            r.period,
            r.actual if r.actual is not None else "",
            f"actual ({v.measure.unit})",
            "Benefits plan",
        )
        for v in s.plan.measures
        for r in v.rows
    ] + [
        (
            v.measure.name,
            r.period,
            r.planned if r.planned is not None else "",
            f"planned ({v.measure.unit})",
            "Benefits plan",
        )
        for v in s.plan.measures
        for r in v.rows
    ]
    return Built({"plan": s.plan, "sources": list(s.arrangement.sources.all())}, rows)


ARRANGEMENT_SECTIONS: list[Section] = [
    Section("summary", "Summary", "reports/sections/arrangement_summary.html", arrangement_summary),
    Section("recommendations", "Recommendations", "reports/sections/recommendations.html", recommendations),
    Section("background", "Background", "reports/sections/arrangement_background.html", arrangement_background),
    Section(
        "financial", "Financial implications", "reports/sections/arrangement_financial.html", arrangement_financial
    ),
    Section(
        "business-case", "Business case", "reports/sections/arrangement_business_case.html", arrangement_business_case
    ),
    Section("risks", "Risks", "reports/sections/arrangement_risks.html", arrangement_risks),
    Section("readiness", "Readiness", "reports/sections/arrangement_readiness.html", arrangement_readiness),
    Section("options", "Options considered", "reports/sections/arrangement_options.html", arrangement_options),
    Section("appendices", "Appendices", "reports/sections/arrangement_appendices.html", arrangement_appendices),
]


# --- an organisation --------------------------------------------------------------------


def organisation_summary(s: Subject) -> Built:
    p = s.portfolio
    return Built(
        {"portfolio": p},
        [
            ("Arrangements it is or was in", "", len(p.rows), "count", SOURCE),
            ("Expected savings, all years", "", p.expected, "£", SOURCE),
            ("Achieved savings signed off", "", p.achieved, "£", SOURCE),
            ("Achieved savings reported, not yet signed off", "", p.reported, "£", SOURCE),
            ("Running arrangements with no baseline recorded", "", p.live_without_baseline, "count", SOURCE),
        ],
    )


def organisation_background(s: Subject) -> Built:
    return Built({"organisation": s.organisation}, [])


def organisation_financial(s: Subject) -> Built:
    p = s.portfolio
    rows = []
    for r in p.rows:
        rows += [
            (f"{r.arrangement.title}: expected savings", "", r.expected, "£", SOURCE),
            (f"{r.arrangement.title}: achieved, signed off", "", r.achieved, "£", SOURCE),
            (f"{r.arrangement.title}: reported, not yet signed off", "", r.reported, "£", SOURCE),
        ]
    return Built({"portfolio": p}, rows)


def organisation_risks(s: Subject) -> Built:
    p = s.portfolio
    soon = s.as_at + dt.timedelta(days=730)
    return Built(
        {
            "no_baseline": [r for r in p.rows if r.arrangement.status in RUNNING_STATUSES and not r.baseline],
            "red": [r for r in p.rows if r.rag == "red"],
            "contracts": [c for c in p.contracts if c.ends_on <= soon],
        },
        [(c.description, "", c.ends_on.isoformat(), "contract end", SOURCE) for c in p.contracts],
    )


def organisation_options(s: Subject) -> Built:
    return Built({"portfolio": s.portfolio}, [])


def organisation_appendices(s: Subject) -> Built:
    return Built({"portfolio": s.portfolio}, [])


ORGANISATION_SECTIONS: list[Section] = [
    Section("summary", "Summary", "reports/sections/organisation_summary.html", organisation_summary),
    Section("recommendations", "Recommendations", "reports/sections/recommendations.html", recommendations),
    Section("background", "Background", "reports/sections/organisation_background.html", organisation_background),
    Section(
        "financial", "Financial implications", "reports/sections/organisation_financial.html", organisation_financial
    ),
    Section("risks", "Risks", "reports/sections/organisation_risks.html", organisation_risks),
    Section("options", "Options considered", "reports/sections/organisation_options.html", organisation_options),
    Section("appendices", "Appendices", "reports/sections/organisation_appendices.html", organisation_appendices),
]
