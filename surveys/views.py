"""The annual survey in the GOV.UK question-page and "check your answers" pattern.

Answers are kept as the organisation's draft on the server (`SurveyDraft`) until an
editor submits them on the check page, so nothing changes in the register until then,
going back to change an answer is safe, and signing out (or handing over to a
colleague) loses nothing. Submitted changes then wait for a moderator.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.models import Membership, Role
from accounts.permissions import can_edit_organisation
from arrangements.models import Status
from organisations.services import get_organisation
from surveys import services
from surveys.forms import ConfirmArrangementForm, NewArrangementsForm
from surveys.models import SurveyRound


def _context(request, year: int, code: str):
    survey = get_object_or_404(SurveyRound, year=year)
    if not services.is_open(survey):
        raise PermissionDenied(
            f"The {survey.label} survey is not open: it runs from "
            f"{survey.opens_on:%-d %B %Y} to {survey.closes_on:%-d %B %Y}."
        )
    organisation = get_organisation(code)
    if not can_edit_organisation(request.user, organisation):
        raise PermissionDenied(f"Only editors of {organisation.name} can answer its survey.")
    arrangements = services.arrangements_to_confirm(organisation, request.user)
    draft = services.draft_for(survey, organisation)
    answers = draft.answers if draft else services.empty_answers()
    return survey, organisation, arrangements, draft, answers


@login_required
def index(request):
    survey = services.current_round()
    if request.user.is_moderator:
        organisations = None
    else:
        organisations = [
            m.organisation
            for m in Membership.objects.filter(user=request.user, role__in=[Role.EDITOR, Role.ADMIN]).select_related(
                "organisation"
            )
        ]
    responded = set(survey.responses.values_list("organisation_id", flat=True)) if survey else set()
    drafting = set(survey.drafts.values_list("organisation_id", flat=True)) if survey else set()
    return render(
        request,
        "surveys/index.html",
        {"survey": survey, "organisations": organisations, "responded": responded, "drafting": drafting},
    )


@login_required
def start(request, year: int, code: str):
    survey, organisation, arrangements, draft, _answers = _context(request, year, code)
    return render(
        request,
        "surveys/start.html",
        {"survey": survey, "organisation": organisation, "arrangements": arrangements, "draft": draft},
    )


@login_required
def question(request, year: int, code: str, number: int):
    survey, organisation, arrangements, _draft, answers = _context(request, year, code)
    if not 1 <= number <= len(arrangements):
        raise Http404("No such question")
    arrangement = arrangements[number - 1]
    saved = answers["arrangements"].get(str(arrangement.pk))
    initial = (
        {
            "status": saved["status"],
            "savings": saved.get("savings_text", ""),
            "note": saved.get("note", ""),
            "period": saved.get("period") or survey.label,
        }
        if saved
        else {"status": arrangement.status, "period": survey.label}
    )
    form = ConfirmArrangementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_answer(
            survey,
            organisation,
            request.user,
            arrangement,
            {
                "title": arrangement.title,
                "previous_status": arrangement.status,
                "status": form.cleaned_data["status"],
                "savings": form.cleaned_data["savings"],
                "savings_text": request.POST.get("savings", ""),
                "period": form.cleaned_data["period"],
                "note": form.cleaned_data["note"],
            },
        )
        if request.GET.get("change"):
            return redirect("surveys:check", year=year, code=organisation.code)
        if number < len(arrangements):
            return redirect("surveys:question", year=year, code=organisation.code, number=number + 1)
        return redirect("surveys:new", year=year, code=organisation.code)
    back = (
        reverse("surveys:question", args=[year, organisation.code, number - 1])
        if number > 1
        else reverse("surveys:start", args=[year, organisation.code])
    )
    return render(
        request,
        "surveys/question.html",
        {
            "survey": survey,
            "organisation": organisation,
            "arrangement": arrangement,
            "form": form,
            "number": number,
            "count": len(arrangements),
            "back": back,
        },
    )


@login_required
def new_arrangements(request, year: int, code: str):
    survey, organisation, arrangements, _draft, answers = _context(request, year, code)
    form = NewArrangementsForm(request.POST or None, initial={"has_new": answers.get("has_new")})
    if request.method == "POST" and form.is_valid():
        services.save_has_new(survey, organisation, request.user, form.cleaned_data["has_new"])
        return redirect("surveys:check", year=year, code=organisation.code)
    back = (
        reverse("surveys:question", args=[year, organisation.code, len(arrangements)])
        if arrangements
        else reverse("surveys:start", args=[year, organisation.code])
    )
    return render(
        request, "surveys/new.html", {"survey": survey, "organisation": organisation, "form": form, "back": back}
    )


@login_required
def check(request, year: int, code: str):
    survey, organisation, arrangements, draft, answers = _context(request, year, code)
    missing = [i + 1 for i, a in enumerate(arrangements) if str(a.pk) not in answers["arrangements"]]
    problem, changed = None, False
    if request.method == "POST":
        if missing:
            return redirect("surveys:question", year=year, code=organisation.code, number=missing[0])
        try:
            services.submit_draft(survey, organisation, request.user, arrangements, seen=request.POST.get("draft"))
        except services.DraftChanged:
            changed = True  # show the answers as they are now, to be checked again
        except PermissionError as error:
            raise PermissionDenied(str(error)) from error
        except ValueError as error:  # the write path refused an answer: say so, keep the draft
            problem = str(error)
        else:
            messages.success(request, f"Survey for {organisation.name} submitted. Thank you.")
            return render(
                request,
                "surveys/done.html",
                {"survey": survey, "organisation": organisation, "has_new": answers.get("has_new") == "yes"},
            )
    return render(
        request,
        "surveys/check.html",
        {
            "survey": survey,
            "organisation": organisation,
            "rows": _check_rows(arrangements, answers),
            "has_new": answers.get("has_new"),
            "missing": missing,
            "draft": draft,
            "stamp": services.draft_stamp(draft),
            "problem": problem,
            "changed": changed,
        },
    )


def _check_rows(arrangements, answers: dict) -> list[dict]:
    labels = dict(Status.choices)
    rows = []
    for number, arrangement in enumerate(arrangements, start=1):
        answer = answers["arrangements"].get(str(arrangement.pk))
        rows.append(
            {
                "number": number,
                "arrangement": arrangement,
                "answer": answer,
                "status_label": labels.get(answer["status"]) if answer else None,
            }
        )
    return rows


@login_required
def responses(request, year: int):
    if not request.user.is_moderator:
        raise PermissionDenied("Only moderators can see who has responded.")
    survey = get_object_or_404(SurveyRound, year=year)
    table = services.response_table(survey)
    return render(
        request,
        "surveys/responses.html",
        {
            "survey": survey,
            "table": table,
            "responded": sum(1 for r in table if r["submitted_at"]),
            "pending": sum(r["pending"] for r in table),
        },
    )
