from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from accounts.api_auth import ReadAuth, TokenAuth
from arrangements import figures, listing, register, services, spec, writes
from arrangements.models import Arrangement, IdempotencyKey
from arrangements.schemas import (
    ArrangementCreate,
    ArrangementOut,
    ArrangementPage,
    ArrangementPatch,
    ArrangementPut,
    FiguresOut,
    MessageOut,
    ProblemsOut,
)

router = Router()


class ArrangementQuery(Schema):
    q: str = ""
    category: str = ""
    service: int | None = None
    model: str = ""
    status: str = ""
    nation: str = ""
    region: str = ""
    org_type: str = ""
    organisation: str = ""
    start_year: int | None = None
    page: int = 1
    page_size: int = 50


def _base(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _one(request, pk: int) -> dict:
    queryset = services.with_details(Arrangement.objects.visible_to(request.user))
    return services.record(get_object_or_404(queryset, pk=pk), _base(request), request.user)


def problems_body(problems) -> dict:
    return {
        "detail": f"{len(problems)} problem{'s' if len(problems) != 1 else ''}: nothing was saved",
        "problems": [
            {"field": p.field, "code": p.code, "message": p.message, "value": p.value or None} for p in problems
        ],
    }


def _answer(request, outcome: writes.Outcome, success: int = 200):
    if outcome.forbidden:
        return 403, {"detail": outcome.problems[0].message}
    if outcome.problems:
        return 422, problems_body(outcome.problems)
    status = 202 if outcome.revision is not None else success
    return status, _one(request, outcome.arrangement.pk)


def _editable(request, pk: int) -> Arrangement:
    return get_object_or_404(Arrangement.objects.visible_to(request.user), pk=pk)


WRITE = {200: ArrangementOut, 202: ArrangementOut, 403: MessageOut, 404: MessageOut, 422: ProblemsOut}
HELD = (
    "An editor's change to a published arrangement answers 202: it is held as a pending revision, shown in "
    "`pending_revision`, until a moderator approves it."
)


@router.get("", response=ArrangementPage, auth=ReadAuth(), summary="List and filter arrangements")
def list_arrangements(request, query: Query[ArrangementQuery]):
    """The same filters as the table and map pages. Published arrangements, plus your own drafts if signed in
    (with a bearer token or on the site)."""
    page_size = max(1, min(query.page_size, settings.API_MAX_PAGE_SIZE))
    filters = services.ArrangementFilters.from_mapping(query.dict())
    # The lean path builds exactly the documented shape (the tests check it against the schema),
    # so it is sent as it is rather than validated field by field a second time.
    body = listing.api_body(request.user, filters, query.page, page_size, _base(request))
    return HttpResponse(body, content_type="application/json")


@router.get("/{pk}", response={200: ArrangementOut, 404: MessageOut}, auth=ReadAuth(), summary="One arrangement")
def get_arrangement(request, pk: int):
    """With a bearer token, a partner's members also see its draft and its pending revision."""
    return _one(request, pk)


@router.post(
    "",
    auth=TokenAuth(),
    response={201: ArrangementOut, 403: MessageOut, 422: ProblemsOut},
    summary="Add an arrangement (editors of a partner organisation)",
    description="Send an `Idempotency-Key` header (any unique text) to make a retry safe: a second request "
    "with the same key answers with the arrangement the first one made.",
)
def create_arrangement(request, payload: ArrangementCreate):
    """Organisations by name, code or GSS code; services by LGSL number, name or category; money as `ledger`
    entries. New arrangements are published by a moderator."""
    raw = payload.dict()
    raw["kind"] = raw.get("kind") or spec.BY_NAME["kind"].import_default
    key = (request.headers.get("Idempotency-Key") or "").strip()[:200]
    if not key:
        return _answer(request, writes.create(request.user, raw, writes.api()), success=201)
    earlier = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if earlier is not None:
        return 201, _one(request, earlier.arrangement_id)
    # The key is kept in the same transaction as the arrangement: both are saved, or neither.
    with transaction.atomic():
        outcome = writes.create(request.user, raw, writes.api())
        if outcome.ok:
            IdempotencyKey.objects.create(user=request.user, key=key, arrangement=outcome.arrangement)
    return _answer(request, outcome, success=201)


@router.put(
    "/{pk}",
    auth=TokenAuth(),
    response=WRITE,
    summary="Replace an arrangement (every field required)",
    description="Send every field (as `GET` returns them); lists replace the whole list. Money entries that "
    "keep their `id` keep their history. " + HELD,
)
def replace_arrangement(request, pk: int, payload: ArrangementPut):
    arrangement = _editable(request, pk)
    return _answer(request, writes.change(request.user, arrangement, payload.dict(), writes.api()))


@router.patch(
    "/{pk}",
    auth=TokenAuth(),
    response=WRITE,
    summary="Change some of an arrangement's fields",
    description="Only the fields sent change; a list sent (ledger, partners, services, sources) replaces "
    "that whole list. " + HELD,
)
def patch_arrangement(request, pk: int, payload: ArrangementPatch):
    arrangement = _editable(request, pk)
    return _answer(
        request, writes.change(request.user, arrangement, payload.dict(exclude_unset=True), writes.api(), partial=True)
    )


@router.delete(
    "/{pk}",
    auth=TokenAuth(),
    response={200: MessageOut, 202: MessageOut, 403: MessageOut, 404: MessageOut},
    summary="Delete an arrangement (a soft delete a moderator can undo)",
)
def delete_arrangement(request, pk: int):
    arrangement = _editable(request, pk)
    outcome = writes.delete(request.user, arrangement, writes.api())
    if outcome.problems:
        return 403, {"detail": outcome.problems[0].message}
    if outcome.revision is not None:
        return 202, {"detail": f"Your request to delete “{arrangement.title}” waits for a moderator."}
    return 200, {"detail": f"Deleted “{arrangement.title}”. A moderator can restore it."}


@router.post(
    "/{pk}/publish",
    auth=TokenAuth(),
    response={200: ArrangementOut, 403: MessageOut, 404: MessageOut},
    summary="Publish an arrangement (moderators)",
)
def publish_arrangement(request, pk: int):
    arrangement = _editable(request, pk)
    outcome = writes.publish(request.user, arrangement)
    if outcome.problems:
        return 403, {"detail": outcome.problems[0].message}
    return _one(request, pk)


figures_router = Router()


@figures_router.get("", response=FiguresOut, auth=ReadAuth(), summary="Savings figures, each pound counted once")
def register_figures(request, query: Query[ArrangementQuery]):
    """What the dashboard shows, for the register's filters: expected savings, and achieved savings signed off
    and reported (never both for one figure), by category and by financial year. An arrangement in several
    categories is split evenly between them; overlapping periods are never added."""
    filters = services.ArrangementFilters.from_mapping(query.dict())
    return _figures_for(request.user, filters).as_api()


def _figures_for(user, filters: services.ArrangementFilters) -> figures.RegisterFigures:
    """Kept for the public against the register version (at a million arrangements the money
    takes seconds to count); for someone who sees drafts, the public's kept and their drafts'
    counted live, which add exactly (the dashboard does the same: docs/decisions/0009)."""
    seen = services.filtered(user, filters)
    key = register.key_for("figures", sorted(filters.as_query().items()))

    def keepable() -> dict:
        kept = figures.register_figures(services.filtered(None, filters)).as_dict()
        kept["figures"]["left_out"] = []  # the API shows no entry left out; over the register they are many
        return kept

    def published() -> figures.RegisterFigures:
        return figures.RegisterFigures.from_dict(register.cached(key, keepable))

    if listing.sees_only_published(user):
        return published()
    return register.combined(
        lambda: figures.combine(published(), figures.register_figures(seen.unpublished())),
        lambda: figures.register_figures(seen),
    )
