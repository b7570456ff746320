"""The one write path of an arrangement: every door calls these functions.

The add and change pages, the API, the import, the survey, restore, moderation and the
demo loader all create, change, restore, delete and publish arrangements here, and
nowhere else. Each function checks that the user may change *that* record, checks the
values (`arrangements.parsing`), writes in one short transaction, keeps a version with
who, when and through which door, and returns an `Outcome` whose problems each door
shows its own way. A change by an editor to a published arrangement is held as a
pending revision until a moderator approves it (`docs/decisions/0002-write-path.md`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from arrangements import permissions, register
from arrangements.models import (
    Arrangement,
    LedgerEntry,
    Measure,
    Partnership,
    Revision,
    Source,
    Standing,
    Status,
    StatusChange,
    Version,
)
from arrangements.parsing import Context, LedgerDraft, Parsed, _measure, parse, title_key
from arrangements.versions import describe, snapshot, snapshot_of
from engines.ledger import PeriodError, parse_period, year_label
from sharewell.problems import Problem, Refused

DUPLICATE = "An arrangement with this title and lead organisation already exists"


@dataclass(frozen=True)
class Door:
    """How a change came in, as history says it: 'edited on the site', 'API', 'import of x.csv'."""

    label: str
    kind: str = "site"
    import_job: Any = None
    survey_response: Any = None


def site() -> Door:
    return Door("edited on the site", "site")


def api() -> Door:
    return Door("API", "api")


def import_of(filename: str, job=None) -> Door:
    return Door(f"import of {filename}", "import", import_job=job)


def survey(label: str, response=None) -> Door:
    return Door(f"survey {label}", "survey", survey_response=response)


def demo() -> Door:
    return Door("demo content", "demo")


@dataclass
class Outcome:
    arrangement: Arrangement | None = None
    problems: list[Problem] = field(default_factory=list)
    revision: Revision | None = None  # set when the change waits for a moderator
    changed: bool = False
    created: bool = False
    notes: list[str] = field(default_factory=list)  # things the person should know

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def forbidden(self) -> bool:
        return any(p.code == "forbidden" for p in self.problems)


def _refuse(field_name: str, message: str, code: str = "forbidden") -> Outcome:
    return Outcome(problems=[Problem(field_name, code, message)])


def _author(user):
    return user if getattr(user, "pk", None) and getattr(user, "is_authenticated", False) else None


def _details(queryset):
    return queryset.prefetch_related(
        Prefetch("partnerships", queryset=Partnership.objects.select_related("organisation")),
        "services",
        "categories",
        "sources",
        Prefetch("ledger", queryset=LedgerEntry.objects.select_related("partner").order_by("pk")),
    )


def current_snapshot(arrangement: Arrangement) -> dict[str, Any]:
    return snapshot(_details(Arrangement.objects.filter(pk=arrangement.pk)).get())


def _acting_for(user, organisation_ids: Iterable[int]):
    """The organisation a person acted for: the public sees its name in the history."""
    from organisations.models import Organisation

    if user is None:
        return None
    ids = set(organisation_ids) & permissions.editable_organisation_ids(user)
    if ids:
        return Organisation.objects.filter(pk__in=ids).order_by("name").first()
    membership = user.memberships.select_related("organisation").order_by("pk").first()
    return membership.organisation if membership else None


def _existing_duplicate(parsed: Parsed, exclude: int | None = None) -> Arrangement | None:
    queryset = Arrangement.objects.filter(
        deleted_at__isnull=True, title_key=parsed.title_key, lead_organisation=parsed.lead
    )
    if exclude:
        queryset = queryset.exclude(pk=exclude)
    return queryset.first()


def _may_create(user, parsed: Parsed) -> bool:
    if permissions.is_moderator(user):
        return True
    return bool({p.organisation.pk for p in parsed.partners} & permissions.editable_organisation_ids(user))


def _baseline_problems(user, arrangement: Arrangement | None, parsed: Parsed, door: Door) -> list[Problem]:
    """An editor moving an arrangement to live on the pages or the API needs a baseline first:
    a cost baseline in the ledger, and a baseline for each measure of its benefits plan.
    Imports, the survey, restore and moderators may record arrangements as live without one,
    and so may adding a record of one already live (it is shown as "no baseline recorded")."""
    if door.kind not in ("site", "api") or permissions.is_moderator(user):
        return []
    if parsed.values.get("status") != Status.LIVE or arrangement is None or arrangement.status == Status.LIVE:
        return []
    missing = []
    if not any(d.measure == "baseline_cost" for d in parsed.ledger):
        missing.append("a baseline cost in the money figures")
    from benefits.models import BenefitMeasure

    lacking = [
        m.name for m in BenefitMeasure.objects.filter(arrangement=arrangement).order_by("name") if not m.has_baseline
    ]
    if lacking:
        missing.append("a baseline value and date for each benefit measure (" + ", ".join(lacking) + ")")
    if not missing:
        return []
    return [
        Problem(
            "status",
            "no_baseline",
            "An arrangement cannot be marked live without a baseline: record " + " and ".join(missing) + " first",
        )
    ]


# --- create ---------------------------------------------------------------------------


def create(
    user, raw: Mapping[str, Any], door: Door, *, context: Context | None = None, publish: bool = False
) -> Outcome:
    """Add an arrangement. Editors add for an organisation they edit; moderators for any.
    New arrangements wait unpublished until a moderator publishes them, unless `publish`
    (moderators only: the demo loader, a moderator's import)."""
    if not (permissions.is_moderator(user) or permissions.editable_organisation_ids(user)):
        return _refuse("lead_organisation", "Only editors of an organisation and moderators can add arrangements")
    context = context or Context(user)
    parsed, problems = parse(raw, context)
    if problems:
        return Outcome(problems=problems)
    if not _may_create(user, parsed):
        return _refuse(
            "lead_organisation",
            f"You are not an editor of {parsed.lead.name} or any partner, so you cannot add this arrangement",
        )
    if _existing_duplicate(parsed):
        return _refuse("title", DUPLICATE, code="duplicate")
    try:
        with transaction.atomic():
            arrangement = _write(None, parsed, user, door, publish=publish and permissions.is_moderator(user))
    except Refused as refused:
        return Outcome(problems=refused.problems)
    return Outcome(arrangement=arrangement, changed=True, created=True)


# --- change ---------------------------------------------------------------------------


def change(
    user,
    arrangement: Arrangement,
    raw: Mapping[str, Any],
    door: Door,
    *,
    partial: bool = False,
    merge_ledger: bool = False,
    context: Context | None = None,
    moderate: bool | None = None,
) -> Outcome:
    """Change an arrangement: `raw` is the whole record, or with `partial` only the fields to
    change (a list given replaces the whole list; with `merge_ledger`, money entries are
    added or replaced by their period and measure and the rest kept, as an import does).

    An editor's change to a published arrangement (or any survey answer, `moderate=True`)
    becomes a pending revision; the arrangement is untouched until a moderator approves.
    """
    if not permissions.can_edit(user, arrangement):
        return _refuse("title", f"You are not an editor of a partner in “{arrangement.title}”, so you cannot change it")
    current = current_snapshot(arrangement)
    if partial:
        raw = {**current, **raw}
    if merge_ledger and "ledger" in raw:
        raw = dict(raw)
        raw["ledger"] = _merged_ledger(current["ledger"], raw["ledger"])
    context = context or Context(user)
    parsed, problems = parse(raw, context, existing_ledger=list(arrangement.ledger.all()))
    if problems:
        return Outcome(arrangement=arrangement, problems=problems)
    if not permissions.is_moderator(user):
        keeps = {p.organisation.pk for p in parsed.partners if p.left_on is None}
        if not keeps & permissions.editable_organisation_ids(user):
            return Outcome(
                arrangement=arrangement,
                problems=[
                    Problem(
                        "partners",
                        "forbidden",
                        "The change would leave none of your organisations as a current partner, "
                        "so you could no longer change it: ask a moderator",
                    )
                ],
            )
    if _existing_duplicate(parsed, exclude=arrangement.pk):
        return Outcome(
            arrangement=arrangement,
            problems=[Problem("title", "duplicate", "Another arrangement has this title and lead organisation")],
        )
    problems = _baseline_problems(user, arrangement, parsed, door)
    if problems:
        return Outcome(arrangement=arrangement, problems=problems)
    proposed = snapshot_of(parsed)
    changes = describe(current, proposed)
    if not changes:
        return Outcome(arrangement=arrangement)
    if moderate is None:
        moderate = arrangement.published and not permissions.can_publish(user, arrangement)
    if moderate:
        return _hold(user, arrangement, proposed, changes, door)
    try:
        with transaction.atomic():
            _write(arrangement, parsed, user, door)
    except Refused as refused:
        return Outcome(arrangement=arrangement, problems=refused.problems)
    return Outcome(arrangement=arrangement, changed=True)


def _merged_ledger(current: list[dict], incoming: Any) -> list:
    if not isinstance(incoming, list):
        return incoming

    def key(item):
        period = str(item.get("period") or "")
        try:
            period = parse_period(period).label  # "2007-2009" is the entry stored as 2007/08-2008/09
        except PeriodError:
            pass
        measure = _measure(item.get("measure")) or item.get("measure")
        return (
            item.get("partner") or None,
            period,
            measure,
            (item.get("standing") or ("expected" if measure == "expected_saving" else "")) == "expected",
        )

    incoming_keys = {key(i) for i in incoming if isinstance(i, Mapping)}
    return [e for e in current if key(e) not in incoming_keys] + incoming


def _hold(
    user, arrangement: Arrangement, proposed: dict, changes: list[str], door: Door, action: str = "change"
) -> Outcome:
    """Keep the change as the arrangement's one pending revision."""
    author = _author(user)
    organisation = _acting_for(author, arrangement.partnerships.values_list("organisation_id", flat=True))
    notes = []
    with transaction.atomic():
        earlier = (
            Revision.objects.select_for_update().filter(arrangement=arrangement, state=Revision.State.PENDING).first()
        )
        if earlier is not None:
            who = organisation.name if organisation else "another person"
            earlier.state = Revision.State.SUPERSEDED
            earlier.replaced_note = (
                f"Replaced on {timezone.localtime():%-d %B %Y at %H:%M} by a later change "
                f"from {who}, before a moderator decided"
            )
            earlier.decided_at = timezone.now()
            earlier.save()
            if earlier.created_by_id != getattr(author, "pk", None):
                by = earlier.organisation.name if earlier.organisation else "someone else"
                notes.append(f"This replaces a change from {by} that was waiting for a moderator: they have been told")
        revision = Revision.objects.create(
            arrangement=arrangement,
            proposed=proposed,
            changes=changes,
            door=door.label,
            created_by=author,
            organisation=organisation,
            action=action,
            import_job=door.import_job,
            survey_response=door.survey_response,
        )
    return Outcome(arrangement=arrangement, revision=revision, notes=notes)


# --- restore, delete, publish -----------------------------------------------------------


def restore(user, arrangement: Arrangement, version: Version) -> Outcome:
    """Bring back the whole record as it was in `version`, as a new version; never changes
    publication. Refused, with the reason, when the old record no longer checks out."""
    if version.arrangement_id != arrangement.pk:
        return _refuse("version", "That version belongs to another arrangement", code="invalid")
    when = timezone.localtime(version.created_at)
    door = Door(f"restore of the version of {when:%-d %B %Y, %H:%M:%S}", "restore")
    raw = dict(version.snapshot)
    current = current_snapshot(arrangement)
    # Entries the old version had that have since been removed come back as new entries.
    live = {e["id"] for e in current["ledger"]}
    raw["ledger"] = [e if e.get("id") in live else {**e, "id": None} for e in raw.get("ledger", [])]
    return change(user, arrangement, raw, door)


def delete(user, arrangement: Arrangement, door: Door) -> Outcome:
    """A soft delete a moderator can undo. An editor's request to delete a published
    arrangement waits for a moderator, like any other change to it."""
    if not permissions.can_edit(user, arrangement):
        return _refuse("title", f"You are not an editor of a partner in “{arrangement.title}”, so you cannot delete it")
    if arrangement.published and not permissions.can_publish(user, arrangement):
        current = current_snapshot(arrangement)
        return _hold(user, arrangement, current, ["Delete this arrangement"], door, action="delete")
    with transaction.atomic():
        _mark_deleted(arrangement, user, door)
    return Outcome(arrangement=arrangement, changed=True)


def _mark_deleted(arrangement: Arrangement, user, door: Door) -> None:
    arrangement.deleted_at = timezone.now()
    arrangement.deleted_by = _author(user)
    arrangement.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    # Changes waiting on a deleted record can no longer be decided: say so to their senders.
    Revision.objects.filter(arrangement=arrangement, state=Revision.State.PENDING).exclude(action="delete").update(
        state=Revision.State.SUPERSEDED,
        decided_at=timezone.now(),
        replaced_note=f"Not applied: the arrangement was deleted on {timezone.localtime():%-d %B %Y}",
    )
    _version(arrangement, current_snapshot(arrangement), ["Deleted"], user, door)


def undelete(user, arrangement: Arrangement) -> Outcome:
    if not permissions.can_undelete(user, arrangement):
        return _refuse("title", "Only moderators can restore a deleted arrangement")
    if Arrangement.objects.filter(
        deleted_at__isnull=True, title_key=arrangement.title_key, lead_organisation_id=arrangement.lead_organisation_id
    ).exists():
        return _refuse("title", f"{DUPLICATE}: rename one of them first", code="duplicate")
    with transaction.atomic():
        arrangement.deleted_at = None
        arrangement.deleted_by = None
        arrangement.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        _version(
            arrangement,
            current_snapshot(arrangement),
            ["Restored from deletion"],
            user,
            Door("restored from deletion by a moderator", "site"),
        )
    return Outcome(arrangement=arrangement, changed=True)


def publish(user, arrangement: Arrangement) -> Outcome:
    if not permissions.can_publish(user, arrangement):
        return _refuse("published", "Only moderators can publish arrangements")
    if arrangement.published:
        return Outcome(arrangement=arrangement)
    with transaction.atomic():
        arrangement.published = True
        arrangement.published_at = timezone.now()
        arrangement.published_by = _author(user)
        arrangement.save(update_fields=["published", "published_at", "published_by", "updated_at"])
        _version(arrangement, current_snapshot(arrangement), ["Published"], user, Door("published by a moderator"))
    return Outcome(arrangement=arrangement, changed=True)


# --- moderation -------------------------------------------------------------------------


def approve(user, revision: Revision) -> Outcome:
    """Apply a pending revision as its author's change, checked again against the record now."""
    arrangement = revision.arrangement
    if not permissions.can_publish(user, arrangement):
        return _refuse("revision", "Only moderators can approve changes")
    if revision.survey_response_id and not permissions.is_moderator(user):
        # Survey returns always wait for a platform moderator, even where lead admins may publish.
        return _refuse("revision", "Only moderators can approve survey returns")
    if revision.state != Revision.State.PENDING:
        return _refuse(
            "revision", f"This change is no longer waiting: {revision.get_state_display().lower()}", code="not_pending"
        )
    who = user.get_full_name() or user.get_username()
    door = Door(f"{revision.door}, approved by {who}", "moderation")
    author = revision.created_by
    if revision.action == "delete":
        with transaction.atomic():
            _mark_deleted(arrangement, author, door)
            _decide(revision, user, Revision.State.APPROVED)
        return Outcome(arrangement=arrangement, changed=True)
    parsed, problems = parse(
        revision.proposed, Context(user), existing_ledger=list(arrangement.ledger.all()), lenient_ids=True
    )
    if problems:
        return Outcome(arrangement=arrangement, problems=problems)
    if _existing_duplicate(parsed, exclude=arrangement.pk):
        return Outcome(arrangement=arrangement, problems=[Problem("title", "duplicate", DUPLICATE)])
    try:
        with transaction.atomic():
            _write(arrangement, parsed, author, door)
            _decide(revision, user, Revision.State.APPROVED)
    except Refused as refused:
        return Outcome(arrangement=arrangement, problems=refused.problems)
    return Outcome(arrangement=arrangement, changed=True)


def reject(user, revision: Revision, reason: str) -> Outcome:
    if not permissions.can_publish(user, revision.arrangement):
        return _refuse("revision", "Only moderators can reject changes")
    if revision.state != Revision.State.PENDING:
        return _refuse("revision", "This change is no longer waiting for a decision", code="not_pending")
    reason = " ".join((reason or "").split())
    if not reason:
        return _refuse("reason", "Give the reason, for the editor's organisation", code="required")
    if len(reason) > 2000:
        return _refuse("reason", "The reason is longer than 2,000 characters", code="too_long")
    revision.reason = reason
    _decide(revision, user, Revision.State.REJECTED)
    return Outcome(arrangement=revision.arrangement, revision=revision)


# --- sign-off of achieved savings -------------------------------------------------------


def _clean_text(value: str | None, field_name: str, required: str | None) -> tuple[str, list[Problem]]:
    text = " ".join((value or "").split())
    if required and not text:
        return text, [Problem(field_name, "required", required)]
    if len(text) > 2000:
        return text, [Problem(field_name, "too_long", "Write 2,000 characters or fewer")]
    return text, []


def _signable(user, entry: LedgerEntry) -> tuple[Any, list[Problem]]:
    """The organisation `user` signs for, or why they cannot sign (or withdraw) `entry`."""
    arrangement = entry.arrangement
    organisation = permissions.sign_off_organisation(user, entry)
    if organisation is None:
        if entry.partner_id is not None:
            message = f"Only {entry.partner.name}’s finance lead can sign off its share of this saving"
        else:
            message = "Only the finance lead (a member who can sign off savings) of a partner can sign off this saving"
        return None, [Problem("entry", "forbidden", message)]
    if arrangement.deleted_at is not None or not arrangement.published:
        return None, [
            Problem(
                "entry", "not_published", "Only the published version of a saving can be signed off: publish it first"
            )
        ]
    if entry.measure != "achieved_saving" or entry.basis != "actual":
        return None, [Problem("entry", "not_achieved", "Only achieved savings are signed off")]
    return organisation, []


def _sign_off_version(entry: LedgerEntry, words: str, user, organisation, door_label: str) -> None:
    arrangement = entry.arrangement
    # The public's kept figures count signed-off savings as achieved; the finder reads no money.
    register.bump(())
    _ensure_first_version(arrangement)
    number = (arrangement.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    Version.objects.create(
        arrangement=arrangement,
        number=number,
        snapshot=current_snapshot(arrangement),
        changes=[words],
        door=door_label,
        user=_author(user),
        organisation=organisation,
    )


def _entry_words(entry: LedgerEntry) -> str:
    share = f", {entry.partner.name}’s share" if entry.partner_id else ""
    return f"the achieved saving for {entry.period}{share} (£{entry.amount:,})"


def sign_off(user, entry: LedgerEntry, note: str = "", door: Door | None = None) -> Outcome:
    """A finance lead signs off a reported achieved saving, with their name, the date and a note.
    It takes effect at once (the sign-off is itself the check) and is in the history."""
    from benefits.models import SignOff

    organisation, problems = _signable(user, entry)
    if problems:
        return Outcome(arrangement=entry.arrangement, problems=problems)
    if entry.standing == "signed_off":
        return _refuse("entry", "This saving is already signed off", code="already_signed_off")
    note, problems = _clean_text(note, "note", None)
    if problems:
        return Outcome(arrangement=entry.arrangement, problems=problems)
    name = user.get_full_name() or user.get_username()
    door = door or site()
    with transaction.atomic():
        locked = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.standing != "reported":
            return _refuse("entry", "This saving is already signed off", code="already_signed_off")
        locked.standing = "signed_off"
        locked.signed_off_by, locked.signed_off_on = name, timezone.localdate()
        locked.save(update_fields=["standing", "signed_off_by", "signed_off_on"])
        # A sign-off left standing from before the figure changed (a change makes it reported again).
        SignOff.objects.filter(entry=locked, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawal_reason="The figure changed after it was signed off"
        )
        SignOff.objects.create(entry=locked, organisation=organisation, user=_author(user), name=name, note=note)
        words = f"Signed off {_entry_words(locked)} for {organisation.name}" + (f": {note}" if note else "")
        _sign_off_version(locked, words, user, organisation, door.label)
    entry.refresh_from_db()
    return Outcome(arrangement=entry.arrangement, changed=True)


def withdraw_sign_off(user, entry: LedgerEntry, reason: str, door: Door | None = None) -> Outcome:
    """Withdraw a sign-off, with the reason: the saving is reported again, and both stay in the history."""
    from benefits.models import SignOff

    organisation, problems = _signable(user, entry)
    if problems:
        return Outcome(arrangement=entry.arrangement, problems=problems)
    if entry.standing != "signed_off":
        return _refuse("entry", "This saving is not signed off, so there is nothing to withdraw", code="not_signed_off")
    reason, problems = _clean_text(reason, "reason", "Give the reason for withdrawing the sign-off")
    if problems:
        return Outcome(arrangement=entry.arrangement, problems=problems)
    door = door or site()
    with transaction.atomic():
        locked = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.standing != "signed_off":
            return _refuse("entry", "This saving is not signed off", code="not_signed_off")
        locked.standing = "reported"
        locked.signed_off_by, locked.signed_off_on = "", None
        locked.save(update_fields=["standing", "signed_off_by", "signed_off_on"])
        SignOff.objects.filter(entry=locked, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=_author(user), withdrawal_reason=reason
        )
        words = f"Withdrew the sign-off of {_entry_words(locked)} for {organisation.name}: {reason}"
        _sign_off_version(locked, words, user, organisation, door.label)
    entry.refresh_from_db()
    return Outcome(arrangement=entry.arrangement, changed=True)


def _decide(revision: Revision, user, state: str) -> None:
    from arrangements.notifications import send_moderation_decision

    revision.state = state
    revision.decided_by = _author(user)
    revision.decided_at = timezone.now()
    revision.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    # Emailed by a background job once the decision is committed, never inside the request.
    transaction.on_commit(lambda: send_moderation_decision.enqueue(revision.pk))


# --- writing --------------------------------------------------------------------------


# Statuses an arrangement reaches after it has run: their date is not its start date.
LATER_STATUSES = {Status.EXPANDED, Status.UNDER_REVIEW, Status.ENDED, Status.DISAGGREGATED}


def first_status_history(arrangement: Arrangement, parsed: Parsed, note: str) -> list[StatusChange]:
    """What a new record says of its status over time: only the status now. One that has
    expanded or ended was live from its start, and it ended on its end date; when it
    expanded or came under review, the record does not say."""
    v = parsed.values
    if v["status"] not in LATER_STATUSES or not (v["start_date"] or v["start_year"]):
        return [
            StatusChange(
                arrangement=arrangement,
                status=v["status"],
                changed_on=v["start_date"],
                changed_year=v["start_year"],
                note=note,
            )
        ]
    ended = v["status"] in (Status.ENDED, Status.DISAGGREGATED)
    return [
        StatusChange(
            arrangement=arrangement,
            status=Status.LIVE,
            changed_on=v["start_date"],
            changed_year=v["start_year"],
            note=f"Started ({note})",
        ),
        StatusChange(
            arrangement=arrangement,
            status=v["status"],
            changed_on=v["end_date"] if ended else None,
            changed_year=v["end_year"] if ended else None,
            note=note,
        ),
    ]


def _ensure_first_version(arrangement: Arrangement) -> Version | None:
    """Records made before versions were kept get their state as it was, once."""
    latest = arrangement.versions.order_by("-number").first()
    if latest is None:
        latest = Version.objects.create(
            arrangement=arrangement,
            number=1,
            snapshot=current_snapshot(arrangement),
            changes=["Recorded"],
            door="as recorded before version history began",
            created_at=arrangement.created_at or timezone.now(),
        )
    return latest


def _version(arrangement: Arrangement, data: dict, changes: list[str], user, door: Door) -> Version:
    author = _author(user)
    # Every single write keeps a version: the register's number moves with it, and the finder
    # refreshes this arrangement's part of its matrices (its partners, status, services).
    register.bump([arrangement.pk])
    number = (arrangement.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    organisation = _acting_for(author, arrangement.partnerships.values_list("organisation_id", flat=True))
    return Version.objects.create(
        arrangement=arrangement,
        number=number,
        snapshot=data,
        changes=changes,
        door=door.label,
        user=author,
        organisation=organisation,
    )


def _write(arrangement: Arrangement | None, parsed: Parsed, user, door: Door, *, publish: bool = False) -> Arrangement:
    """Write a checked record (call inside a transaction). Raises Refused on a constraint."""
    author = _author(user)
    new = arrangement is None
    if new:
        arrangement = Arrangement(created_by=author)
        previous, old_status = None, None
    else:
        arrangement = Arrangement.objects.select_for_update().get(pk=arrangement.pk)
        previous = _ensure_first_version(arrangement).snapshot
        old_status = arrangement.status
    for name, value in parsed.values.items():
        setattr(arrangement, name, value)
    arrangement.title_key = parsed.title_key
    arrangement.lead_organisation = parsed.lead
    if publish:
        arrangement.published, arrangement.published_at, arrangement.published_by = True, timezone.now(), author
    try:
        with transaction.atomic():
            arrangement.save()
    except IntegrityError as error:
        raise Refused([Problem("title", "duplicate", DUPLICATE)]) from error
    _write_partners(arrangement, parsed, new)
    arrangement.services.set(parsed.services)
    arrangement.categories.set({c.pk for c in parsed.categories} | {s.category_id for s in parsed.services})
    if not new:
        arrangement.sources.all().delete()
    Source.objects.bulk_create([Source(arrangement=arrangement, url=u, citation=c) for u, c in parsed.sources])
    reported = _write_ledger(arrangement, parsed, author, new)
    # A saving reported on the site, through the API or in a survey return asks the finance
    # leads to sign it off, once published (only the published version can be signed off).
    # Imports and demo content load history in bulk: nobody is asked about each row.
    if arrangement.published and door.kind in ("site", "api", "survey"):
        from notifications.jobs import send_sign_off_request

        for entry in reported:
            send_sign_off_request(entry)
    if new:
        StatusChange.objects.bulk_create(first_status_history(arrangement, parsed, door.label))
    elif old_status != arrangement.status:
        today = timezone.localdate()
        StatusChange.objects.create(
            arrangement=arrangement,
            status=arrangement.status,
            changed_on=today,
            changed_year=today.year,
            note=f"Changed ({door.label})",
            recorded_by=author,
        )
    data = current_snapshot(arrangement)
    try:
        with transaction.atomic():
            _version(arrangement, data, describe(previous, data), user, door)
    except IntegrityError as error:
        raise Refused(
            [
                Problem(
                    "title",
                    "conflict",
                    "Someone else changed this arrangement at the same moment: check it and try again",
                )
            ]
        ) from error
    return arrangement


def _write_partners(arrangement: Arrangement, parsed: Parsed, new: bool) -> None:
    existing = {} if new else {p.organisation_id: p for p in arrangement.partnerships.all()}
    wanted = {p.organisation.pk: p for p in parsed.partners}
    Partnership.objects.filter(arrangement=arrangement, organisation_id__in=existing.keys() - wanted.keys()).delete()
    # Demote before promoting, so there is never a moment with two leads.
    for pk, draft in sorted(wanted.items(), key=lambda item: item[1].role == Partnership.Role.LEAD):
        row = existing.get(pk)
        if row is None:
            Partnership.objects.create(
                arrangement=arrangement,
                organisation=draft.organisation,
                role=draft.role,
                joined_on=draft.joined_on,
                left_on=draft.left_on,
            )
        elif (row.role, row.joined_on, row.left_on) != (draft.role, draft.joined_on, draft.left_on):
            row.role, row.joined_on, row.left_on = draft.role, draft.joined_on, draft.left_on
            row.save()


def _entry_fields(draft: LedgerDraft) -> dict[str, Any]:
    """A parsed ledger entry as the model's fields: the one mapping every write of an entry
    uses, so a field added to the ledger cannot be saved by one door and dropped by another."""
    return dict(
        partner=draft.partner,
        period=draft.period.label,
        period_first=draft.period.first,
        period_last=draft.period.last,
        measure=draft.measure,
        basis=draft.basis,
        standing=draft.standing,
        amount=draft.amount,
        staff=draft.staff,
        other=draft.other,
        source=draft.source,
        signed_off_by=draft.signed_off_by,
        signed_off_on=draft.signed_off_on,
    )


def _write_ledger(arrangement: Arrangement, parsed: Parsed, author, new: bool) -> list[LedgerEntry]:
    """Write the money as parsed; return the achieved savings newly reported (to be signed off)."""
    reported: list[LedgerEntry] = []
    existing = {} if new else {e.pk: e for e in arrangement.ledger.all()}
    keep = {d.id for d in parsed.ledger if d.id in existing}
    LedgerEntry.objects.filter(pk__in=existing.keys() - keep).delete()
    for draft in parsed.ledger:
        values = _entry_fields(draft)
        row = existing.get(draft.id) if draft.id else None
        if row is None:
            row = LedgerEntry.objects.create(arrangement=arrangement, entered_by=author, **values)
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.entered_by, row.entered_at = author, timezone.now()
            row.save()
        else:
            continue
        if row.measure == Measure.ACHIEVED_SAVING and row.standing == Standing.REPORTED:
            reported.append(row)
    return reported


def write_planned_savings(
    user, arrangement: Arrangement, plan: list[dict[str, Any]], source: str, replaces: str, door: Door
) -> Outcome:
    """Write a business case's plan as `expected` savings, replacing the plan it supersedes.

    `plan` is one item a financial year (and partner, where split): `{"year": 2026,
    "partner": Organisation | None, "amount", "staff", "other"}` in whole pounds. Expected
    savings whose `source` starts with `replaces` (the case's earlier versions) are removed,
    and so is any other expected saving for the same year and partner, since the shared case
    is now the arrangement's plan; the record keeps a version like every other write.
    Called by `appraisal.writes` when the partners share a case or save a shared case.
    """
    if not permissions.can_edit(user, arrangement):
        return _refuse("business_case", "Only editors of a partner organisation can write this arrangement's plan")
    author = _author(user)
    with transaction.atomic():
        arrangement = Arrangement.objects.select_for_update().get(pk=arrangement.pk)
        previous = _ensure_first_version(arrangement).snapshot
        keys = {(item["year"], getattr(item["partner"], "pk", None)) for item in plan}
        expected = arrangement.ledger.filter(measure="expected_saving")
        stale = [
            e.pk
            for e in expected
            if e.source.startswith(replaces)
            or (e.period_first == e.period_last and (e.period_first, e.partner_id) in keys)
        ]
        LedgerEntry.objects.filter(pk__in=stale).delete()
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(
                    arrangement=arrangement,
                    partner=item["partner"],
                    period=year_label(item["year"]),
                    period_first=item["year"],
                    period_last=item["year"],
                    measure="expected_saving",
                    basis="planned",
                    standing="expected",
                    amount=item["amount"],
                    staff=item.get("staff"),
                    other=item.get("other"),
                    source=source[:500],
                    entered_by=author,
                )
                for item in plan
            ]
        )
        arrangement.save(update_fields=["updated_at"])
        data = current_snapshot(arrangement)
        changes = describe(previous, data)
        if changes:
            _version(arrangement, data, changes, user, door)
    return Outcome(arrangement=arrangement, changed=bool(changes))


# --- many at once (imports) -------------------------------------------------------------


def create_many(user, drafts: list[Parsed], door: Door, *, job, publish: bool = False) -> list[Arrangement]:
    """Write new, checked arrangements in bulk (call inside a short transaction, one batch at
    a time). They are held for `job` and hidden from readers until `release(job)`."""
    author = _author(user)
    now = timezone.now()
    publish = publish and permissions.is_moderator(user)
    arrangements = Arrangement.objects.bulk_create(
        [
            Arrangement(
                **d.values,
                title_key=d.title_key,
                lead_organisation=d.lead,
                created_by=author,
                held_for_import=job,
                published=publish,
                published_at=now if publish else None,
                published_by=author if publish else None,
            )
            for d in drafts
        ]
    )
    if any(a.pk is None for a in arrangements):  # a backend that does not return ids
        raise RuntimeError("The database did not return the new arrangements' ids")
    partnerships, services, categories, sources, statuses, entries = [], [], [], [], [], []
    for arrangement, d in zip(arrangements, drafts, strict=True):
        partnerships += [
            Partnership(
                arrangement=arrangement,
                organisation=p.organisation,
                role=p.role,
                joined_on=p.joined_on,
                left_on=p.left_on,
            )
            for p in d.partners
        ]
        services += [Arrangement.services.through(arrangement_id=arrangement.pk, service_id=s.pk) for s in d.services]
        categories += [
            Arrangement.categories.through(arrangement_id=arrangement.pk, servicecategory_id=c)
            for c in {c.pk for c in d.categories} | {s.category_id for s in d.services}
        ]
        sources += [Source(arrangement=arrangement, url=u, citation=c) for u, c in d.sources]
        statuses += first_status_history(arrangement, d, door.label)
        entries += [
            LedgerEntry(arrangement=arrangement, entered_by=author, entered_at=now, **_entry_fields(e))
            for e in d.ledger
        ]
    Partnership.objects.bulk_create(partnerships)
    Arrangement.services.through.objects.bulk_create(services)
    Arrangement.categories.through.objects.bulk_create(categories)
    Source.objects.bulk_create(sources)
    StatusChange.objects.bulk_create(statuses)
    entries = LedgerEntry.objects.bulk_create(entries)
    ids = iter(e.pk for e in entries)
    register.bump(a.pk for a in arrangements)
    organisation = _acting_for(author, []) if author else None
    Version.objects.bulk_create(
        [
            Version(
                arrangement=a,
                number=1,
                snapshot=snapshot_of(d, [next(ids) for _ in d.ledger]),
                changes=["Created"],
                door=door.label,
                user=author,
                organisation=organisation,
                created_at=now,
            )
            for a, d in zip(arrangements, drafts, strict=True)
        ]
    )
    return arrangements


def release(job) -> int:
    """Show an import's new arrangements, all at once, when every batch has been written."""
    held = Arrangement.objects.filter(held_for_import=job)
    register.bump(held.values_list("pk", flat=True))
    return held.update(held_for_import=None)


def discard(job) -> int:
    """Remove what an import that failed part-way wrote (its history of the attempt stays on the job)."""
    held = Arrangement.objects.filter(held_for_import=job)
    register.bump(held.values_list("pk", flat=True))
    count, _ = held.delete()
    return count


def lookup_existing(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Arrangement]:
    """Existing arrangements by (title key, lead id), read in chunks (an import may name thousands)."""
    keys = list(keys)
    found: dict[tuple[str, int], Arrangement] = {}
    titles = sorted({k[0] for k in keys})
    for start in range(0, len(titles), 500):
        for arrangement in Arrangement.objects.filter(
            deleted_at__isnull=True, held_for_import__isnull=True, title_key__in=titles[start : start + 500]
        ):
            found[(arrangement.title_key, arrangement.lead_organisation_id)] = arrangement
    wanted = set(keys)
    return {k: v for k, v in found.items() if k in wanted}


__all__ = [
    "Door",
    "Outcome",
    "approve",
    "change",
    "create",
    "create_many",
    "delete",
    "discard",
    "lookup_existing",
    "publish",
    "reject",
    "release",
    "restore",
    "sign_off",
    "title_key",
    "undelete",
    "withdraw_sign_off",
    "write_planned_savings",
]
