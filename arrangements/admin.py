from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from arrangements.models import Arrangement, Contract, ImportJob, Partnership, Savings, Source, StatusChange


class PartnershipInline(admin.TabularInline):
    model = Partnership
    autocomplete_fields = ["organisation"]
    extra = 0


class SavingsInline(admin.TabularInline):
    model = Savings
    extra = 0


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Arrangement)
class ArrangementAdmin(SimpleHistoryAdmin):
    list_display = ("title", "status", "delivery_model", "start_year", "published", "deleted_at")
    list_filter = ("status", "delivery_model", "published", "kind", "categories")
    search_fields = ("title", "description", "partnerships__organisation__name")
    filter_horizontal = ("services", "categories")
    inlines = [PartnershipInline, SavingsInline, StatusChangeInline, SourceInline]


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ("description", "organisation", "category", "ends_on")
    autocomplete_fields = ["organisation", "service"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("filename", "user", "state", "dry_run", "created_at")
    exclude = ("content",)
    readonly_fields = ("user", "filename", "dry_run", "state", "stage", "done", "total", "report", "finished_at")
