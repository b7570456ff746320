"""Sign-off of achieved savings: only a partner's finance lead, only the published version, at once,
in the history, withdrawn with a reason; and only signed-off savings count as achieved."""

from __future__ import annotations

import pytest
from django.test import Client

from arrangements import writes
from arrangements.models import LedgerEntry
from arrangements.tests.factories import LedgerEntryFactory
from benefits.models import SignOff
from tests.world import bearer


def _achieved(arrangement) -> LedgerEntry:
    return arrangement.ledger.get(measure="achieved_saving")


def _figures() -> dict:
    return Client().get("/api/v1/figures").json()


def _sign(door: str, user, arrangement, entry, note="Agreed to the outturn report"):
    if door == "api":
        return Client().post(
            f"/api/v1/arrangements/{arrangement.pk}/ledger/{entry.pk}/sign-off",
            {"note": note},
            content_type="application/json",
            **(bearer(user) if user else {}),
        )
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.post(f"/arrangements/{arrangement.pk}/ledger/{entry.pk}/sign-off/", {"note": note})


@pytest.mark.parametrize("door", ["page", "api"])
def test_a_finance_lead_signs_off_and_only_then_it_counts_as_achieved(arrangement, finance, door):
    entry = _achieved(arrangement)
    before = _figures()
    assert (before["achieved"], before["achieved_reported"]) == (0, 250_000)
    response = _sign(door, finance["north"], arrangement, entry)
    assert response.status_code == (200 if door == "api" else 302), response.content
    entry.refresh_from_db()
    assert (entry.standing, entry.signed_off_by) == ("signed_off", "Fin north.finance")
    after = _figures()
    assert (after["achieved"], after["achieved_signed_off"], after["achieved_reported"]) == (250_000, 250_000, 0)
    sign_off = SignOff.objects.get(entry=entry)
    assert sign_off.organisation.code == "NTT" and sign_off.note == "Agreed to the outturn report"
    # In the history at once, in words: no moderator holds it.
    version = arrangement.versions.order_by("-number").first()
    assert version.changes == [
        "Signed off the achieved saving for 2018/19 (£250,000) for Northtown: Agreed to the outturn report"
    ]
    assert not arrangement.revisions.exists()


@pytest.mark.parametrize("door", ["page", "api"])
@pytest.mark.parametrize("who", ["anonymous", "viewer", "editor", "moderator", "welsh"])
def test_only_the_sign_off_role_of_a_partner_signs_off(arrangement, users, finance, door, who):
    user = None if who == "anonymous" else finance["welsh"] if who == "welsh" else users[who]
    response = _sign(door, user, arrangement, _achieved(arrangement))
    expected = {"anonymous": 401 if door == "api" else 302}.get(who, 403)
    assert response.status_code == expected
    assert _achieved(arrangement).standing == "reported"
    assert not SignOff.objects.exists()


def test_a_partners_share_is_signed_off_by_its_own_finance_lead_only(arrangement, places, finance):
    share = LedgerEntryFactory(
        arrangement=arrangement, partner=places["south"], measure="achieved_saving", period="2019/20", amount=40_000
    )
    refused = writes.sign_off(finance["north"], share, "")
    assert refused.forbidden and "Southvale" in refused.problems[0].message
    assert writes.sign_off(finance["south"], share, "").ok
    share.refresh_from_db()
    assert share.standing == "signed_off"


def test_only_the_published_version_and_only_achieved_savings(arrangement, finance):
    expected = arrangement.ledger.get(measure="expected_saving")
    assert writes.sign_off(finance["north"], expected, "").problems[0].code == "not_achieved"
    arrangement.published = False
    arrangement.save(update_fields=["published"])
    outcome = writes.sign_off(finance["north"], _achieved(arrangement), "")
    assert outcome.problems[0].code == "not_published"


def test_signing_twice_is_refused(arrangement, finance):
    entry = _achieved(arrangement)
    assert writes.sign_off(finance["north"], entry, "").ok
    assert writes.sign_off(finance["south"], entry, "").problems[0].code == "already_signed_off"


@pytest.mark.parametrize("door", ["page", "api"])
def test_withdrawal_needs_a_reason_and_both_stay_in_the_history(arrangement, finance, door):
    entry = _achieved(arrangement)
    assert writes.sign_off(finance["north"], entry, "Checked").ok
    if door == "api":
        url = f"/api/v1/arrangements/{arrangement.pk}/ledger/{entry.pk}/withdraw-sign-off"
        headers = bearer(finance["north"])
        refused = Client().post(url, {"reason": "  "}, content_type="application/json", **headers)
        assert refused.status_code == 422
        assert refused.json()["problems"][0]["field"] == "reason"
        response = Client().post(
            url, {"reason": "The outturn was restated"}, content_type="application/json", **headers
        )
        assert response.status_code == 200
    else:
        client = Client()
        client.force_login(finance["north"])
        url = f"/arrangements/{arrangement.pk}/ledger/{entry.pk}/withdraw-sign-off/"
        refused = client.post(url, {"reason": ""})
        assert refused.status_code == 200 and "Give the reason for withdrawing the sign-off" in refused.content.decode()
        assert client.post(url, {"reason": "The outturn was restated"}).status_code == 302
    entry.refresh_from_db()
    assert (entry.standing, entry.signed_off_by, entry.signed_off_on) == ("reported", "", None)
    assert _figures()["achieved"] == 0
    changes = [c for v in arrangement.versions.order_by("number") for c in v.changes]
    assert changes[-2].startswith("Signed off the achieved saving for 2018/19")
    assert (
        changes[-1]
        == "Withdrew the sign-off of the achieved saving for 2018/19 (£250,000) for Northtown: The outturn was restated"
    )
    withdrawn = SignOff.objects.get(entry=entry)
    assert withdrawn.withdrawal_reason == "The outturn was restated" and withdrawn.withdrawn_by == finance["north"]
    history = Client().get(f"/arrangements/{arrangement.pk}/history/").content.decode()
    assert "The outturn was restated" in history and "Signed off the achieved saving" in history
    # It can be signed off again afterwards.
    assert writes.sign_off(finance["south"], entry, "").ok


def test_the_public_sees_the_organisation_and_role_and_partners_also_the_name(arrangement, users, finance):
    entry = _achieved(arrangement)
    assert writes.sign_off(finance["north"], entry, "").ok
    public = Client().get(arrangement.get_absolute_url()).content.decode()
    assert "Signed off by Northtown’s finance lead," in public
    assert "Fin north.finance" not in public
    client = Client()
    client.force_login(users["viewer"])
    assert "(Fin north.finance)" in client.get(arrangement.get_absolute_url()).content.decode()


def test_the_sign_off_link_is_shown_to_the_finance_lead_only(arrangement, users, finance):
    entry = _achieved(arrangement)
    link = f"/arrangements/{arrangement.pk}/ledger/{entry.pk}/sign-off/"
    for user, shown in ((finance["north"], True), (users["editor"], False), (finance["welsh"], False)):
        client = Client()
        client.force_login(user)
        assert (link in client.get(arrangement.get_absolute_url()).content.decode()) is shown
    client = Client()
    client.force_login(finance["north"])
    page = client.get(link)
    assert page.status_code == 200 and "Sign off the achieved saving for 2018/19" in page.content.decode()


def test_the_api_and_downloads_name_the_signer_to_partners_only(arrangement, users, finance):
    entry = _achieved(arrangement)
    assert writes.sign_off(finance["north"], entry, "").ok

    def signer(body):
        return next(e for e in body["ledger"] if e["id"] == entry.pk)["signed_off_by"]

    assert signer(Client().get(f"/api/v1/arrangements/{arrangement.pk}").json()) == ""
    partner = Client().get(f"/api/v1/arrangements/{arrangement.pk}", **bearer(users["viewer"])).json()
    assert signer(partner) == "Fin north.finance"
    download = b"".join(Client().get("/arrangements/download/json/").streaming_content).decode()
    assert arrangement.title in download and "Fin north.finance" not in download  # open data names nobody
    # What GET returns can be PUT back: the sign-off stays.
    put = Client().put(
        f"/api/v1/arrangements/{arrangement.pk}",
        {k: v for k, v in Client().get(f"/api/v1/arrangements/{arrangement.pk}").json().items()},
        content_type="application/json",
        **bearer(users["moderator"]),
    )
    assert put.status_code == 200, put.content
    entry.refresh_from_db()
    assert (entry.standing, entry.signed_off_by) == ("signed_off", "Fin north.finance")


def test_the_publics_kept_dashboard_counts_a_sign_off_and_a_plans_baseline_at_once(arrangement, users, finance):
    """The public's dashboard is kept against the register version: a sign-off and a benefits
    plan's change must move that version, or the public would see the figures of before."""
    import re

    from benefits import writes as benefit_writes

    def shown(figure: str) -> str:
        html = Client().get("/dashboard/").content.decode()
        return re.search(rf'id="figure-{figure}">([^<]*)<', html).group(1)

    assert shown("achieved") == "£0"
    assert writes.sign_off(finance["north"], _achieved(arrangement), "Checked").ok
    assert shown("achieved") == "£250k"

    before = shown("no-baseline")
    outcome = benefit_writes.save_measure(
        users["editor"],
        arrangement,
        {
            "name": "Cases closed in time",
            "kind": "non_financial",
            "unit": "%",
            "higher_is_better": "yes",
            "owner": "NTT",
        },
    )
    assert outcome.ok, outcome.problems
    assert shown("no-baseline") != before  # a measure with no baseline: the arrangement now lacks one
