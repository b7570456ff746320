"""The admin shows arrangements but does not change them: every change goes through the one
write path (`arrangements.writes`), on the site or the API, with moderation and history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from arrangements.models import Arrangement, Contract, ImportJob, LedgerEntry, Partnership, Revision, Version


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PartnershipInline(ReadOnly, admin.TabularInline):
    model = Partnership
    extra = 0


class LedgerInline(ReadOnly, admin.TabularInline):
    model = LedgerEntry
    fk_name = "arrangement"
    extra = 0


@admin.register(Arrangement)
class ArrangementAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("title", "status", "delivery_model", "start_year", "published", "deleted_at")
    list_filter = ("status", "delivery_model", "published", "kind")
    search_fields = ("title",)
    inlines = [PartnershipInline, LedgerInline]


@admin.register(Version)
class VersionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("arrangement", "number", "door", "user", "created_at")


@admin.register(Revision)
class RevisionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("arrangement", "state", "door", "organisation", "created_at")
    list_filter = ("state",)


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ("description", "organisation", "category", "ends_on")
    autocomplete_fields = ["organisation", "service"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("filename", "user", "state", "dry_run", "created_at")
    exclude = ("content",)
    readonly_fields = (
        "user",
        "filename",
        "dry_run",
        "state",
        "stage",
        "done",
        "total",
        "report",
        "finished_at",
        "task_id",
        "attempts",
        "heartbeat_at",
        "failure",
        "file_deleted",
    )
