"""The benefits plan and sign-off, through the API: the same write paths and permissions as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from accounts.api_auth import ReadAuth, TokenAuth
from arrangements import permissions, writes
from arrangements.api import problems_body
from arrangements.models import Arrangement, LedgerEntry
from arrangements.schemas import MessageOut, ProblemsOut
from benefits import services
from benefits import writes as benefit_writes
from benefits.models import SignOff

router = Router()


class ValueIn(Schema):
    period: str
    planned: Decimal | str | None = None
    actual: Decimal | str | None = None


class MeasureIn(Schema):
    """A measure by its name: added, or changed when the plan already has one of that name; with any
    values to record (a value sent empty clears that period's figure)."""

    name: str
    kind: str
    unit: str = ""
    higher_is_better: bool = True
    owner: str
    baseline_value: Decimal | str | None = None
    baseline_on: dt.date | str | None = None
    target_value: Decimal | str | None = None
    target_on: dt.date | str | None = None
    frequency: str = "annual"
    values: list[ValueIn] = []


class RowOut(Schema):
    period: str
    planned: float | None
    actual: float | None
    actual_standing: str
    rag: str | None


class MeasureOut(Schema):
    id: int
    name: str
    kind: str
    unit: str
    higher_is_better: bool
    owner: str
    baseline_value: float | None
    baseline_on: dt.date | None
    target_value: float | None
    target_on: dt.date | None
    frequency: str
    rag: str | None
    values: list[RowOut]


class PlanOut(Schema):
    arrangement: int
    rag: str | None
    baseline_recorded: bool
    thresholds: list[str]
    measures: list[MeasureOut]


class SignOffIn(Schema):
    note: str = ""


class WithdrawIn(Schema):
    reason: str


class SignOffOut(Schema):
    entry: int
    period: str
    amount: int
    standing: str
    signed_off: str
    signed_off_by: str | None
    signed_off_on: dt.date | None


def _float(value) -> float | None:
    return None if value is None else float(value)


def _plan(request, arrangement: Arrangement) -> dict:
    plan = services.plan_for(arrangement)
    return {
        "arrangement": arrangement.pk,
        "rag": plan.rag,
        "baseline_recorded": plan.baseline,
        "thresholds": [text for _key, text in plan.thresholds],
        "measures": [
            {
                "id": v.measure.pk,
                "name": v.measure.name,
                "kind": v.measure.kind,
                "unit": v.measure.unit,
                "higher_is_better": v.measure.higher_is_better,
                "owner": v.measure.owner.code,
                "baseline_value": _float(v.measure.baseline_value),
                "baseline_on": v.measure.baseline_on,
                "target_value": _float(v.measure.target_value),
                "target_on": v.measure.target_on,
                "frequency": v.measure.frequency,
                "rag": v.rag,
                "values": [
                    {
                        "period": r.period,
                        "planned": _float(r.planned),
                        "actual": _float(r.actual),
                        "actual_standing": r.standing,
                        "rag": r.rag,
                    }
                    for r in v.rows
                ],
            }
            for v in plan.measures
        ],
    }


def _arrangement(request, pk: int) -> Arrangement:
    return get_object_or_404(Arrangement.objects.visible_to(request.user), pk=pk)


@router.get(
    "/{pk}/benefits",
    response={200: PlanOut, 404: MessageOut},
    auth=ReadAuth(),
    summary="An arrangement's benefits plan, with its actuals and RAG",
)
def get_plan(request, pk: int):
    """Whoever may see the arrangement sees its plan: the public, those of published arrangements; partners'
    members and moderators also those of drafts. A financial measure's values are the money ledger's expected and
    achieved savings (`actual_standing` says whether an actual is reported or signed off)."""
    return _plan(request, _arrangement(request, pk))


@router.post(
    "/{pk}/benefits",
    response={200: PlanOut, 403: MessageOut, 404: MessageOut, 422: ProblemsOut},
    auth=TokenAuth(),
    summary="Add or change a measure of the benefits plan, and record its values (partners' editors)",
)
def post_plan(request, pk: int, payload: MeasureIn):
    """Periods are financial years (2025/26) or, for quarterly measures, quarters (2025/26 Q1). Answers with the
    whole plan. Nothing is saved when any problem is found."""
    arrangement = _arrangement(request, pk)
    raw = payload.dict()
    raw["values"] = [item.dict(exclude_unset=True) for item in payload.values]
    outcome = benefit_writes.save_plan_item(request.user, arrangement, raw)
    if outcome.forbidden:
        return 403, {"detail": outcome.problems[0].message}
    if outcome.problems:
        return 422, problems_body(outcome.problems)
    return 200, _plan(request, arrangement)


def _entry(request, pk: int, entry_id: int) -> LedgerEntry:
    arrangement = _arrangement(request, pk)
    return get_object_or_404(
        LedgerEntry.objects.select_related("arrangement", "partner"), pk=entry_id, arrangement=arrangement
    )


def _signed(request, entry: LedgerEntry) -> dict:
    entry.refresh_from_db()
    current = SignOff.objects.filter(entry=entry, withdrawn_at__isnull=True).select_related("organisation").first()
    names = permissions.is_partner_member(request.user, entry.arrangement)
    return {
        "entry": entry.pk,
        "period": entry.period,
        "amount": entry.amount,
        "standing": entry.standing,
        "signed_off": current.public_text if current else "",
        "signed_off_by": (entry.signed_off_by or None) if names else None,
        "signed_off_on": entry.signed_off_on,
    }


def _answer(request, entry: LedgerEntry, outcome: writes.Outcome):
    if outcome.forbidden:
        return 403, {"detail": outcome.problems[0].message}
    if outcome.problems:
        return 422, problems_body(outcome.problems)
    return 200, _signed(request, entry)


SIGN = {200: SignOffOut, 403: MessageOut, 404: MessageOut, 422: ProblemsOut}


@router.post(
    "/{pk}/ledger/{entry_id}/sign-off",
    response=SIGN,
    auth=TokenAuth(),
    summary="Sign off a reported achieved saving (a partner's finance lead)",
)
def sign_off(request, pk: int, entry_id: int, payload: SignOffIn):
    """Only a member who can sign off savings, of a partner (for a partner's share, of that partner), and only
    the published version. Takes effect at once, and is in the history."""
    entry = _entry(request, pk, entry_id)
    return _answer(request, entry, writes.sign_off(request.user, entry, payload.note, writes.api()))


@router.post(
    "/{pk}/ledger/{entry_id}/withdraw-sign-off",
    response=SIGN,
    auth=TokenAuth(),
    summary="Withdraw a sign-off, with the reason (a partner's finance lead)",
)
def withdraw_sign_off(request, pk: int, entry_id: int, payload: WithdrawIn):
    entry = _entry(request, pk, entry_id)
    return _answer(request, entry, writes.withdraw_sign_off(request.user, entry, payload.reason, writes.api()))


portfolio_router = Router()


class PortfolioRow(Schema):
    id: int
    url: str
    title: str
    role: str
    joined_on: dt.date | None
    left_on: dt.date | None
    services: list[str]
    status: str
    status_label: str
    status_since: str
    expected: int
    achieved: int
    reported_not_signed_off: int
    benefits_rag: str | None
    baseline_recorded: bool


class PortfolioTotals(Schema):
    arrangements: int
    expected: int
    achieved: int
    reported_not_signed_off: int
    live_without_baseline: int


class PortfolioOrganisation(Schema):
    code: str
    name: str
    current: bool


class PortfolioContract(Schema):
    description: str
    category: str
    ends_on: dt.date


class PortfolioPost(Schema):
    title: str
    category: str
    url: str


class PortfolioOut(Schema):
    organisation: PortfolioOrganisation
    as_at: dt.date
    totals: PortfolioTotals
    arrangements: list[PortfolioRow]
    contracts: list[PortfolioContract]
    open_posts: list[PortfolioPost]
    find_partners_url: str


@portfolio_router.get(
    "/{code}/portfolio",
    response={200: PortfolioOut, 404: MessageOut},
    auth=ReadAuth(),
    summary="An organisation's portfolio: every arrangement it is or was in, with its results",
)
def get_portfolio(request, code: str):
    """What its profile page shows: role, services, status and since when, expected and signed-off achieved
    savings (whole arrangements; totals count each pound once), the benefits plan's RAG, whether a baseline is
    recorded, its contract end dates and open board posts. Only arrangements the caller may see. An abolished
    council keeps its portfolio."""
    from benefits.portfolio import as_api, portfolio
    from organisations.services import get_organisation

    organisation = get_organisation(code)
    return as_api(portfolio(organisation, request.user), request.build_absolute_uri("/")[:-1])
