from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    """The one rerunnable importer core that every reference and user import declares over."""

    name = "reference"
