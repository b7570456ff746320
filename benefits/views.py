"""The benefits plan page (measures, RAG, charts, values, upload) and the sign-off screens.

Every write goes through `benefits.writes` or `arrangements.writes`; these views show the
forms, carry what was typed there and show the problems beside the boxes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from arrangements import permissions, writes
from arrangements.models import Arrangement, LedgerEntry
from benefits import services
from benefits import writes as benefit_writes
from benefits.forms import MeasureForm, SignOffForm, UploadForm, ValuesForm, WithdrawForm
from benefits.models import BenefitMeasure, SignOff


def _arrangement(request, pk: int) -> Arrangement:
    return get_object_or_404(Arrangement.objects.visible_to(request.user).prefetch_related("ledger"), pk=pk)


def _owners(arrangement: Arrangement):
    return [
        p.organisation for p in arrangement.partnerships.select_related("organisation").order_by("organisation__name")
    ]


def _plan_url(arrangement: Arrangement) -> str:
    return f"/arrangements/{arrangement.pk}/benefits/"


def plan(request, pk: int):
    """The plan: who may see the arrangement sees its plan (the public, those of published ones)."""
    arrangement = _arrangement(request, pk)
    can_edit = permissions.can_edit(request.user, arrangement)
    form = MeasureForm(owners=_owners(arrangement))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only editors of a partner can change its benefits plan.")
        form = MeasureForm(request.POST, owners=_owners(arrangement))
        form.is_valid()
        outcome = benefit_writes.save_measure(request.user, arrangement, request.POST)
        if outcome.ok:
            messages.success(request, f"Measure added: {outcome.measure.name}.")
            return redirect(f"{_plan_url(arrangement)}{outcome.measure.pk}/")
        form.show(outcome.problems)
    return render(
        request,
        "benefits/plan.html",
        {
            "arrangement": arrangement,
            "plan": services.plan_for(arrangement),
            "can_edit": can_edit,
            "form": form,
            "upload_form": UploadForm(),
        },
    )


def measure(request, pk: int, measure_id: int):
    arrangement = _arrangement(request, pk)
    item = get_object_or_404(BenefitMeasure.objects.select_related("owner"), pk=measure_id, arrangement=arrangement)
    can_edit = permissions.can_edit(request.user, arrangement)
    initial = {
        "name": item.name,
        "kind": item.kind,
        "unit": item.unit,
        "higher_is_better": "true" if item.higher_is_better else "false",
        "owner": item.owner.code,
        "baseline_value": item.baseline_value if item.baseline_value is not None else "",
        "baseline_on": item.baseline_on.isoformat() if item.baseline_on else "",
        "target_value": item.target_value if item.target_value is not None else "",
        "target_on": item.target_on.isoformat() if item.target_on else "",
        "frequency": item.frequency,
    }
    form = MeasureForm(initial=initial, owners=_owners(arrangement), prefix="measure")
    values_form = ValuesForm(prefix="values")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only editors of a partner can change its benefits plan.")
        if "values-period" in request.POST:
            values_form = ValuesForm(request.POST, prefix="values")
            values_form.is_valid()
            row = {"period": request.POST.get("values-period", "")}
            for basis in ("planned", "actual"):
                if request.POST.get(f"values-{basis}", "").strip():
                    row[basis] = request.POST[f"values-{basis}"]
            outcome = benefit_writes.record_values(request.user, item, [row], source="entered on the site")
            if outcome.ok:
                messages.success(request, f"Saved {row['period']} for {item.name}.")
                return redirect(f"{_plan_url(arrangement)}{item.pk}/")
            values_form.show(outcome.problems)
        else:
            form = MeasureForm(request.POST, owners=_owners(arrangement), prefix="measure")
            form.is_valid()
            raw = {name: request.POST.get(f"measure-{name}", "") for name in benefit_writes.FIELDS}
            outcome = benefit_writes.save_measure(request.user, arrangement, raw, item)
            if outcome.ok:
                messages.success(request, f"Measure saved: {item.name}.")
                return redirect(f"{_plan_url(arrangement)}{item.pk}/")
            form.show(outcome.problems)
    ledger = list(arrangement.ledger.all())
    return render(
        request,
        "benefits/measure.html",
        {
            "arrangement": arrangement,
            "item": item,
            "view": services.measure_view(item, ledger, services.timezone.localdate()),
            "can_edit": can_edit,
            "form": form,
            "values_form": values_form,
        },
    )


@login_required
def upload(request, pk: int):
    arrangement = _arrangement(request, pk)
    if not permissions.can_edit(request.user, arrangement):
        raise PermissionDenied("Only editors of a partner can change its benefits plan.")
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST":
        upload_file = request.FILES.get("file")
        if upload_file is None:
            form.is_valid()
            form.add_error("file", "Choose a CSV or Excel file")
        else:
            outcome = benefit_writes.import_values(request.user, arrangement, upload_file.read(), upload_file.name)
            if outcome.ok:
                messages.success(request, f"Saved {outcome.values_written} values from {upload_file.name}.")
                return redirect(_plan_url(arrangement))
            problems = outcome.problems
    return render(request, "benefits/upload.html", {"arrangement": arrangement, "form": form, "problems": problems})


def _entry(request, pk: int, entry_id: int) -> LedgerEntry:
    arrangement = _arrangement(request, pk)
    return get_object_or_404(
        LedgerEntry.objects.select_related("arrangement", "partner"), pk=entry_id, arrangement=arrangement
    )


def _sign_off_step(
    request, pk: int, entry_id: int, *, refusal: str, form_class, words: str, write, done: str, template: str
):
    """Signing off an achieved saving and withdrawing a sign-off, one page each: only a
    partner's finance lead; `write(user, entry, text, door)` is the write path, given the form's
    `words` field (the note, or the reason); `done` is said on success, with the entry's period.
    The withdrawal page also shows the standing sign-off."""
    entry = _entry(request, pk, entry_id)
    if permissions.sign_off_organisation(request.user, entry) is None:
        raise PermissionDenied(refusal)
    form = form_class(request.POST or None)
    if request.method == "POST":
        form.is_valid()
        outcome = write(request.user, entry, request.POST.get(words, ""), writes.site())
        if outcome.ok:
            messages.success(request, done.format(period=entry.period))
            return redirect(f"{entry.arrangement.get_absolute_url()}#money")
        form.show(outcome.problems)
    context = {"entry": entry, "arrangement": entry.arrangement, "form": form}
    if form_class is WithdrawForm:
        standing = SignOff.objects.filter(entry=entry, withdrawn_at__isnull=True)
        context["current"] = standing.select_related("organisation").first()
    return render(request, template, context)


@login_required
def sign_off(request, pk: int, entry_id: int):
    return _sign_off_step(
        request,
        pk,
        entry_id,
        refusal="Only a partner’s finance lead (a member who can sign off savings) can sign this off.",
        form_class=SignOffForm,
        words="note",
        write=writes.sign_off,
        done="Signed off the achieved saving for {period}.",
        template="benefits/sign_off.html",
    )


@login_required
def withdraw(request, pk: int, entry_id: int):
    return _sign_off_step(
        request,
        pk,
        entry_id,
        refusal="Only a partner’s finance lead can withdraw a sign-off.",
        form_class=WithdrawForm,
        words="reason",
        write=writes.withdraw_sign_off,
        done="Withdrew the sign-off of the achieved saving for {period}.",
        template="benefits/withdraw.html",
    )
