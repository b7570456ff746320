"""The bulk import: validation with row and column, all or nothing, name resolution, reruns."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from arrangements import importing
from arrangements.models import Arrangement, LedgerEntry, Partnership
from tests.world import HEADER

GOOD = (
    "Waste partnership,Joint waste collection,waste; 524,joint committee,live,2019,,Testshire County Council,"
    'Northtown DC; southvale district council,,,"£1.2m",,2020/21,,https://example.org/waste'
)


def test_valid_file_creates_arrangements_with_partners_services_and_expected_savings(
    places, service_list, users, csv_file
):
    report = importing.run(csv_file(GOOD), "f.csv", users["moderator"])
    assert report.problems == []
    assert report.created == 1
    arrangement = Arrangement.objects.get(title="Waste partnership")
    assert {(p.organisation.code, p.role) for p in arrangement.partnerships.all()} == {
        ("TST", "lead"),
        ("NTT", "member"),
        ("SVL", "member"),
    }
    assert [s.lgsl for s in arrangement.services.all()] == [524]
    assert {c.key for c in arrangement.categories.all()} == {"environment-waste"}
    (entry,) = arrangement.ledger.all()
    assert (entry.measure, entry.standing, entry.period, entry.amount) == (
        "expected_saving",
        "expected",
        "2020/21",
        1_200_000,
    )
    assert arrangement.start_year == 2019 and arrangement.start_date is None
    assert not arrangement.published  # imports wait for a moderator unless published on purpose


def test_every_problem_is_reported_with_row_column_and_value_and_nothing_is_written(
    places, service_list, users, csv_file
):
    bad = "Bad,,lgsl 99999,magic,flying,2019-13-45,,Testshire CC,Nowhere DC,abc,,,,,,ftp://x"
    report = importing.run(csv_file(GOOD, bad), "f.csv", users["moderator"])
    assert Arrangement.objects.count() == 0  # the good row was not written either
    found = {(p.row, p.column, p.value) for p in report.problems}
    assert {
        (3, "description", ""),
        (3, "service", "lgsl 99999"),
        (3, "model", "magic"),
        (3, "status", "flying"),
        (3, "start_date", "2019-13-45"),
        (3, "partner_organisations", "Nowhere DC"),
        (3, "baseline_cost_gbp", "abc"),
        (3, "source_url", "ftp://x"),
    } <= found
    assert all(p.row == 3 for p in report.problems)


def test_unknown_organisation_suggests_the_closest_name(places, service_list, users, csv_file):
    row = GOOD.replace("Testshire County Council", "Testshir County Council")
    report = importing.run(csv_file(row), "f.csv", users["moderator"])
    (problem,) = report.problems
    assert problem.column == "lead_organisation"
    assert "Did you mean “Testshire County Council”" in problem.message


@pytest.mark.parametrize("text", ["TST", "E10099991", "Testshire", "testshire county council", "Testshire CC"])
def test_organisations_resolve_by_code_gss_code_and_everyday_names(places, text):
    from organisations.resolve import OrganisationResolver

    assert OrganisationResolver().resolve(text).organisation == places["county"]


def test_abolished_organisations_can_be_partners_of_past_arrangements(places, service_list, users, csv_file):
    row = (
        "Old HR,HR shared with Oldborough,hr,lead authority delegation,ended,2010,2019,Northtown,"
        "Oldborough Borough Council,,,,,,Not set up to save money,"
    )
    report = importing.run(csv_file(row), "f.csv", users["moderator"])
    assert report.problems == []
    assert Partnership.objects.get(organisation__code="OLD").arrangement.title == "Old HR"


def test_no_savings_figure_needs_a_reason(places, service_list, users, csv_file):
    row = GOOD.replace('"£1.2m"', "")
    (problem,) = importing.run(csv_file(row), "f.csv", users["moderator"]).problems
    assert problem.column == "no_savings_reason"


def test_savings_figure_needs_its_year(places, service_list, users, csv_file):
    row = GOOD.replace("2020/21", "")
    (problem,) = importing.run(csv_file(row), "f.csv", users["moderator"]).problems
    assert problem.column == "savings_year"


def test_dry_run_reports_what_would_be_created_and_writes_nothing(places, service_list, users, csv_file):
    report = importing.run(csv_file(GOOD), "f.csv", users["moderator"], dry_run=True)
    assert report.created == 1 and report.problems == []
    assert Arrangement.objects.count() == 0


def test_a_rerun_updates_rather_than_duplicates(places, service_list, users, csv_file):
    importing.run(csv_file(GOOD), "f.csv", users["moderator"])
    again = importing.run(csv_file(GOOD), "f.csv", users["moderator"])
    assert (again.created, again.updated) == (0, 0)
    changed = importing.run(csv_file(GOOD.replace("joint committee", "lead authority")), "f.csv", users["moderator"])
    assert (changed.created, changed.updated) == (0, 1)
    assert Arrangement.objects.get().delivery_model == "lead_authority"


def test_duplicate_rows_in_one_file_are_a_problem(places, service_list, users, csv_file):
    report = importing.run(csv_file(GOOD, GOOD), "f.csv", users["moderator"])
    assert [(p.row, p.column) for p in report.problems] == [(3, "title")]


def test_editor_cannot_import_for_organisations_they_do_not_edit(places, service_list, users, csv_file):
    report = importing.run(csv_file(GOOD), "f.csv", users["other_editor"])
    assert "not an editor" in report.problems[0].message
    assert importing.run(csv_file(GOOD), "f.csv", users["editor"]).problems == []  # Northtown is a partner


def test_viewer_cannot_import(places, service_list, users, csv_file):
    report = importing.run(csv_file(GOOD), "f.csv", users["viewer"])
    assert report.problems and Arrangement.objects.count() == 0


def test_missing_columns_and_wrong_file_types_are_clear(places, service_list, users):
    report = importing.run(b"title,description\nx,y\n", "f.csv", users["moderator"])
    assert "missing" in report.problems[0].message and "service" in report.problems[0].column
    assert "CSV or an Excel" in importing.run(b"x", "f.pdf", users["moderator"]).problems[0].message
    assert "not UTF-8" in importing.run("é".encode("latin-1"), "f.csv", users["moderator"]).problems[0].message


def test_xlsx_files_import_like_csv(places, service_list, users, csv_file):
    import csv

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(csv_file(GOOD).decode())):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = importing.run(buffer.getvalue(), "f.xlsx", users["moderator"])
    assert report.problems == [] and report.created == 1


def test_staff_and_other_savings_must_add_up(places, service_list, users):
    columns = tuple(HEADER.strip().split(","))
    header = columns + ("staff_savings_gbp", "other_savings_gbp")
    values = dict(zip(columns, GOOD.replace('"£1.2m"', "x").split(","), strict=True))
    values.update(
        annual_savings_expected_gbp="",
        annual_savings_achieved_gbp="100",
        staff_savings_gbp="60",
        other_savings_gbp="30",
    )
    content = (",".join(header) + "\n" + ",".join(values[c] for c in header) + "\n").encode()
    (problem,) = importing.run(content, "f.csv", users["moderator"]).problems
    assert problem.column == "annual_savings_achieved_gbp"
    values["other_savings_gbp"] = "40"
    content = (",".join(header) + "\n" + ",".join(values[c] for c in header) + "\n").encode()
    assert importing.run(content, "f.csv", users["moderator"]).problems == []
    saved = LedgerEntry.objects.get()
    assert (saved.measure, saved.amount, saved.staff, saved.other) == ("achieved_saving", 100, 60, 40)


def test_command_imports_and_refuses_bad_files(places, service_list, users, csv_file, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_file(GOOD))
    call_command("import_arrangements", str(good), "--dry-run")
    assert Arrangement.objects.count() == 0
    call_command("import_arrangements", str(good))
    assert Arrangement.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file(GOOD.replace("joint committee", "magic")))
    with pytest.raises(CommandError, match="1 problems found: nothing was imported"):
        call_command("import_arrangements", str(bad))
    assert "Row 2, column model" in capsys.readouterr().err


@pytest.mark.parametrize(
    "status, end, expected",
    [
        ("live", "", [("live", 2016)]),
        ("expanded", "", [("live", 2016), ("expanded", None)]),
        ("disaggregated", "2019", [("live", 2016), ("disaggregated", 2019)]),
        ("ended", "", [("live", 2016), ("ended", None)]),
    ],
)
def test_the_status_history_dates_only_what_the_row_says(places, service_list, users, csv_file, status, end, expected):
    row = f"Shared legal,Legal,legal,joint committee,{status},2016,{end},Northtown,Southvale,,,,,,None given,"
    assert not importing.run(csv_file(row), "s.csv", users["moderator"]).problems

    arrangement = Arrangement.objects.get(title="Shared legal")
    assert [(c.status, c.changed_year) for c in arrangement.status_changes.all()] == expected
    page = Client().get(arrangement.get_absolute_url())  # unpublished: only its members and moderators see it
    client = Client()
    client.force_login(users["moderator"])
    history = client.get(arrangement.get_absolute_url()).content.decode()
    assert page.status_code == 404
    if status == "expanded":
        assert history.index("<strong>Live</strong>, 2016") < history.index("<strong>Expanded</strong>, date not known")
