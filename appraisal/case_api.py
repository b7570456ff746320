"""`GET`/`PUT /api/v1/arrangements/{id}/business-case`: an arrangement's stored business case.

The door only translates: JSON to the case document, `appraisal.writes` for every rule of
who may see and change it, and the same results the page shows. A draft is not found (404)
for anyone but its partners' members and moderators; a write by anyone but a partner's
editor or a moderator is refused (403); problems answer 422, each naming its field.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router

from accounts.api_auth import ReadAuth, TokenAuth
from appraisal import inputs, writes
from appraisal.api import results_body
from appraisal.models import BusinessCase
from appraisal.schemas import BusinessCaseIn, BusinessCaseOut
from arrangements import writes as arrangement_writes
from arrangements.models import Arrangement
from arrangements.schemas import MessageOut, ProblemsOut

router = Router()

DESCRIPTION = """The partners of an arrangement build one business case together (`inputs`, the same
lines, optimism bias, risk and split as the pages). Results are worked as on the results page:
optimism bias first (each adjustment with its reason; the savings cut from the register's
reference class where asked), then the appraisal, the seeded risk analysis and the split,
and the reality check against comparable arrangements' signed-off achieved savings.

A draft is seen only by members of a partner organisation and moderators (404 for anyone
else) and writes nothing to the money ledger. A partner's editor shares it on the site; from
then on everyone who can see the arrangement can see it, and each `PUT` is a new numbered
version whose plan replaces the last one's `expected` savings in the ledger."""


def _arrangement(request, pk: int) -> Arrangement:
    return get_object_or_404(Arrangement.objects.visible_to(request.user), pk=pk)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _body(case: BusinessCase, arrangement: Arrangement) -> dict[str, Any]:
    found = inputs.problems(case.data, writes.partner_codes(arrangement))
    body: dict[str, Any] = {
        "arrangement": arrangement.pk,
        "shared": case.shared,
        "version": case.version,
        "shared_at": _iso(case.shared_at),
        "updated_at": _iso(case.updated_at),
        "inputs": case.data,
        "results": None,
        "reality_check": None,
        "problems": [{"field": p.field, "code": p.code, "message": p.message} for p in found],
    }
    if not found:
        results = inputs.evaluate(case.data, arrangement)
        body["results"] = results_body(results.appraisal, results.bias, results.risk, results.split)
        body["reality_check"] = {**results.reality.as_dict(), "note": results.reality_note}
    return body


def _document(payload: BusinessCaseIn) -> dict[str, Any]:
    """The stored shape: omitted optimism bias figures are the guidance's upper bounds for the project type."""
    data = payload.dict()
    bias = data["optimism_bias"]
    if bias["project_type"] in inputs.PROJECT_TYPES:
        bounds = inputs.guidance_bias(bias["project_type"])
        for key in ("one_off_costs_pct", "running_costs_pct", "delay_years"):
            if bias[key] is None:
                bias[key] = bounds[key]
    return data


@router.get(
    "/{pk}/business-case",
    response={200: BusinessCaseOut, 404: MessageOut},
    auth=ReadAuth(),
    summary="An arrangement's business case",
    description=DESCRIPTION,
)
def get_case(request, pk: int):
    arrangement = _arrangement(request, pk)
    case = writes.case_of(arrangement)
    if not writes.can_see(request.user, arrangement, case):
        raise Http404("This arrangement has no business case you can see")
    return 200, _body(case, arrangement)


@router.put(
    "/{pk}/business-case",
    response={200: BusinessCaseOut, 403: MessageOut, 404: MessageOut, 422: ProblemsOut},
    auth=TokenAuth(),
    summary="Create or replace an arrangement's business case (editors of a partner organisation)",
    description=DESCRIPTION,
)
def put_case(request, pk: int, payload: BusinessCaseIn):
    arrangement = _arrangement(request, pk)
    case = writes.case_of(arrangement)
    if case is not None and not writes.can_see(request.user, arrangement, case):
        raise Http404("This arrangement has no business case you can see")
    outcome = writes.save(request.user, arrangement, _document(payload), arrangement_writes.api())
    if outcome.forbidden:
        return 403, {"detail": outcome.problems[0].message}
    if outcome.problems:
        count = len(outcome.problems)
        return 422, {
            "detail": f"{count} problem{'s' if count != 1 else ''}: nothing was saved",
            "problems": [{"field": p.field, "code": p.code, "message": p.message} for p in outcome.problems],
        }
    return 200, _body(outcome.case, arrangement)
