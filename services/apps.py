from django.apps import AppConfig


class ServicesConfig(AppConfig):
    """The Local Government Service List, grouped into categories people browse by."""

    name = "services"
