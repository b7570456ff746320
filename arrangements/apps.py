from django.apps import AppConfig


class ArrangementsConfig(AppConfig):
    """The register of shared services and collaborations."""

    name = "arrangements"

    def ready(self) -> None:
        from arrangements import jobs  # noqa: F401  (connects the import task's signal receivers)
