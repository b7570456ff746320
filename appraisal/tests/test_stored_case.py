"""The stored business case: who sees and changes a draft, sharing, versions and the plan in the ledger."""

from __future__ import annotations

import pytest

from appraisal import writes
from appraisal.tests.factories import case_data
from arrangements import writes as arrangement_writes
from arrangements.models import LedgerEntry

SITE = arrangement_writes.site()


def expected(arrangement):
    return sorted(
        (e.period, e.partner.code if e.partner else "", e.amount, e.source)
        for e in LedgerEntry.objects.filter(arrangement=arrangement, measure="expected_saving")
    )


@pytest.mark.parametrize(
    "who, may",
    [(None, False), ("other_editor", False), ("viewer", True), ("editor", True), ("moderator", True)],
)
def test_a_draft_is_seen_by_its_partners_and_moderators_only(draft, arrangement, users, who, may):
    from django.contrib.auth.models import AnonymousUser

    user = users[who] if who else AnonymousUser()
    assert writes.can_see(user, arrangement, draft) is may


@pytest.mark.parametrize("who", [None, "other_editor", "viewer"])
def test_only_partner_editors_and_moderators_change_a_case(arrangement, users, who):
    from django.contrib.auth.models import AnonymousUser

    user = users[who] if who else AnonymousUser()
    outcome = writes.save(user, arrangement, case_data(), SITE)
    assert outcome.forbidden and outcome.case is None


def test_a_draft_writes_nothing_to_the_ledger_and_sharing_writes_the_plan(draft, arrangement, users):
    before = expected(arrangement)
    assert draft.version == 0 and not draft.versions.exists()
    assert expected(arrangement) == before
    assert writes.share(users["viewer"], arrangement).forbidden
    assert writes.share(users["moderator"], arrangement).forbidden  # partners share their own case
    outcome = writes.share(users["editor"], arrangement)
    assert outcome.ok and outcome.case.shared and outcome.version.number == 1
    rows = expected(arrangement)
    source = f"Business case {draft.pk}, version 1"
    mine = [r for r in rows if r[3] == source]
    # A year of the whole and each partner's share, split by baseline 60:40.
    assert ("2026/27", "", 50_000, source) in mine
    assert ("2027/28", "NTT", 60_000, source) in mine and ("2027/28", "SVL", 40_000, source) in mine
    assert len(mine) == 15
    version = arrangement.versions.order_by("-number").first()
    assert version.door.startswith("business case, version 1")
    assert any("Expected saving" in line for line in version.changes)
    everyone = writes.can_see(users["other_editor"], arrangement, outcome.case)
    assert everyone


def test_a_shared_case_saved_again_is_a_new_version_replacing_the_plan(draft, arrangement, users):
    writes.share(users["editor"], arrangement)
    data = case_data()
    data["lines"][1]["amounts"] = [50_000, 150_000, 150_000, 150_000, 150_000]
    outcome = writes.save(users["editor"], arrangement, data, SITE)
    assert outcome.ok and outcome.version.number == 2
    changes = outcome.version.changes
    assert "Staff savings: £50,000, £100,000, £100,000, £100,000, £100,000 → " in changes[1]
    assert changes[0].startswith("Net present value: £")
    sources = {r[3] for r in expected(arrangement) if r[3].startswith("Business case")}
    assert sources == {f"Business case {draft.pk}, version 2"}
    assert ("2027/28", "", 150_000, f"Business case {draft.pk}, version 2") in expected(arrangement)


def test_each_partner_enters_its_own_baseline(draft, arrangement, users, south_editor):
    from arrangements.models import Partnership

    Partnership.objects.filter(arrangement=arrangement, organisation__code="SVL").update(left_on=None)
    data = case_data()
    data["partners"][1]["baseline"] = 900_000
    refused = writes.save(users["editor"], arrangement, data, SITE)
    assert [(p.field, p.code) for p in refused.problems] == [("partners[1].baseline", "not_your_partner")]
    assert writes.save(south_editor, arrangement, data, SITE).ok


def test_problems_name_the_field(arrangement, users):
    data = case_data()
    data["lines"][0]["amounts"] = [1, 2]
    data["optimism_bias"]["running_costs_pct"] = 20  # differs from the guidance with no reason
    data["partners"][0]["code"] = "CWM"
    fields = {p.field for p in writes.save(users["editor"], arrangement, data, SITE).problems}
    assert {"lines[0].amounts", "optimism_bias.reason", "partners[0].code"} <= fields


def test_the_dashboard_counts_the_shared_plan_once(draft, arrangement, users):
    from arrangements.figures import register_figures
    from arrangements.models import Arrangement

    before = register_figures(Arrangement.objects.filter(pk=arrangement.pk)).figures.expected
    writes.share(users["editor"], arrangement)
    after = register_figures(Arrangement.objects.filter(pk=arrangement.pk)).figures.expected
    # The whole arrangement's five years; the partners' shares of them are not added again.
    assert after - before == 50_000 + 4 * 100_000
