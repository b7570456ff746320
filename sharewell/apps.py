from django.apps import AppConfig


class SharewellConfig(AppConfig):
    """The project package as an app, so its templates and template tags load."""

    name = "sharewell"
    verbose_name = "Sharewell"

    def ready(self):
        from sharewell import checks  # noqa: F401  (registers the deploy checks)
