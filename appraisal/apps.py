from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    """Business cases: the stateless appraisal API over `engines.appraisal` (the pages and stored cases to come)."""

    name = "appraisal"
