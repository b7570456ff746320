from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """The annual survey: each organisation confirms or updates its arrangements once a year."""

    name = "surveys"
