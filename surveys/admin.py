from django.contrib import admin

from surveys.models import SurveyResponse, SurveyRound


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    list_display = ("label", "opens_on", "closes_on")


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ("organisation", "round", "submitted_by", "submitted_at")
    list_filter = ("round",)
