from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Emails: who gets which, their preferences, and the background jobs that send them."""

    name = "notifications"

    def ready(self) -> None:
        from notifications import signals  # noqa: F401  (a board response is emailed to the poster)
