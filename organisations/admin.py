from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from organisations.models import GssCode, Organisation, OrganisationName


class NameInline(admin.TabularInline):
    model = OrganisationName
    fields = ("name",)
    extra = 1


class GssCodeInline(admin.TabularInline):
    model = GssCode
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    """Moderators add voluntary bodies, companies and trusts here, and correct the register."""

    list_display = ("name", "code", "org_type", "nation", "region", "end_date")
    list_filter = ("org_type", "nation", "region")
    search_fields = ("name", "official_name", "code", "gss_code", "names__name")
    autocomplete_fields = ("parent_county", "combined_authority", "health_body", "successors")
    inlines = [NameInline, GssCodeInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if change:
            edited = set(form.changed_data) & set(Organisation.USER_MAINTAINED_FIELDS)
            obj.user_edited_fields = sorted(set(obj.user_edited_fields) | edited)
        super().save_model(request, obj, form, change)
