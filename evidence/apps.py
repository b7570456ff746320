from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """The evidence library: the research's sources, their findings, quotations and case studies."""

    name = "evidence"
    default_auto_field = "django.db.models.BigAutoField"
