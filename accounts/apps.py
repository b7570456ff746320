from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from accounts.admin import restrict_allauth_admin

        restrict_allauth_admin()
