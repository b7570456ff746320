"""Building a committee report: its subject read once, its sections rendered in order, and the
same report as a tagged PDF (WeasyPrint) and as the figures behind it (CSV, XLSX).

PDFs are rendered inline, in the request, when small (about a second for 60 rows of table); an
organisation's report with more arrangements than `reports.jobs.INLINE_LIMIT` is written by a
background job (`docs/decisions/0007-benefits-sign-off-and-reports.md`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from arrangements import permissions
from benefits import services as benefits
from benefits.portfolio import portfolio
from reports.models import Recommendations
from reports.sections import ARRANGEMENT_SECTIONS, ORGANISATION_SECTIONS, Subject
from sharewell.cells import safe_text, xlsx_cell

PDF_CSS = Path(__file__).parent / "pdf.css"
FIGURE_COLUMNS = ("section", "figure", "period", "value", "unit_or_standing", "source")


def _pounds(value: int) -> str:
    return f"£{value:,}"


def default_arrangement_recommendations(arrangement, plan, totals) -> str:
    parts = [
        f"That the committee notes that {arrangement.title} has {_pounds(totals.achieved_signed_off)} of achieved "
        f"savings signed off by a partner’s finance lead, against {_pounds(totals.expected)} expected"
    ]
    if totals.achieved_reported:
        parts.append(f"and {_pounds(totals.achieved_reported)} reported but not yet signed off")
    text = ", ".join(parts) + "."
    if plan.measures:
        text += f"\n\nThat the committee notes the benefits plan is rated {plan.rag_label.lower()} against plan."
    if not plan.baseline:
        text += "\n\nThat a baseline is recorded, so that whether the sharing delivers can be shown."
    return text


def default_organisation_recommendations(organisation, p) -> str:
    text = (
        f"That the committee notes that {organisation.name} is or was in {len(p.rows)} shared "
        f"arrangement{'s' if len(p.rows) != 1 else ''}, with {_pounds(p.achieved)} of achieved savings signed off "
        f"against {_pounds(p.expected)} expected."
    )
    if p.live_without_baseline:
        text += (
            f"\n\nThat baselines are recorded for the {p.live_without_baseline} running "
            f"arrangement{'s' if p.live_without_baseline != 1 else ''} without one."
        )
    return text


def arrangement_subject(arrangement, user) -> Subject:
    from arrangements import figures

    ledger = list(arrangement.ledger.select_related("partner").all())
    benefits.mark_sign_offs(user, arrangement, ledger)
    plan = benefits.plan_for(arrangement)
    stored = Recommendations.objects.filter(arrangement=arrangement).first()
    text = (
        stored.text
        if stored
        else default_arrangement_recommendations(arrangement, plan, figures.arrangement_totals(ledger))
    )
    return Subject(
        kind="arrangement",
        title=f"{arrangement.title}: committee report",
        user=user,
        arrangement=arrangement,
        ledger=ledger,
        plan=plan,
        recommendations=text,
        shows_names=permissions.is_partner_member(user, arrangement),
    )


def organisation_subject(organisation, user) -> Subject:
    p = portfolio(organisation, user)
    stored = Recommendations.objects.filter(organisation=organisation).first()
    return Subject(
        kind="organisation",
        title=f"{organisation.name}: shared services portfolio, committee report",
        user=user,
        organisation=organisation,
        portfolio=p,
        recommendations=stored.text if stored else default_organisation_recommendations(organisation, p),
    )


def sections_of(subject: Subject):
    return ARRANGEMENT_SECTIONS if subject.kind == "arrangement" else ORGANISATION_SECTIONS


def rendered(subject: Subject) -> list[dict]:
    """Each section, built and rendered, numbered as a committee report numbers them."""
    out = []
    for number, section in enumerate(sections_of(subject), start=1):
        built = section.build(subject)
        html = render_to_string(section.template, {"s": subject, "section": section, "number": number, **built.context})
        out.append({"section": section, "number": number, "html": html, "figures": built.figures})
    return out


def pdf(subject: Subject, base_url: str) -> bytes:
    """The report as a tagged PDF (PDF/UA-1: structure tags, title and language)."""
    from weasyprint import CSS, HTML

    html = render_to_string("reports/print.html", {"s": subject, "sections": rendered(subject)})
    return HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[CSS(filename=str(PDF_CSS))], pdf_variant="pdf/ua-1", pdf_tags=True
    )


def figure_rows(subject: Subject) -> list[dict]:
    rows = []
    for item in rendered(subject):
        for figure, period, value, unit, source in item["figures"]:
            rows.append(
                {
                    "section": item["section"].title,
                    "figure": figure,
                    "period": period,
                    "value": float(value) if hasattr(value, "as_tuple") else value,
                    "unit_or_standing": unit,
                    "source": source,
                }
            )
    return rows


def figures_csv(subject: Subject) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIGURE_COLUMNS)
    writer.writeheader()
    for row in figure_rows(subject):
        writer.writerow({k: safe_text(v) for k, v in row.items()})
    return buffer.getvalue()


def figures_xlsx(subject: Subject) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Figures")
    sheet.append([xlsx_cell(f"{subject.title}, as at {subject.as_at:%-d %B %Y}", sheet)])
    sheet.append(list(FIGURE_COLUMNS))
    for row in figure_rows(subject):
        sheet.append([xlsx_cell(row[c], sheet) for c in FIGURE_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def generated_at() -> str:
    return f"{timezone.localtime():%-d %B %Y at %H:%M}"
