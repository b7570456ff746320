from django.apps import AppConfig


class ArrangementsConfig(AppConfig):
    """The register of shared services and collaborations."""

    name = "arrangements"
