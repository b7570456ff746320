from django.contrib import admin

from surveys.models import SurveyDraft, SurveyResponse, SurveyRound


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    list_display = ("label", "opens_on", "closes_on")


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ("organisation", "round", "submitted_by", "submitted_at")
    list_filter = ("round",)


@admin.register(SurveyDraft)
class SurveyDraftAdmin(admin.ModelAdmin):
    list_display = ("organisation", "round", "updated_by", "updated_at")
    list_filter = ("round",)
