"""The benefits plan at each door (page, API, spreadsheet), its permissions, RAG and chart; and the
rule that an editor cannot move an arrangement to live without a baseline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from arrangements import importing
from arrangements.models import Arrangement
from benefits import writes
from benefits.models import BenefitMeasure, BenefitValue
from tests.world import HEADER, bearer

SATISFACTION = {
    "name": "Customer satisfaction",
    "kind": "non_financial",
    "unit": "%",
    "higher_is_better": "true",
    "owner": "NTT",
    "baseline_value": "72",
    "baseline_on": "2024-03-31",
    "target_value": "85",
    "target_on": "2027-03-31",
    "frequency": "annual",
}


@pytest.fixture
def implementing(users, service_list, places):
    """Shared audit, published, being implemented: no baseline cost, an expected saving of £100,000 in 2024/25."""
    content = HEADER + (
        "Shared audit,One audit team,audit,lead authority delegation,implementing,2024-04-01,,"
        "Northtown District Council,Southvale,,,100000,,2024/25,,https://example.org/a\n"
    )
    report = importing.run(content.encode(), "b.csv", users["moderator"], publish=True)
    assert not report.problems, report.problems
    return Arrangement.objects.get(title="Shared audit")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_an_editor_builds_a_plan_on_the_page_and_sees_rag_and_chart(implementing, users):
    client = client_for(users["editor"])
    url = f"/arrangements/{implementing.pk}/benefits/"
    response = client.post(url, {**SATISFACTION})
    assert response.status_code == 302, response.content.decode()[:3000]
    satisfaction = BenefitMeasure.objects.get(name="Customer satisfaction")
    measure_url = f"{url}{satisfaction.pk}/"
    for period, planned, actual in (("2024/25", "75", "76"), ("2025/26", "80", "73")):
        response = client.post(
            measure_url, {"values-period": period, "values-planned": planned, "values-actual": actual}
        )
        assert response.status_code == 302
    page = client.get(url).content.decode()
    # 76 against 75 is green; 73 against 80 is 8.75% short: amber, and the measure takes its latest.
    assert 'id="measure-' in page and "<svg" in page and "Amber" in page
    assert "amber, and the measure" not in page  # the page shows the written thresholds instead
    assert "worse than plan by up to 10% of the planned value" in page
    assert f'id="table-measure-{satisfaction.pk}"' in page
    # A problem is shown beside its box, naming the field.
    bad = client.post(measure_url, {"values-period": "2025/27", "values-actual": "lots"})
    assert bad.status_code == 200
    assert "a financial year runs into the next year" in bad.content.decode()


def test_a_financial_measure_reads_the_ledger_and_refuses_values_of_its_own(implementing, users):
    outcome = writes.save_measure(
        users["editor"], implementing, {"name": "Savings", "kind": "financial", "owner": "NTT"}
    )
    assert outcome.ok, outcome.problems
    refused = writes.record_values(users["editor"], outcome.measure, [{"period": "2024/25", "actual": "1"}])
    assert refused.problems[-1].code == "financial"
    body = Client().get(f"/api/v1/arrangements/{implementing.pk}/benefits").json()
    financial = next(m for m in body["measures"] if m["kind"] == "financial")
    assert financial["unit"] == "£"
    # 2024/25 has ended with no achieved saving recorded: red.
    assert financial["values"] == [
        {"period": "2024/25", "planned": 100000.0, "actual": None, "actual_standing": "", "rag": "red"}
    ]


@pytest.mark.parametrize("who, expected", [("anonymous", 401), ("viewer", 403), ("other_editor", 403), ("editor", 200)])
def test_the_api_writes_for_partners_editors_only(implementing, users, who, expected):
    payload = {
        **SATISFACTION,
        "higher_is_better": True,
        "values": [{"period": "2024/25", "planned": 75, "actual": 70}, {"period": "2040/41", "planned": 80}],
    }
    headers = bearer(users[who]) if who != "anonymous" else {}
    response = Client().post(
        f"/api/v1/arrangements/{implementing.pk}/benefits", payload, content_type="application/json", **headers
    )
    assert response.status_code == expected, response.content
    if expected == 200:
        measure = response.json()["measures"][0]
        assert [(v["period"], v["rag"]) for v in measure["values"]] == [("2024/25", "amber"), ("2040/41", None)]
        assert BenefitValue.objects.count() == 3
    else:
        assert not BenefitMeasure.objects.exists()


def test_the_api_answers_422_with_every_problem(implementing, users):
    payload = {**SATISFACTION, "owner": "CWM", "baseline_value": "much", "values": [{"period": "x"}]}
    response = Client().post(
        f"/api/v1/arrangements/{implementing.pk}/benefits",
        payload,
        content_type="application/json",
        **bearer(users["editor"]),
    )
    assert response.status_code == 422
    assert {p["field"] for p in response.json()["problems"]} == {"owner", "baseline_value"}


def test_the_public_sees_the_plan_of_published_arrangements_only(implementing, users):
    writes.save_measure(users["editor"], implementing, SATISFACTION)
    assert Client().get(f"/arrangements/{implementing.pk}/benefits/").status_code == 200
    implementing.published = False
    implementing.save(update_fields=["published"])
    assert Client().get(f"/arrangements/{implementing.pk}/benefits/").status_code == 404
    assert Client().get(f"/api/v1/arrangements/{implementing.pk}/benefits").status_code == 404
    assert client_for(users["viewer"]).get(f"/arrangements/{implementing.pk}/benefits/").status_code == 200
    assert (
        client_for(users["other_editor"]).post(f"/arrangements/{implementing.pk}/benefits/", SATISFACTION).status_code
        == 404
    )


def test_a_spreadsheet_of_values_names_the_row_and_column_of_each_problem(implementing, users):
    writes.save_measure(users["editor"], implementing, SATISFACTION)
    bad = (
        b"measure,period,planned,actual\nCustomer satisfaction,2024/25,75,76\n"
        b"Customer satisfaction,2025/26,80,high\nStaff morale,2025/26,1,1\n"
    )
    outcome = writes.import_values(users["editor"], implementing, bad, "values.csv")
    assert [(p.row, p.column) for p in outcome.problems] == [(4, "measure"), (3, "actual")]
    assert not BenefitValue.objects.exists()
    good = b"measure,period,planned,actual\nCustomer satisfaction,2024/25,75,76\nCustomer satisfaction,2025/26,80,81\n"
    client = client_for(users["editor"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/arrangements/{implementing.pk}/benefits/upload/", {"file": SimpleUploadedFile("values.csv", good)}
    )
    assert response.status_code == 302
    assert BenefitValue.objects.filter(basis="actual").count() == 2
    assert client_for(users["viewer"]).get(f"/arrangements/{implementing.pk}/benefits/upload/").status_code == 403


# --- baseline before live ---------------------------------------------------------------


def _to_live(door: str, user, arrangement):
    if door == "api":
        return Client().patch(
            f"/api/v1/arrangements/{arrangement.pk}",
            {"status": "live"},
            content_type="application/json",
            **bearer(user),
        )
    client = client_for(user)
    form = client.get(f"/arrangements/{arrangement.pk}/change/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, [])}
    data["status"] = "live"
    return client.post(f"/arrangements/{arrangement.pk}/change/", data)


@pytest.mark.parametrize("door", ["page", "api"])
def test_an_editor_cannot_move_an_arrangement_to_live_without_a_baseline(implementing, users, door):
    response = _to_live(door, users["editor"], implementing)
    if door == "api":
        assert response.status_code == 422
        problem = response.json()["problems"][0]
        assert problem["field"] == "status" and problem["code"] == "no_baseline"
    else:
        assert response.status_code == 200
        # Beside the status field, and in the error summary.
        assert "cannot be marked live without a baseline" in response.context["form"].errors["status"][0]
    assert not implementing.revisions.exists()


@pytest.mark.parametrize("door", ["page", "api"])
def test_a_measure_without_a_baseline_also_stops_it(implementing, users, door):
    writes.save_measure(users["editor"], implementing, {**SATISFACTION, "baseline_value": "", "baseline_on": ""})
    from arrangements.models import LedgerEntry

    LedgerEntry.objects.create(
        arrangement=implementing,
        period="2023/24",
        period_first=2023,
        period_last=2023,
        measure="baseline_cost",
        basis="actual",
        standing="reported",
        amount=900_000,
    )
    response = _to_live(door, users["editor"], implementing)
    text = response.content.decode()
    assert "a baseline value and date for each benefit measure (Customer satisfaction)" in text
    BenefitMeasure.objects.update(baseline_value=72, baseline_on=dt.date(2024, 3, 31))
    response = _to_live(door, users["editor"], implementing)
    # Now it goes to a moderator, as any editor's change to a published arrangement does.
    assert response.status_code == (202 if door == "api" else 302), response.content.decode()[:2000]
    assert implementing.revisions.filter(state="pending").exists()


def test_imports_may_record_live_arrangements_without_a_baseline_and_they_say_so(implementing, users):
    content = HEADER + (
        "Shared audit,One audit team,audit,lead authority delegation,live,2024-04-01,,"
        "Northtown District Council,Southvale,,,100000,,2024/25,,https://example.org/a\n"
    )
    report = importing.run(content.encode(), "c.csv", users["moderator"], publish=True)
    assert not report.problems
    page = Client().get(f"/arrangements/{implementing.pk}/").content.decode()
    assert "No baseline recorded" in page
