from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    """Business cases: the stateless appraisal API over `engines.appraisal`, and each arrangement's stored case."""

    name = "appraisal"
