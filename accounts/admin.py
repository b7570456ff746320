from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied

from accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Moderators manage people's details and memberships here, but never their passwords
    (they cannot set one and sign in as someone) and never superuser rights; people reset
    their own passwords."""

    fieldsets = (*BaseUserAdmin.fieldsets, ("Sharewell", {"fields": ("is_moderator",)}))
    list_display = ("username", "email", "is_moderator", "is_active", "last_login")
    list_filter = ("is_moderator", "is_active")
    inlines = [MembershipInline]
    _SUPERUSER_ONLY = {"password", "is_superuser", "groups", "user_permissions"}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in self._SUPERUSER_ONLY]})
            for name, options in fieldsets
        ]

    def has_add_permission(self, request):
        # Adding a user means choosing their password: only superusers; others join by invitation.
        return request.user.is_superuser

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied("Only a superuser can set another person's password.")
        return super().user_change_password(request, id, form_url)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created")
    list_filter = ("role",)
    autocomplete_fields = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name"]


# django-allauth's records hold secrets (authenticator keys, a provider's client secret, people's
# provider tokens) or decide who may sign in (confirmed addresses): a moderator, who has every
# other right in the admin, must not read or change them, nor so sign in as someone.
SUPERUSER_ONLY_MODELS = (
    ("mfa", "Authenticator"),
    ("account", "EmailAddress"),
    ("socialaccount", "SocialApp"),
    ("socialaccount", "SocialAccount"),
    ("socialaccount", "SocialToken"),
)


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_delete_permission = has_change_permission


def restrict_allauth_admin(site=admin.site) -> None:
    """Called once the admin has found every app's admin module (AccountsConfig.ready)."""
    from django.apps import apps

    for app_label, name in SUPERUSER_ONLY_MODELS:
        model = apps.get_model(app_label, name)
        if model not in site._registry:
            continue
        original = type(site._registry[model])
        site.unregister(model)
        site.register(model, type(f"SuperuserOnly{original.__name__}", (SuperuserOnly, original), {}))
