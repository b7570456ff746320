from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Emails: who gets which, their preferences, and the background jobs that send them."""

    name = "notifications"
