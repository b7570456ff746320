from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Finding partners: the matching engine, the finder pages and the matchmaking board."""

    name = "partners"

    def ready(self) -> None:
        from partners import signals

        signals.connect()
