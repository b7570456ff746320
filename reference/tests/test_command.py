"""The load_reference_data command: the same core, at the command-line door."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from organisations.models import Organisation


@pytest.mark.django_db
def test_dry_run_of_one_declaration_reports_and_saves_nothing():
    out = io.StringIO()

    call_command("load_reference_data", "--dry-run", "--only", "councils, combined", stdout=out)

    assert "Councils, combined authorities and the GLA ..." in out.getvalue()
    assert "Dry run (nothing was saved): would have 470 created, 0 updated, 0 unchanged, 0 removed." in out.getvalue()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_run_of_one_declaration_saves_it():
    out = io.StringIO()

    call_command("load_reference_data", "--only", "councils, combined", stdout=out)

    assert "Done: 470 created" in out.getvalue()
    assert Organisation.objects.current().principal_councils().count() == 382


@pytest.mark.django_db
def test_quiet_run_prints_nothing():
    out = io.StringIO()

    call_command("load_reference_data", "--only", "councils, combined", verbosity=0, stdout=out)

    assert out.getvalue() == ""
    assert Organisation.objects.count() == 470


@pytest.mark.django_db
def test_a_missing_reference_file_is_a_command_error(settings, tmp_path):
    settings.REFERENCE_DATA_DIR = tmp_path

    with pytest.raises(CommandError, match="Reference file missing"):
        call_command("load_reference_data", "--only", "councils", stdout=io.StringIO())

    assert not Organisation.objects.exists()
