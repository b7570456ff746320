from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from accounts.api_auth import TokenAuth
from arrangements import importing, permissions, services
from arrangements.models import Arrangement
from arrangements.schemas import ArrangementIn, ArrangementOut, ArrangementPage, MessageOut, ProblemsOut

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
    return services.record(get_object_or_404(queryset, pk=pk), _base(request))


@router.get("", response=ArrangementPage, summary="List and filter arrangements")
def list_arrangements(request, query: Query[ArrangementQuery]):
    """The same filters as the table and map pages. Published arrangements, plus your own drafts if signed in."""
    page_size = max(1, min(query.page_size, settings.API_MAX_PAGE_SIZE))
    filters = services.ArrangementFilters.from_mapping(query.dict())
    paginator = Paginator(services.with_details(services.filtered(request.user, filters)), page_size)
    page = paginator.get_page(query.page)
    base = _base(request)
    return {"count": paginator.count, "page": page.number, "page_size": page_size,
            "results": [services.record(a, base) for a in page.object_list]}


@router.get("/{pk}", response={200: ArrangementOut, 404: MessageOut}, summary="One arrangement")
def get_arrangement(request, pk: int):
    return _one(request, pk)


def _row(payload: ArrangementIn) -> dict[str, str]:
    row = payload.dict()
    row["service"] = "; ".join(payload.service)
    row["partner_organisations"] = "; ".join(payload.partner_organisations)
    return {k: (v or "").strip() if isinstance(v, str) else v for k, v in row.items()}


def _problems(problems) -> dict:
    return {"detail": f"{len(problems)} problem(s): nothing was saved",
            "problems": [{"column": p.column, "value": p.value, "message": p.message} for p in problems]}


@router.post("", auth=TokenAuth(), response={201: ArrangementOut, 403: MessageOut, 422: ProblemsOut},
             summary="Add an arrangement (editors of a partner organisation)")
def create_arrangement(request, payload: ArrangementIn):
    validator = importing.Validator(request.user)
    draft, problems = validator.validate(1, _row(payload))
    if problems:
        refused = [p for p in problems if "not an editor" in p.message]
        if refused:
            return 403, {"detail": refused[0].message}
        return 422, _problems(problems)
    if draft.existing is not None:
        return 422, _problems([importing.Problem(1, "title", draft.title,
                                                 "An arrangement with this title and lead organisation exists")])
    with transaction.atomic():
        importing.save_drafts([draft], request.user)
    created = Arrangement.objects.filter(title=draft.title).order_by("-pk").first()
    return 201, _one(request, created.pk)


@router.put("/{pk}", auth=TokenAuth(), response={200: ArrangementOut, 403: MessageOut, 404: MessageOut,
                                                 422: ProblemsOut}, summary="Replace an arrangement's details")
def update_arrangement(request, pk: int, payload: ArrangementIn):
    arrangement = get_object_or_404(Arrangement.objects.visible_to(request.user), pk=pk)
    if not permissions.can_edit(request.user, arrangement):
        return 403, {"detail": "Only editors of a partner organisation and moderators can change this arrangement"}
    draft, problems = importing.Validator(request.user).validate(1, _row(payload))
    if problems:
        return 422, _problems(problems)
    with transaction.atomic():
        importing.update_arrangement(arrangement, draft, request.user)
    return _one(request, pk)


@router.delete("/{pk}", auth=TokenAuth(), response={200: MessageOut, 403: MessageOut, 404: MessageOut},
               summary="Delete an arrangement (a soft delete a moderator can undo)")
def delete_arrangement(request, pk: int):
    arrangement = get_object_or_404(Arrangement.objects.visible_to(request.user), pk=pk)
    if not permissions.can_edit(request.user, arrangement):
        return 403, {"detail": "Only editors of a partner organisation and moderators can delete this arrangement"}
    services.soft_delete(arrangement, request.user)
    return 200, {"detail": f"Deleted “{arrangement.title}”. A moderator can restore it."}


@router.post("/{pk}/publish", auth=TokenAuth(), response={200: ArrangementOut, 403: MessageOut, 404: MessageOut},
             summary="Publish an arrangement (moderators)")
def publish_arrangement(request, pk: int):
    arrangement = get_object_or_404(Arrangement.objects.visible_to(request.user), pk=pk)
    if not permissions.can_publish(request.user, arrangement):
        return 403, {"detail": "Only moderators can publish arrangements"}
    services.publish(arrangement, request.user)
    return _one(request, pk)


