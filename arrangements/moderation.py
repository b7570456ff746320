"""What waits for a moderator, and decisions on many changes at once.

The queue reads here; every decision is made by `arrangements.writes` (`publish`, `approve`,
`reject`), one record at a time, so a decision on a whole import checks each change exactly
as a decision on one would. Who may decide is `permissions.can_publish`, asked per item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from arrangements import permissions, writes
from arrangements.models import Arrangement, Partnership, Revision
from arrangements.versions import describe
from sharewell.problems import Problem

# Each list shows its oldest this many; the headings count them all and "approve all" covers
# a whole import, so an import of thousands of rows does not make a page of thousands of forms.
SHOWN = 100


@dataclass
class Group:
    """Revisions that came in together (one import, one survey return), or a revision alone."""

    kind: str  # "import", "survey" or "one"
    pk: int  # of the import job, survey response or lone revision
    revisions: list[Revision]
    total: int
    name: str = ""  # "Import of x.csv", "Survey 2026/27 return from Northtown"

    @property
    def heading(self) -> str:
        return f"{self.name} ({self.total} change{'' if self.total == 1 else 's'})"


@dataclass
class Queue:
    drafts: list[Arrangement]
    drafts_total: int
    groups: list[Group]
    pending_total: int

    @property
    def pending_shown(self) -> int:
        return sum(len(g.revisions) for g in self.groups)


@dataclass
class Decided:
    """What a decision on several revisions did: those it could not decide stay pending."""

    done: list[Revision] = field(default_factory=list)
    failed: list[tuple[Revision, list[Problem]]] = field(default_factory=list)


def _publishable(user, queryset: QuerySet, to_arrangement: str = "") -> QuerySet:
    """Narrow to the arrangements `user` may publish, in the database, so that counts and
    paging are right; `can_publish` is still asked of each item shown."""
    if permissions.is_moderator(user):
        return queryset
    if not permissions.may_moderate(user):
        return queryset.none()
    led = Partnership.objects.filter(
        role=Partnership.Role.LEAD, organisation_id__in=permissions.administered_organisation_ids(user)
    )
    return queryset.filter(**{f"{to_arrangement}pk__in": led.values("arrangement_id")})


def _pending(user) -> QuerySet[Revision]:
    # A change to an arrangement deleted since it was sent has nothing left to change.
    revisions = Revision.objects.filter(state=Revision.State.PENDING, arrangement__deleted_at__isnull=True)
    return _publishable(user, revisions, "arrangement__")


def drafts(user) -> tuple[list[Arrangement], int]:
    """New arrangements waiting to be published, oldest first (not those of an unfinished import)."""
    queryset = _publishable(user, Arrangement.objects.alive().filter(published=False)).order_by("created_at", "pk")
    shown = queryset.select_related("created_by").prefetch_related(
        Prefetch("partnerships", queryset=Partnership.objects.select_related("organisation")),
    )[:SHOWN]
    return [a for a in shown if permissions.can_publish(user, a)], queryset.count()


def _key(import_job_id: int | None, survey_response_id: int | None, pk: int) -> tuple[str, int]:
    if import_job_id:
        return ("import", import_job_id)
    if survey_response_id:
        return ("survey", survey_response_id)
    return ("one", pk)


def _name(group: Group) -> str:
    first = group.revisions[0]
    if group.kind == "import":
        return f"Import of {first.import_job.filename}"
    if group.kind == "survey":
        response = first.survey_response
        return f"Survey {response.round.label} return from {response.organisation.name}"
    return first.arrangement.title


def pending_groups(user) -> tuple[list[Group], int]:
    """Pending revisions, those that came in together grouped, each group placed by its oldest
    change and oldest first within it. Returns (groups shown, revisions waiting in all)."""
    rows = _pending(user).order_by("created_at", "pk").values_list("pk", "import_job_id", "survey_response_id")
    members: dict[tuple[str, int], list[int]] = {}
    for pk, job, response in rows:
        members.setdefault(_key(job, response, pk), []).append(pk)
    shown_groups = []  # (key, all its revisions, those shown): the oldest SHOWN in all
    room = SHOWN
    for key, pks in members.items():
        if room <= 0:
            break
        shown_groups.append((key, pks, pks[:room]))
        room -= len(pks[:room])
    wanted = [pk for _key, _pks, shown in shown_groups for pk in shown]
    # The proposed record and the uploaded file can be large, and the list needs neither.
    details = (
        Revision.objects.filter(pk__in=wanted)
        .defer("proposed", "import_job__content")
        .select_related(
            "arrangement",
            "organisation",
            "created_by",
            "import_job",
            "survey_response__organisation",
            "survey_response__round",
        )
    )
    revisions = {r.pk: r for r in details}
    groups = []
    for (kind, pk), pks, shown_pks in shown_groups:
        shown = [
            revisions[p]
            for p in shown_pks
            if p in revisions and permissions.can_publish(user, revisions[p].arrangement)
        ]
        if shown:
            group = Group(kind, pk, shown, total=len(pks))
            group.name = _name(group)
            groups.append(group)
    return groups, sum(len(pks) for pks in members.values())


def queue(user) -> Queue:
    shown_drafts, drafts_total = drafts(user)
    groups, pending_total = pending_groups(user)
    return Queue(shown_drafts, drafts_total, groups, pending_total)


def changed_since(revision: Revision) -> list[str] | None:
    """What approving would change now, when the arrangement has been changed after the
    revision was sent (approving applies the whole proposed record, so it would undo that
    later change); None when it has not."""
    if revision.action == "delete" or revision.arrangement.updated_at <= revision.created_at:
        return None
    return describe(writes.current_snapshot(revision.arrangement), revision.proposed)


def group_revisions(user, kind: str, pk: int) -> list[Revision]:
    """The pending revisions of one import or one survey return that `user` may decide."""
    link = {"import": "import_job_id", "survey": "survey_response_id"}[kind]
    revisions = _pending(user).filter(**{link: pk}).select_related("arrangement").order_by("created_at", "pk")
    return [r for r in revisions if permissions.can_publish(user, r.arrangement)]


def approve_all(user, revisions: list[Revision]) -> Decided:
    """Approve each in turn, each in its own transaction: one that no longer applies (its
    record changed since) stays pending with its problems and does not hold back the rest."""
    decided = Decided()
    for revision in revisions:
        outcome = writes.approve(user, revision)
        if outcome.ok:
            decided.done.append(revision)
        else:
            decided.failed.append((revision, outcome.problems))
    return decided


def reject_all(user, revisions: list[Revision], reason: str) -> Decided:
    """Reject each with the same reason. A problem with the reason is the same for every one,
    so it is reported once and nothing is rejected."""
    decided = Decided()
    for revision in revisions:
        outcome = writes.reject(user, revision, reason)
        if outcome.ok:
            decided.done.append(revision)
        elif any(p.field == "reason" for p in outcome.problems):
            decided.failed.append((revision, outcome.problems))
            break
        else:
            decided.failed.append((revision, outcome.problems))
    return decided
