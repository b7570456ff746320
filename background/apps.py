from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    """Background jobs: worker heartbeats, recovery and periodic tasks."""

    name = "background"
