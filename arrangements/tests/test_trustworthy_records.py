"""The defects of the trustworthy-records issue, each tested at the doors it came through."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from arrangements import importing, writes
from arrangements.migrations_support import entries_for
from arrangements.models import Arrangement, LedgerEntry, Revision
from tests.world import HEADER, bearer


def test_two_years_of_savings_survive_an_edit(arrangement, users):
    body = Client().get(f"/api/v1/arrangements/{arrangement.pk}").json()
    ledger = [*body["ledger"], {"period": "2027/28", "measure": "achieved_saving", "amount": 250_000}]
    response = Client().patch(
        f"/api/v1/arrangements/{arrangement.pk}",
        {"ledger": ledger},
        content_type="application/json",
        **bearer(users["moderator"]),
    )
    assert response.status_code == 200, response.content
    periods = set(arrangement.ledger.values_list("period", "measure"))
    assert {("2018/19", "expected_saving"), ("2027/28", "achieved_saving")} <= periods


def test_a_partial_put_is_refused_and_a_patch_keeps_every_other_field(arrangement, users):
    writes.change(
        users["moderator"],
        arrangement,
        {"governance_notes": "Joint board", "contact_name": "A Person", "contact_email": "a@example.gov.uk"},
        writes.api(),
        partial=True,
    )
    response = Client().put(
        f"/api/v1/arrangements/{arrangement.pk}",
        {"title": "Shared legal"},
        content_type="application/json",
        **bearer(users["moderator"]),
    )
    assert response.status_code == 422
    assert {"description", "ledger", "governance_notes"} <= {p["field"] for p in response.json()["problems"]}
    response = Client().patch(
        f"/api/v1/arrangements/{arrangement.pk}",
        {"status": "under review"},
        content_type="application/json",
        **bearer(users["moderator"]),
    )
    assert response.status_code == 200
    arrangement.refresh_from_db()
    assert (arrangement.status, arrangement.governance_notes, arrangement.contact_email) == (
        "under_review",
        "Joint board",
        "a@example.gov.uk",
    )
    assert arrangement.ledger.count() == 4


@pytest.mark.parametrize("door", ["api", "import"])
def test_another_organisations_editor_cannot_overwrite_an_existing_arrangement(arrangement, users, csv_file, door):
    if door == "api":
        response = Client().patch(
            f"/api/v1/arrangements/{arrangement.pk}",
            {"status": "ended"},
            content_type="application/json",
            **bearer(users["other_editor"]),
        )
        assert response.status_code == 403
    else:
        # Cwmtest's editor names an existing title and lead, with Cwmtest as a partner.
        row = "Shared legal,Taken over,legal,joint committee,ended,2016,,Northtown District Council,Cwmtest,,,,,,x,"
        report = importing.run(csv_file(row), "f.csv", users["other_editor"])
        (problem,) = report.problems
        assert (problem.row, problem.column, problem.code) == (2, "title", "forbidden")
    arrangement.refresh_from_db()
    assert arrangement.status == "live" and arrangement.description == "One legal team"


@pytest.mark.parametrize("door", ["page", "api", "import"])
def test_an_editors_change_to_a_published_arrangement_waits_for_a_moderator(arrangement, users, csv_file, door):
    editor = users["editor"]
    if door == "page":
        client = Client()
        client.force_login(editor)
        form = client.get(f"/arrangements/{arrangement.pk}/change/").context["form"]
        data = {n: v for n in form.fields if (v := form[n].value()) not in (None, [])}
        assert client.post(f"/arrangements/{arrangement.pk}/change/", {**data, "status": "ended"}).status_code == 302
    elif door == "api":
        response = Client().patch(
            f"/api/v1/arrangements/{arrangement.pk}",
            {"status": "ended"},
            content_type="application/json",
            **bearer(editor),
        )
        assert response.status_code == 202
    else:
        row = (
            "Shared legal,One legal team,legal,lead authority delegation,ended,2016-04-01,,"
            "Northtown District Council,Southvale,,,,,,x,"
        )
        assert importing.run(csv_file(row), "f.csv", editor).held == 1
    arrangement.refresh_from_db()
    assert arrangement.status == "live"  # the public still sees the published version
    revision = Revision.objects.get(arrangement=arrangement, state="pending")
    assert "Status: Live → Ended" in revision.changes
    assert not writes.approve(editor, revision).ok  # an editor cannot approve
    assert writes.approve(users["moderator"], revision).ok
    arrangement.refresh_from_db()
    assert arrangement.status == "ended"


def test_a_second_change_replaces_the_first_with_a_note(arrangement, users):
    first = writes.change(users["editor"], arrangement, {"status": "ended"}, writes.api(), partial=True)
    second = writes.change(users["admin"], arrangement, {"status": "expanded"}, writes.api(), partial=True)
    first.revision.refresh_from_db()
    assert first.revision.state == "superseded" and "Replaced" in first.revision.replaced_note
    assert second.revision.state == "pending" and second.notes


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"ledger": [{"period": "2024/25", "measure": "achieved_saving", "amount": 10**20}]}, "ledger[0].amount"),
        ({"ledger": [{"period": "0000/01", "measure": "achieved_saving", "amount": 5}]}, "ledger[0].period"),
        ({"start_date": "9999"}, "start_date"),
        ({"start_date": None, "start_year": 10**20}, "start_year"),
        (
            {"ledger": [{"period": "2024/25", "measure": "achieved_saving", "amount": 5, "standing": "signed_off"}]},
            "ledger[0].standing",
        ),
    ],
)
def test_out_of_range_values_answer_422_naming_the_field(arrangement, users, payload, field):
    response = Client().patch(
        f"/api/v1/arrangements/{arrangement.pk}", payload, content_type="application/json", **bearer(users["moderator"])
    )
    assert response.status_code == 422, response.content
    assert field in {p["field"] for p in response.json()["problems"]}


def test_a_huge_amount_in_an_import_names_the_row_and_column(places, service_list, users, csv_file):
    row = "Big,Big one,legal,joint committee,live,2019,,Northtown District Council,,,,100000000000000000000,,2020/21,,"
    (problem,) = importing.run(csv_file(row), "f.csv", users["moderator"]).problems
    assert (problem.row, problem.column) == (2, "annual_savings_expected_gbp")
    assert "£1 trillion" in problem.message


def test_the_template_example_row_imports(places, service_list, users):
    from organisations.tests.factories import OrganisationFactory

    for code, name in (
        ("CAM", "Cambridgeshire County Council"),
        ("PTE", "Peterborough City Council"),
        ("CPFA", "Cambridgeshire and Peterborough Fire Authority"),
    ):
        OrganisationFactory(code=code, name=name, official_name=name)
    columns = importing.template_columns()
    content = (
        ",".join(columns) + "\n" + ",".join(f'"{importing.TEMPLATE_EXAMPLE.get(c, "")}"' for c in columns) + "\n"
    ).encode()
    report = importing.run(content, "template.csv", users["moderator"])
    assert report.problems == [] and report.created == 1
    example = Arrangement.objects.get()
    assert example.ledger.count() == 5 and example.has_exit_strategy is True


def test_an_xlsx_claiming_two_million_rows_is_refused_before_its_rows_are_read(places, users):
    import io
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["title"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source, patched = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(patched, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:Z2000001"/>', data)
                assert b"A1:Z2000001" in data
            out.writestr(item, data)
    report = importing.run(patched.getvalue(), "big.xlsx", users["moderator"])
    assert "2,000,000 rows" in report.problems[0].message


@pytest.mark.django_db(transaction=True)
def test_simultaneous_creates_with_the_same_title_and_lead_make_one_record(places, service_list, users):
    raw = {
        "title": "Race",
        "description": "d",
        "kind": "shared service",
        "services": ["legal"],
        "delivery_model": "joint committee",
        "status": "live",
        "lead_organisation": "NTT",
        "no_savings_reason": "x",
    }
    results = []

    def create():
        results.append(writes.create(users["moderator"], raw, writes.api()))
        connection.close()

    # In-memory SQLite (the fast suite) cannot be shared between threads, so there the eight
    # creates run one after another; on PostgreSQL (CI runs the suite there too) they race.
    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
        if connection.vendor == "sqlite":
            thread.join()
    for thread in threads:
        thread.join()
    assert Arrangement.objects.filter(title="Race").count() == 1
    assert sum(1 for r in results if r.ok) == 1


def test_the_database_refuses_a_second_record_with_the_same_title_and_lead(arrangement):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Arrangement.objects.create(
            title="SHARED legal",
            title_key=arrangement.title_key,
            lead_organisation=arrangement.lead_organisation,
            description="x",
            delivery_model="other",
            status="live",
        )


def test_the_migration_keeps_every_old_figure():
    import datetime as dt
    from types import SimpleNamespace

    old = SimpleNamespace(
        start_year=2007,
        created_at=dt.datetime(2020, 1, 1),
        baseline_annual_cost=67_200_000,
        baseline_year="",
        setup_cost=966_000,
        cumulative_savings_achieved=5_140_000,
        cumulative_savings_to="2012-03",
    )
    savings = [
        SimpleNamespace(
            basis="achieved", year="2007-2009", year_start=2007, total=1_371_000, staff=734_000, other=637_000, note=""
        )
    ]
    entries = {(e["measure"], e["period"]): e["amount"] for e in entries_for(old, savings)}
    assert entries == {
        ("achieved_saving", "2007/08-2008/09"): 1_371_000,
        ("baseline_cost", "2006/07"): 67_200_000,
        ("one_off_cost", "2007/08"): 966_000,
        ("achieved_saving", "2007/08-2011/12"): 5_140_000,
    }


def test_api_token_reads_show_an_editors_draft_and_pending_revision(arrangement, users):
    writes.change(users["editor"], arrangement, {"status": "ended"}, writes.api(), partial=True)
    anonymous = Client().get(f"/api/v1/arrangements/{arrangement.pk}").json()
    assert anonymous["pending_revision"] is None
    mine = Client().get(f"/api/v1/arrangements/{arrangement.pk}", **bearer(users["editor"])).json()
    assert mine["pending_revision"]["changes"] == ["Status: Live → Ended"]
    assert LedgerEntry.objects.filter(arrangement=arrangement).count() == 4
    assert "title" in HEADER


def test_a_cell_of_200000_characters_is_a_clear_problem_not_a_traceback(places, service_list, users, csv_file):
    row = "Long," + "x" * 200_000 + ",legal,joint committee,live,2019,,Northtown District Council,,,,,,,None yet,"
    (problem,) = importing.run(csv_file(row), "f.csv", users["moderator"]).problems
    assert "longer than 100,000 characters" in problem.message and problem.row is not None


def test_problem_counts_are_by_row(places, service_list, users, csv_file, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = "Good,desc,legal,joint committee,live,2019,,Northtown District Council,,,,,,,None yet,"
    bad = "Bad,,lgsl 99999,magic,flying,2019-13-45,,Northtown District Council,Nowhere DC,abc,,,,,,ftp://x"
    client = Client()
    client.force_login(users["moderator"])
    response = client.post(
        "/arrangements/import/",
        {"file": SimpleUploadedFile("f.csv", csv_file(good, bad, good.replace("Good", "Fine")))},
    )
    page = client.get(response["Location"]).content.decode()
    assert "problems in 1 of the file’s 3 rows" in page


def test_a_check_only_run_says_so_and_a_long_preview_says_it_shows_the_first_rows(
    places, service_list, users, csv_file, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from arrangements import jobs

    rows = [
        f"Row {n},desc,legal,joint committee,live,2019,,Northtown District Council,,,,,,,None yet,"
        for n in range(jobs.MAX_TITLES_SHOWN + 5)
    ]
    client = Client()
    client.force_login(users["moderator"])
    response = client.post(
        "/arrangements/import/", {"file": SimpleUploadedFile("f.csv", csv_file(*rows)), "dry_run": "on"}
    )
    page = client.get(response["Location"]).content.decode()
    assert "(check only)" in page and f"The first {jobs.MAX_TITLES_SHOWN} of the 205 rows" in page


@pytest.mark.parametrize("amount", ["100000000000000000000", "9223372036854775808"])
def test_an_amount_beyond_a_trillion_on_the_add_page_is_an_error_beside_the_field(places, service_list, users, amount):
    client = Client()
    client.force_login(users["editor"])
    response = client.post(
        "/arrangements/add/",
        {
            "title": "Big",
            "description": "d",
            "kind": "shared_service",
            "services": "legal",
            "delivery_model": "joint_committee",
            "status": "live",
            "lead_organisation": "Northtown",
            "ledger-0-period": "2024/25",
            "ledger-0-measure": "achieved_saving",
            "ledger-0-amount": amount,
        },
    )
    assert response.status_code == 200
    assert 'href="#id_ledger-0-amount"' in response.content.decode() and "£1 trillion" in response.content.decode()
    assert not Arrangement.objects.exists()


def test_deleting_an_arrangement_closes_the_changes_waiting_on_it(arrangement, users):
    held = writes.change(users["editor"], arrangement, {"status": "ended"}, writes.api(), partial=True).revision
    assert writes.delete(users["moderator"], arrangement, writes.site()).ok
    held.refresh_from_db()
    assert held.state == "superseded" and "deleted" in held.replaced_note


def test_survey_returns_wait_for_a_moderator_even_where_lead_admins_may_publish(arrangement, users, settings):
    from surveys.models import SurveyResponse, SurveyRound

    settings.LEAD_ADMIN_CAN_PUBLISH = True
    survey = SurveyRound.objects.create(year=2026, opens_on="2026-04-01", closes_on="2027-03-31")
    response = SurveyResponse.objects.create(round=survey, organisation=arrangement.lead_organisation)
    held = writes.change(
        users["editor"],
        arrangement,
        {"status": "expanded"},
        writes.survey("2026/27", response),
        partial=True,
        moderate=True,
    ).revision
    assert not writes.approve(users["admin"], held).ok  # Northtown's admin leads it, but this is a survey return
    assert writes.approve(users["moderator"], held).ok
