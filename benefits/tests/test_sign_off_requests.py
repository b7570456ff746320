"""A newly reported achieved saving asks the partner's finance lead to sign it off, by email from
a background job once the write commits; bulk imports ask nobody."""

from __future__ import annotations

from django.core import mail

from arrangements import importing, writes
from tests.world import HEADER


def test_a_saving_reported_through_the_api_asks_the_finance_lead(
    arrangement, users, finance, django_capture_on_commit_callbacks
):
    finance["north"].email = "finance@northtown.example"
    finance["north"].save()
    change = {"ledger": [{"period": "2024/25", "measure": "achieved_saving", "amount": 120_000}]}
    with django_capture_on_commit_callbacks(execute=True):
        outcome = writes.change(users["moderator"], arrangement, change, writes.api(), partial=True, merge_ledger=True)
    assert outcome.ok, outcome.problems
    (request,) = [m for m in mail.outbox if "please sign off" in m.subject]
    assert request.to == ["finance@northtown.example"]
    assert "£120,000 for 2024/25" in request.body


def test_an_unchanged_saving_asks_nobody_again(arrangement, users, finance, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = writes.change(
            users["moderator"], arrangement, {"title": "Shared legal services"}, writes.api(), partial=True
        )
    assert outcome.ok, outcome.problems
    assert not [m for m in mail.outbox if "please sign off" in m.subject]


def test_an_import_of_history_asks_nobody(places, service_list, users, finance, django_capture_on_commit_callbacks):
    content = (
        HEADER + "Shared audit,One audit team,audit,lead authority delegation,live,2016-04-01,,"
        "Northtown District Council,Southvale,1000000,50000,90000,80000,2018/19,,https://example.org/a\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = importing.run(content.encode(), "history.csv", users["moderator"], publish=True)
    assert not report.problems, report.problems
    assert not [m for m in mail.outbox if "please sign off" in m.subject]
