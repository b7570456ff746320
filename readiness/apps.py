from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    """Readiness assessments: each partner's answers, scored by `engines.readiness`, with an action plan."""

    name = "readiness"
    default_auto_field = "django.db.models.BigAutoField"
