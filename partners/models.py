"""The matchmaking board: organisations say they are looking for partners for a service."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class PostQuerySet(models.QuerySet):
    def active(self, today=None):
        today = today or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, expires_on__gte=today)

    def search(self, text: str):
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(organisation__name__icontains=text)
            | Q(category__label__icontains=text)
        )


class Post(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="posts")
    category = models.ForeignKey("services.ServiceCategory", on_delete=models.PROTECT, related_name="posts")
    service = models.ForeignKey(
        "services.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    title = models.CharField("what you are looking for", max_length=200)
    description = models.TextField("more about it")
    needed_by = models.DateField("by when", null=True, blank=True)
    offers = models.TextField("what you offer", blank=True)
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField()
    # Visitors who are not signed in see the contact only if the poster chose so.
    contact_public = models.BooleanField(
        "Show my contact details to visitors who are not signed in",
        default=False,
        help_text="If you leave this unticked, only signed-in users see your name and email address",
    )
    expires_on = models.DateField(help_text="The post comes off the board after this date")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("partners:post", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and self.expires_on >= timezone.localdate()


class PostView(models.Model):
    """Someone signed in looked at a post: the poster can see who is interested."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    viewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_view_record_per_user")]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.post_id}"


class PostResponse(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} responded to {self.post_id}"
