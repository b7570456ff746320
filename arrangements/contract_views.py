"""Contract end dates: an organisation's editors record when its contracts end, so the
partner finder can say whose contract for the same service ends at the same time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from accounts.permissions import can_edit_organisation
from arrangements.contract_forms import ContractForm
from arrangements.models import Contract
from organisations.models import Organisation


def _may_record(user, organisation) -> None:
    if not can_edit_organisation(user, organisation):
        raise PermissionDenied("Only editors of this organisation and moderators can record its contracts.")


def _back(organisation) -> str:
    return f"{organisation.get_absolute_url()}#contracts"


@login_required
def add(request, code: str):
    organisation = get_object_or_404(Organisation.objects.current(), code=code)
    _may_record(request.user, organisation)
    form = ContractForm(request.POST or None, initial={"category": request.GET.get("category")})
    if request.method == "POST" and form.is_valid():
        form.instance.organisation = organisation
        form.instance._change_reason = "Recorded on the organisation page"
        contract = form.save()
        messages.success(request, f"Contract recorded: {contract}.")
        return redirect(_back(organisation))
    return render(
        request, "arrangements/contract_form.html", {"form": form, "organisation": organisation, "adding": True}
    )


@login_required
def edit(request, pk: int):
    contract = get_object_or_404(Contract.objects.select_related("organisation", "service"), pk=pk)
    _may_record(request.user, contract.organisation)
    form = ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        contract._change_reason = "Changed on the organisation page"
        form.save()
        messages.success(request, f"Contract saved: {contract}.")
        return redirect(_back(contract.organisation))
    return render(
        request,
        "arrangements/contract_form.html",
        {"form": form, "organisation": contract.organisation, "contract": contract},
    )


@login_required
def delete(request, pk: int):
    contract = get_object_or_404(Contract.objects.select_related("organisation"), pk=pk)
    organisation = contract.organisation
    _may_record(request.user, organisation)
    if request.method == "POST":
        contract._change_reason = "Removed on the organisation page"
        contract.delete()  # the history keeps it
        messages.success(request, f"Contract removed: {contract}.")
        return redirect(_back(organisation))
    return render(request, "arrangements/contract_delete.html", {"contract": contract, "organisation": organisation})
