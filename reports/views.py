"""Committee reports: print-ready HTML, a tagged PDF and the figures behind them (CSV, XLSX),
for an arrangement and for an organisation's portfolio. What a report shows follows the pages'
permissions: an arrangement's report is there for whoever may see the arrangement, and an
organisation's lists only the arrangements the reader may see."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.permissions import can_edit_organisation
from arrangements import permissions, services
from arrangements.models import Arrangement
from organisations.services import get_organisation
from reports import building, jobs
from reports import writes as report_writes
from reports.models import ReportJob
from sharewell.widgets import GovukFormMixin


class RecommendationsForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Recommendations to the committee",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="One recommendation a paragraph. Leave it empty to go back to those the report writes "
        "from the figures.",
    )


def _arrangement(request, pk: int) -> Arrangement:
    return get_object_or_404(services.with_details(Arrangement.objects.visible_to(request.user)), pk=pk)


def _filename(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:80] or "report"


def _page(request, subject, *, back_url, base, can_edit):
    return render(
        request,
        "reports/report.html",
        {
            "s": subject,
            "sections": building.rendered(subject),
            "back_url": back_url,
            "pdf_url": f"{base}.pdf",
            "data_url": f"{base}/figures",
            "edit_url": f"{base}/recommendations/",
            "can_edit": can_edit,
        },
    )


def _pdf(request, subject) -> HttpResponse:
    content = building.pdf(subject, request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(subject.title)}.pdf"'
    return response


def _figures(subject, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(building.figures_csv(subject), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            building.figures_xlsx(subject),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("No such format")
    response["Content-Disposition"] = f'attachment; filename="{_filename(subject.title)}-figures.{fmt}"'
    return response


def arrangement_report(request, pk: int):
    arrangement = _arrangement(request, pk)
    subject = building.arrangement_subject(arrangement, request.user)
    return _page(
        request,
        subject,
        back_url=arrangement.get_absolute_url(),
        base=f"/arrangements/{pk}/report",
        can_edit=permissions.can_edit(request.user, arrangement),
    )


def arrangement_pdf(request, pk: int):
    return _pdf(request, building.arrangement_subject(_arrangement(request, pk), request.user))


def arrangement_figures(request, pk: int, fmt: str):
    return _figures(building.arrangement_subject(_arrangement(request, pk), request.user), fmt)


def _recommendations(request, subject, *, allowed: bool, back_url: str, save):
    if not allowed:
        raise PermissionDenied("Only editors can change the recommendations.")
    form = RecommendationsForm(request.POST or None, initial={"text": subject.recommendations})
    if request.method == "POST" and form.is_valid():
        outcome = save(form.cleaned_data["text"])
        if outcome.ok:
            messages.success(request, "Recommendations saved.")
            return redirect(back_url)
        for problem in outcome.problems:
            form.add_error("text", problem.message)
    return render(request, "reports/recommendations_form.html", {"s": subject, "form": form, "back_url": back_url})


@login_required
def arrangement_recommendations(request, pk: int):
    arrangement = _arrangement(request, pk)
    return _recommendations(
        request,
        building.arrangement_subject(arrangement, request.user),
        allowed=permissions.can_edit(request.user, arrangement),
        back_url=f"/arrangements/{pk}/report/",
        save=lambda text: report_writes.save_recommendations(request.user, text, arrangement=arrangement),
    )


def organisation_report(request, code: str):
    organisation = get_organisation(code)
    subject = building.organisation_subject(organisation, request.user)
    return _page(
        request,
        subject,
        back_url=organisation.get_absolute_url(),
        base=f"/organisations/{organisation.code}/report",
        can_edit=can_edit_organisation(request.user, organisation),
    )


def organisation_pdf(request, code: str):
    """Rendered inline up to `jobs.INLINE_LIMIT` arrangements; a larger portfolio's PDF is written by
    a background job, and this answers with its progress page."""
    organisation = get_organisation(code)
    subject = building.organisation_subject(organisation, request.user)
    if len(subject.portfolio.rows) <= jobs.INLINE_LIMIT:
        return _pdf(request, subject)
    job = ReportJob.objects.create(
        organisation=organisation, requested_by=request.user if request.user.is_authenticated else None
    )
    request.session.setdefault("report_jobs", [])
    request.session["report_jobs"] = [*request.session["report_jobs"][-19:], job.pk]
    jobs.start(job)
    return redirect("reports:job", pk=job.pk)


def _own_job(request, pk: int) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("organisation"), pk=pk)
    mine = job.requested_by_id == request.user.pk if request.user.is_authenticated else False
    if not (mine or pk in request.session.get("report_jobs", [])):
        raise Http404("No such report")
    return job


def job_status(request, pk: int):
    job = _own_job(request, pk)
    return render(request, "reports/job.html", {"job": job})


def job_pdf(request, pk: int):
    job = _own_job(request, pk)
    if job.state != ReportJob.State.DONE:
        return redirect("reports:job", pk=pk)
    response = HttpResponse(bytes(job.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(job.organisation.name)}-report.pdf"'
    return response


def organisation_figures(request, code: str, fmt: str):
    return _figures(building.organisation_subject(get_organisation(code), request.user), fmt)


@login_required
def organisation_recommendations(request, code: str):
    organisation = get_organisation(code)
    return _recommendations(
        request,
        building.organisation_subject(organisation, request.user),
        allowed=can_edit_organisation(request.user, organisation),
        back_url=f"/organisations/{organisation.code}/report/",
        save=lambda text: report_writes.save_recommendations(request.user, text, organisation=organisation),
    )
