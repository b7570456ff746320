"""Emails started by something being saved, whichever door saved it."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from partners.models import PostResponse


@receiver(post_save, sender=PostResponse, dispatch_uid="notifications-board-response")
def _board_response(sender, instance, created, raw=False, **kwargs) -> None:
    """A response on the partner board is emailed to the poster, once it is committed."""
    if created and not raw:
        from notifications.jobs import send_board_response

        pk = instance.pk
        transaction.on_commit(lambda: send_board_response.enqueue(pk))
