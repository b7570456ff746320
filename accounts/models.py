"""Users, the organisations they belong to, and what they may do there."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    ADMIN = "admin", "Organisation admin"


# What each role may do, from least to most.
ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


class User(AbstractUser):
    is_moderator = models.BooleanField(
        default=False,
        help_text="Platform moderators publish arrangements, manage the register and use the admin site.",
    )

    def save(self, *args, **kwargs):
        # Moderators use the Django admin; nobody else does, unless a superuser.
        self.is_staff = self.is_moderator or self.is_superuser
        super().save(*args, **kwargs)

    def has_perm(self, perm, obj=None) -> bool:
        if self.is_active and self.is_moderator:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and self.is_moderator:
            return True
        return super().has_module_perms(app_label)

    def role_in(self, organisation) -> str | None:
        if not self.is_authenticated:
            return None
        membership = self.memberships.filter(organisation=organisation).first()
        return membership.role if membership else None


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.organisation}"
