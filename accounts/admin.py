from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Sharewell", {"fields": ("is_moderator",)}))
    list_display = ("username", "email", "is_moderator", "is_active", "last_login")
    list_filter = ("is_moderator", "is_active")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created")
    list_filter = ("role",)
    autocomplete_fields = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name"]
