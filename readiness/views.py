"""The readiness pages: results, the questionnaire, new rounds, publication and the action plan.
Every write goes through `readiness.writes`; the scores come from `readiness.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from arrangements.models import Arrangement
from engines import readiness as engine
from evidence.models import Factor, Source
from organisations.models import Organisation
from readiness import permissions, questions, services, writes
from readiness.forms import ActionForm, AnswerForm
from readiness.models import Action

WEAK = ("red", "amber")


def _arrangement(request, pk: int) -> Arrangement:
    return get_object_or_404(Arrangement.objects.visible_to(request.user), pk=pk)


def _partners(arrangement) -> list[Organisation]:
    ids = permissions.current_partner_ids(arrangement)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _show_problems(form, problems) -> None:
    for problem in problems:
        name = problem.field if problem.field in form.fields else None
        form.add_error(name, problem.message)


def _problem(request, arrangement, outcome):
    """A refused action that has no form to show its problem in: say what it was, with a way back."""
    context = {"arrangement": arrangement, "problems": outcome.problems}
    return render(request, "readiness/private.html", context, status=409)


def results(request, pk: int):
    arrangement = _arrangement(request, pk)
    partner_view = permissions.can_see_answers(request.user, arrangement)
    round_ = services.current_round(arrangement)
    if not partner_view:
        round_ = arrangement.readiness_rounds.filter(published_at__isnull=False).order_by("-number").first()
        if round_ is None:
            return render(request, "readiness/private.html", {"arrangement": arrangement}, status=403)
    factors = list(Factor.objects.all())
    labels = {f.key: f.label for f in factors}
    result = services.score_round(round_) if round_ is not None else None
    answers = services.answers_by_partner(round_) if (round_ is not None and partner_view) else {}
    codes = sorted(answers)
    names = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
    flagged_factors = {d.factor for d in result.disagreements if d.question is None} if result else set()
    flagged_questions = {d.question for d in result.disagreements if d.question} if result else set()
    factor_rows = []
    if result is not None:
        for f in result.factors:
            factor_rows.append(
                {
                    "key": f.factor,
                    "label": labels.get(f.factor, f.factor),
                    "score": f.score,
                    "rag": f.rag,
                    "partners": [f.by_partner.get(code) for code in codes],
                    "disagreement": f.factor in flagged_factors,
                }
            )
    stage = round_.stage if round_ is not None else services.stage_of(arrangement)
    question_rows = []
    if partner_view and round_ is not None:
        for q in questions.for_stage(stage, "full"):
            given = [answers.get(code, {}).get(q.id) for code in codes]
            if any(given):
                question_rows.append(
                    {"question": q, "label": labels.get(q.factor, q.factor), "answers": given,
                     "disagreement": q.id in flagged_questions}
                )  # fmt: skip
    recommendations = []
    if partner_view:
        for factor in factors:
            row = next((r for r in factor_rows if r["key"] == factor.key), None)
            if row and row["rag"] in WEAK:
                recommendations.append({"factor": factor, "rag": row["rag"], "score": row["score"],
                                        "sources": list(services.sources_for(factor.key)[:4])})  # fmt: skip
    can_plan = permissions.can_plan(request.user, arrangement)
    ended_count, calibration = services.calibration() if partner_view else (0, None)
    context = {
        "arrangement": arrangement,
        "round": round_,
        "partner_view": partner_view,
        "stage_label": engine.STAGE_LABELS[stage],
        "thresholds": {"green": engine.GREEN_AT, "amber": engine.AMBER_AT, "disagreement": engine.DISAGREEMENT_AT},
        "result": result,
        "partner_names": [names.get(c, c) for c in codes],
        "factor_rows": factor_rows,
        "question_rows": question_rows,
        "disagreement_count": len(result.disagreements) if (result and partner_view) else 0,
        "recommendations": recommendations,
        "actions": services.action_plan(arrangement) if permissions.can_see_plan(request.user, arrangement) else [],
        "labels": labels,
        "trend": services.trend(arrangement) if partner_view else [],
        "checklists": services.checklists(result),
        "can_answer": bool(permissions.answerable_organisation_ids(request.user, arrangement)),
        "can_start_round": permissions.can_start_round(request.user, arrangement),
        "can_plan": can_plan,
        "action_form": _action_form(arrangement, None) if can_plan else None,
        "ended_count": ended_count,
        "calibration": calibration,
        "minimum_ended": engine.MINIMUM_ENDED,
        "scale_labels": questions.scale_labels(),
    }
    return render(request, "readiness/results.html", context)


@login_required
def answer(request, pk: int):
    arrangement = _arrangement(request, pk)
    allowed = permissions.answerable_organisation_ids(request.user, arrangement)
    organisations = list(Organisation.objects.filter(pk__in=allowed).order_by("name"))
    if not organisations:
        return render(request, "readiness/private.html", {"arrangement": arrangement, "refused": True}, status=403)
    code = request.POST.get("organisation") or request.GET.get("organisation") or organisations[0].code
    organisation = next((o for o in organisations if o.code == code), None)
    if organisation is None and request.method == "POST":
        # Never answer for another organisation than the one named: refuse, as the write path does.
        return render(request, "readiness/private.html", {"arrangement": arrangement, "refused": True}, status=403)
    organisation = organisation or organisations[0]
    mode = request.GET.get("mode", "light")
    mode = mode if mode in questions.MODES else "light"
    round_ = services.current_round(arrangement)
    stage = round_.stage if round_ is not None else services.stage_of(arrangement)
    asked = questions.for_stage(stage, mode)
    initial = {}
    if round_ is not None:
        for a in round_.answers.filter(organisation=organisation):
            initial[f"q_{a.question}"] = str(a.value)
            initial[f"c_{a.question}"] = a.comment
    form = AnswerForm(request.POST or None, questions=asked, initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = writes.answer(request.user, arrangement, organisation.code, form.answers())
        if outcome.ok:
            messages.success(request, f"Answers saved for {organisation.name}.")
            return redirect("readiness:results", pk=arrangement.pk)
        _show_problems(form, outcome.problems)
    labels = {f.key: f.label for f in Factor.objects.all()}
    titles = dict(Source.objects.values_list("key", "title"))
    items = [
        (q, field, comment, labels.get(q.factor, q.factor), [(key, titles.get(key, key)) for key in q.sources])
        for q, field, comment in form.pairs()
    ]
    return render(
        request,
        "readiness/answer.html",
        {
            "arrangement": arrangement,
            "form": form,
            "items": items,
            "organisation": organisation,
            "organisations": organisations,
            "mode": mode,
            "stage_label": engine.STAGE_LABELS[stage],
        },
    )


@require_POST
@login_required
def new_round(request, pk: int):
    arrangement = _arrangement(request, pk)
    outcome = writes.start_round(request.user, arrangement)
    if outcome.forbidden:
        return render(request, "readiness/private.html", {"arrangement": arrangement, "refused": True}, status=403)
    if not outcome.ok:
        return _problem(request, arrangement, outcome)
    messages.success(request, f"Assessment round {outcome.value.number} started.")
    return redirect("readiness:results", pk=arrangement.pk)


@require_POST
@login_required
def publish(request, pk: int):
    arrangement = _arrangement(request, pk)
    outcome = writes.publish(request.user, arrangement, publish=request.POST.get("publish") != "no")
    if outcome.forbidden:
        return render(request, "readiness/private.html", {"arrangement": arrangement, "refused": True}, status=403)
    if not outcome.ok:
        return _problem(request, arrangement, outcome)
    messages.success(request, "Summary published." if outcome.value.published_at else "Summary withdrawn.")
    return redirect("readiness:results", pk=arrangement.pk)


def _action_form(arrangement, data, action: Action | None = None) -> ActionForm:
    initial = {}
    if action is not None:
        initial = {"factor": action.factor, "text": action.text, "owner": action.owner.code,
                   "due_on": action.due_on.isoformat(), "done": action.done}  # fmt: skip
    return ActionForm(
        data,
        initial=initial,
        factors=list(Factor.objects.values_list("key", "label")),
        owners=[(o.code, o.name) for o in _partners(arrangement)],
        editing=action is not None,
    )


@login_required
def action(request, pk: int, action_pk: int | None = None):
    """Add an action (POST to the plan) or change one (its own page)."""
    arrangement = _arrangement(request, pk)
    existing = get_object_or_404(arrangement.readiness_actions, pk=action_pk) if action_pk else None
    if not permissions.can_plan(request.user, arrangement):
        return render(request, "readiness/private.html", {"arrangement": arrangement, "refused": True}, status=403)
    form = _action_form(arrangement, request.POST or None, existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "factor": data["factor"],
            "text": data["text"],
            "owner": data["owner"],
            # The date input's ISO text: the write path reads it, as it does the API's.
            "due_on": data["due_on"],
        }
        if existing is None:
            outcome = writes.add_action(request.user, arrangement, **fields)
        else:
            outcome = writes.change_action(request.user, existing, done=data.get("done", False), **fields)
        if outcome.ok:
            messages.success(request, "Action saved.")
            return redirect(f"{arrangement.get_absolute_url()}readiness/#action-plan")
        _show_problems(form, outcome.problems)
    return render(request, "readiness/action.html", {"arrangement": arrangement, "form": form, "action": existing})
