from django.contrib import admin

from services.models import Service, ServiceCategory


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ("label", "family", "sort_order")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    """Moderators can correct a service's category: the automatic grouping is a heuristic."""

    list_display = ("label", "lgsl", "category", "tier")
    list_filter = ("category", "tier")
    search_fields = ("label", "lgsl")
