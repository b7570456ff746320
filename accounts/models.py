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
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    # Independent of the role: the organisation's finance lead (a section 151 officer, say)
    # signs off achieved savings; an editor need not be able to, nor a signer to edit.
    can_sign_off = models.BooleanField(
        "can sign off savings",
        default=False,
        help_text="Signs off reported achieved savings for this organisation (its finance lead). Given by its admin.",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.organisation}"


LAST_USED_PRECISION_SECONDS = 60


class ApiToken(models.Model):
    """A secret that lets a user's scripts write through the API with the user's own rights.

    Only a hash is stored; the secret is shown once, when the token is made.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “survey upload script”")
    prefix = models.CharField(max_length=8, db_index=True)
    hashed = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(secret: str) -> str:
        import hashlib

        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        import secrets

        secret = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=secret[:8], hashed=cls.hash(secret))
        return token, secret

    @classmethod
    def authenticate(cls, secret: str):
        import datetime as dt

        from django.utils import timezone

        token = cls.objects.select_related("user").filter(hashed=cls.hash(secret or ""), revoked=False).first()
        if token is None or not token.user.is_active:
            return None
        # "Last used" to the minute is all its owner needs; writing it on every request
        # would make each API read a write, and a script's parallel calls queue on one row.
        # The condition is in the UPDATE so that, of calls arriving together, one writes.
        now = timezone.now()
        stale = now - dt.timedelta(seconds=LAST_USED_PRECISION_SECONDS)
        if token.last_used is None or token.last_used < stale:
            not_since = models.Q(last_used__isnull=True) | models.Q(last_used__lt=stale)
            cls.objects.filter(not_since, pk=token.pk).update(last_used=now)
        return token.user


class JoinRequest(models.Model):
    """Someone asks to join an organisation; its admins (or a moderator, where it has none) decide."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="join_requests")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="join_requests"
    )
    job_title = models.CharField(max_length=150, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(state="waiting"),
                name="one_waiting_join_request_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.organisation} ({self.get_state_display()})"


class Invitation(models.Model):
    """An organisation admin invites someone by email; the emailed link holds a secret token."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} invited to {self.organisation}"


class OrganisationSecurity(models.Model):
    """An organisation's own rules for its members' accounts, set by its admins."""

    organisation = models.OneToOneField("organisations.Organisation", on_delete=models.CASCADE, related_name="security")
    require_mfa = models.BooleanField(
        "members must use a second factor",
        default=False,
        help_text="Members sign in with an authenticator app's code as well as their password.",
    )

    def __str__(self) -> str:
        return f"Account rules of {self.organisation}"
