"""The partner finder keeps its matrices and service facts against the register's version
(`partners.services.register_version`). Writes to the register itself raise that version
(`arrangements.writes`, reference reloads: docs/decisions/0009); so does every save or delete
of anything else the finder reads, whichever door it came through (a page, the admin, the
organisations' write path, the demo loader): organisations and their successors, the
councils a trust serves, borders, overlaps, indicators, contracts, the board's posts and the
services. Bulk writes send no signals: whoever makes them calls `register.bump()` (the
reference loader does).

Contracts and the board's posts are read per service, not into the matrices: their writes raise
the version (every kept service's facts go) but ask for no rebuild. Everything else here may
change the matrices anywhere, so it asks each worker to rebuild them from scratch
(docs/decisions/0010); the arrangements' own writes ask only for their part to be refreshed."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from arrangements import register
from arrangements.models import Contract
from indicators.models import Indicator, IndicatorValue
from organisations.models import Neighbour, Organisation, Overlap, ServedCouncil
from partners.models import Post
from services.models import Service, ServiceCategory

# Read per service (`services.service_facts`), not into the matrices.
FACTS_ONLY = frozenset({Contract, Post})
WATCHED = (
    Organisation,
    ServedCouncil,
    Neighbour,
    Overlap,
    Indicator,
    IndicatorValue,
    Contract,
    Post,
    Service,
    ServiceCategory,
)


def _changed(sender, raw: bool = False, **kwargs) -> None:
    if not raw:  # fixtures loaded as they are (loaddata) are followed by a reload's bump
        register.bump(() if sender in FACTS_ONLY else None)


def _links_changed(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        register.bump()


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"finder-version-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"finder-version-delete-{model._meta.label}")
    m2m_changed.connect(_links_changed, sender=Organisation.successors.through, dispatch_uid="finder-successors")
