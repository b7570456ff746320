"""The editor's organisation is emailed the moderator's decision, by a background job."""

from __future__ import annotations

from django.core import mail

from arrangements import writes


def test_a_rejection_is_emailed_to_the_editors_organisation_with_the_reason(
    arrangement, users, django_capture_on_commit_callbacks
):
    users["editor"].email, users["other_editor"].email = "editor@northtown.example", "editor@cwmtest.example"
    users["editor"].save()
    users["other_editor"].save()
    held = writes.change(users["editor"], arrangement, {"status": "ended"}, writes.api(), partial=True).revision
    with django_capture_on_commit_callbacks(execute=True):
        assert writes.reject(users["moderator"], held, "The end date is missing").ok
    (message,) = mail.outbox
    assert message.to == ["editor@northtown.example"]  # Northtown's editors, not another organisation's
    assert "Not approved" in message.subject
    assert "The end date is missing" in message.body and "Status: Live → Ended" in message.body
    assert f"/arrangements/{arrangement.pk}/" in message.body


def test_an_approval_is_emailed_once_committed(arrangement, users, django_capture_on_commit_callbacks):
    users["editor"].email = "editor@northtown.example"
    users["editor"].save()
    held = writes.change(users["editor"], arrangement, {"status": "ended"}, writes.api(), partial=True).revision
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert writes.approve(users["moderator"], held).ok
    assert mail.outbox == []  # nothing is sent inside the request's transaction
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1 and "It is now published" in mail.outbox[0].body
