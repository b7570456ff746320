"""The one write path of a business case: the pages and the API call these, and nothing else writes one.

Who may do what:

- see a draft: members of a partner organisation (any role) and moderators; once shared,
  everyone who can see the arrangement (`can_see`);
- change it: editors of a current partner, and moderators (`can_edit`); each partner's own
  inputs (its baseline, population, usage and stand-alone cost) only by that partner's
  editors or a moderator, since each partner enters its own;
- share it: editors of a current partner only (`can_share`).

A draft writes nothing to the money ledger. Sharing, and each save of a shared case, keeps
a numbered `CaseVersion` (with what changed in words) and writes the plan as `expected`
savings through `arrangements.writes.write_planned_savings`, replacing the version before.
Every function returns an `Outcome` whose problems each door shows its own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from appraisal import inputs
from appraisal.models import BusinessCase, CaseVersion
from arrangements import permissions
from arrangements import writes as arrangement_writes
from arrangements.models import Arrangement, Partnership
from engines.ledger import apportion, year_label
from sharewell.problems import Problem


@dataclass
class Outcome:
    case: BusinessCase | None = None
    problems: list[Problem] = field(default_factory=list)
    version: CaseVersion | None = None
    changed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def forbidden(self) -> bool:
        return any(p.code == "forbidden" for p in self.problems)


def _refuse(message: str, name: str = "business_case") -> Outcome:
    return Outcome(problems=[Problem(name, "forbidden", message)])


def _author(user):
    return user if getattr(user, "pk", None) and getattr(user, "is_authenticated", False) else None


def current_partners(arrangement: Arrangement) -> list[Partnership]:
    """The current partners, the lead first, then in the order they were added."""
    rows = arrangement.partnerships.filter(left_on__isnull=True).select_related("organisation").order_by("pk")
    return sorted(rows, key=lambda p: p.role != Partnership.Role.LEAD)


def partner_codes(arrangement: Arrangement) -> list[str]:
    return [p.organisation.code for p in current_partners(arrangement)]


def case_of(arrangement: Arrangement) -> BusinessCase | None:
    return BusinessCase.objects.filter(arrangement=arrangement).first()


def can_see(user, arrangement: Arrangement, case: BusinessCase | None) -> bool:
    """For an arrangement the user can see: a shared case, or a draft of one of their partners."""
    if case is None:
        return False
    return case.shared or permissions.is_partner_member(user, arrangement)


def can_edit(user, arrangement: Arrangement) -> bool:
    return permissions.can_edit(user, arrangement)


def can_share(user, arrangement: Arrangement) -> bool:
    partners = {p.organisation_id for p in current_partners(arrangement)}
    return bool(partners & permissions.editable_organisation_ids(user))


def _own_inputs_problems(user, arrangement: Arrangement, old: dict | None, new: dict) -> list[Problem]:
    """Each partner enters its own figures: another partner's editor may not change them."""
    if permissions.is_moderator(user):
        return []
    mine = permissions.editable_organisation_ids(user)
    codes = {p.organisation.code: p.organisation for p in current_partners(arrangement)}
    before = {p.get("code"): p for p in (old or {}).get("partners") or []}
    found = []
    for i, partner in enumerate(new.get("partners") or []):
        organisation = codes.get(partner.get("code"))
        if organisation is None or organisation.pk in mine:
            continue
        earlier = before.get(partner.get("code"), {})
        for key in inputs.PARTNER_FIELDS:
            if partner.get(key) != earlier.get(key):
                found.append(
                    Problem(
                        f"partners[{i}].{key}",
                        "not_your_partner",
                        f"Only {organisation.name}'s editors can change its {key.replace('_', ' ')}",
                    )
                )
    return found


def save(user, arrangement: Arrangement, data: dict[str, Any], door: arrangement_writes.Door) -> Outcome:
    """Create or replace the case's inputs. A shared case's save is a new version and plan."""
    if not can_edit(user, arrangement):
        return _refuse(f"You are not an editor of a partner in “{arrangement.title}”, so you cannot change its case")
    data = normalised(data)
    case = case_of(arrangement)
    found = inputs.problems(data, partner_codes(arrangement))
    found += _own_inputs_problems(user, arrangement, case.data if case else None, data)
    if found:
        return Outcome(case=case, problems=found)
    if case is not None and case.data == data:
        return Outcome(case=case)
    author = _author(user)
    with transaction.atomic():
        if case is None:
            case = BusinessCase.objects.create(arrangement=arrangement, data=data, updated_by=author)
        else:
            case = BusinessCase.objects.select_for_update().get(pk=case.pk)
            case.data, case.updated_by, case.updated_at = data, author, timezone.now()
            case.save(update_fields=["data", "updated_by", "updated_at"])
        version = _new_version(case, user, door) if case.shared else None
    return Outcome(case=case, version=version, changed=True)


def share(user, arrangement: Arrangement) -> Outcome:
    """Share the draft with everyone who can see the arrangement: version 1 and the plan in the ledger."""
    if not can_share(user, arrangement):
        return _refuse("Only editors of a partner organisation can share the business case")
    case = case_of(arrangement)
    if case is None:
        return Outcome(problems=[Problem("business_case", "required", "There is no business case to share yet")])
    if case.shared:
        return Outcome(case=case)
    found = inputs.problems(case.data, partner_codes(arrangement))
    if found:
        return Outcome(case=case, problems=found)
    with transaction.atomic():
        case = BusinessCase.objects.select_for_update().get(pk=case.pk)
        case.shared, case.shared_at, case.shared_by = True, timezone.now(), _author(user)
        case.save(update_fields=["shared", "shared_at", "shared_by"])
        version = _new_version(case, user, arrangement_writes.site(), shared=True)
    return Outcome(case=case, version=version, changed=True)


def normalised(data: dict[str, Any]) -> dict[str, Any]:
    """The document as stored: JSON types only (a tuple or a number-like string would compare unequal)."""
    import json

    return json.loads(json.dumps(data))


def _new_version(case: BusinessCase, user, door: arrangement_writes.Door, *, shared: bool = False) -> CaseVersion:
    """Number the version, say what changed, and write the plan into the ledger (inside the transaction)."""
    number = (case.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    previous = case.versions.order_by("-number").first()
    results = inputs.evaluate(case.data, case.arrangement)
    changes = describe(previous.data if previous else None, case.data, previous.npv if previous else None, results)
    if shared:
        changes.insert(0, "Shared with everyone who can see the arrangement")
    case.version = number
    case.save(update_fields=["version"])
    author = _author(user)
    organisation = None
    if author is not None:
        editable = permissions.editable_organisation_ids(author)
        organisation = next(
            (p.organisation for p in current_partners(case.arrangement) if p.organisation_id in editable), None
        )
    version = CaseVersion.objects.create(
        case=case,
        number=number,
        data=case.data,
        changes=changes,
        door=door.label,
        user=author,
        organisation=organisation,
        npv=results.appraisal.npv,
    )
    label = f"Business case {case.pk}, version "
    ledger_door = arrangement_writes.Door(f"business case, version {number} ({door.label})", "business_case")
    outcome = arrangement_writes.write_planned_savings(
        user, case.arrangement, plan(case, results), f"{label}{number}", label, ledger_door
    )
    if outcome.problems:  # a moderator may save, and may write the plan; anyone else was refused above
        raise PermissionError(outcome.problems[0].message)
    return version


def plan(case: BusinessCase, results: inputs.Results) -> list[dict[str, Any]]:
    """The plan's expected savings: one a financial year for the whole, and each partner's share where split."""
    adjusted = results.adjusted
    staff = [0.0] * adjusted.years
    for line in adjusted.lines:
        if line.kind == "saving" and line.category == "staff":
            staff = [s + a for s, a in zip(staff, line.amounts, strict=True)]
    organisations = {p.organisation.code: p.organisation for p in current_partners(case.arrangement)}
    rows: list[dict[str, Any]] = []
    weights = None
    if results.split is not None:
        weights = [max(row.savings, 0) for row in results.split.partners]
        if not any(weights):
            weights = None
    for year, total in enumerate(adjusted.savings):
        amount = round(float(total))
        if amount <= 0:
            continue
        staff_part = round(staff[year])
        rows.append(
            {
                "year": case.data["start_year"] + year,
                "partner": None,
                "amount": amount,
                "staff": staff_part,
                "other": amount - staff_part,
            }
        )
        if weights is not None and results.split is not None:
            for row, share in zip(results.split.partners, apportion(amount, weights), strict=True):
                rows.append(
                    {"year": case.data["start_year"] + year, "partner": organisations[row.code], "amount": share}
                )
    return rows


# --- what changed, in words ---------------------------------------------------------------


def _money(value: float | None) -> str:
    if value is None:
        return "not entered"
    return f"£{value:,.0f}" if value >= 0 else f"−£{-value:,.0f}"


def _amounts(values) -> str:
    return ", ".join(_money(v) for v in values) if values else "none"


def describe(old: dict | None, new: dict, old_npv: float | None, results: inputs.Results) -> list[str]:
    """The changes from the version before, as sentences a committee can read."""
    npv = results.appraisal.npv
    if old is None:
        return [f"First version: net present value {_money(npv)}"]
    lines: list[str] = []
    if old_npv is not None and round(old_npv) != round(npv):
        lines.append(f"Net present value: {_money(old_npv)} → {_money(npv)}")
    for key, label in (("start_year", "First financial year"), ("years", "Appraisal period (years)")):
        if old.get(key) != new.get(key):
            before, after = old.get(key), new.get(key)
            if key == "start_year":
                before, after = year_label(before), year_label(after)
            lines.append(f"{label}: {before} → {after}")
    if old.get("discount") != new.get("discount"):
        lines.append(f"Discount schedule: {old.get('discount')} → {new.get('discount')}")
    before = {line["name"]: line for line in old.get("lines") or []}
    after = {line["name"]: line for line in new.get("lines") or []}
    for name in after.keys() - before.keys():
        lines.append(f"Line added: {name} ({_amounts(after[name]['amounts'])})")
    for name in before.keys() - after.keys():
        lines.append(f"Line removed: {name}")
    for name in sorted(before.keys() & after.keys()):
        a, b = before[name], after[name]
        if a["amounts"] != b["amounts"]:
            lines.append(f"{name}: {_amounts(a['amounts'])} → {_amounts(b['amounts'])}")
        if (a.get("low"), a.get("high")) != (b.get("low"), b.get("high")):
            lines.append(f"{name}: low and high values changed")
        if a.get("kind") != b.get("kind") or a.get("category") != b.get("category"):
            lines.append(
                f"{name}: now {inputs.KIND_LABELS.get(b['kind'], b['kind'])}, {b.get('category') or 'no category'}"
            )
    ob_old, ob_new = old.get("optimism_bias") or {}, new.get("optimism_bias") or {}
    for key, label in (
        ("project_type", "Optimism bias project type"),
        ("one_off_costs_pct", "Optimism bias on one-off costs (%)"),
        ("running_costs_pct", "Optimism bias on running costs (%)"),
        ("delay_years", "Optimism bias delay (years)"),
        ("mitigation", "Optimism bias mitigation"),
        ("savings_from_register", "Savings cut from the register's reference class"),
        ("savings_pct", "Optimism bias cut in savings (%)"),
    ):
        if ob_old.get(key) != ob_new.get(key):
            lines.append(f"{label}: {ob_old.get(key)} → {ob_new.get(key)}")
    if (ob_old.get("extra") or []) != (ob_new.get("extra") or []):
        lines.append("Further optimism bias adjustments changed")
    if (old.get("risk") or {}) != (new.get("risk") or {}):
        lines.append("Risk analysis settings changed")
    if (old.get("split") or {}).get("method") != (new.get("split") or {}).get("method"):
        lines.append(
            f"Split: {inputs.SPLIT_LABELS.get((old.get('split') or {}).get('method'), 'none')} → "
            f"{inputs.SPLIT_LABELS.get((new.get('split') or {}).get('method'), 'none')}"
        )
    elif (old.get("split") or {}) != (new.get("split") or {}):
        lines.append("Split inputs changed")
    p_old = {p["code"]: p for p in old.get("partners") or []}
    for p in new.get("partners") or []:
        earlier = p_old.get(p["code"], {})
        for key in inputs.PARTNER_FIELDS:
            if earlier.get(key) != p.get(key):
                what = key.replace("_", " ")
                if key in ("baseline", "standalone_cost"):
                    lines.append(f"{p['code']} {what}: {_money(earlier.get(key))} → {_money(p.get(key))}")
                else:
                    lines.append(
                        f"{p['code']} {what}: {earlier.get(key) or 'not entered'} → {p.get(key) or 'not entered'}"
                    )
    return lines or ["Saved again with no change to the inputs"]
