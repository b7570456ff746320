from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Membership, Role, User
from organisations.models import Organisation

# Demo accounts for trying the service locally: (username, organisation code, role, moderator).
DEMO_ACCOUNTS = [
    ("moderator", None, None, True),
    ("cambs.editor", "CAM", Role.EDITOR, False),
    ("cambs.viewer", "CAM", Role.VIEWER, False),
    ("harrow.admin", "HRW", Role.ADMIN, False),
]


class Command(BaseCommand):
    help = "Create demo accounts (rerunnable). Refuses to run unless DEBUG or DEMO_ACCOUNTS is on."

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.DEMO_ACCOUNTS):
            raise CommandError("Demo accounts have a published password: set DEMO_ACCOUNTS=true to create them.")
        password = settings.DEMO_PASSWORD
        for username, code, role, moderator in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(username=username, defaults={"is_moderator": moderator})
            if created:
                user.set_password(password)
                user.save()
            if code:
                organisation = Organisation.objects.filter(code=code).first()
                if organisation is None:
                    raise CommandError(f"Organisation {code} is missing: run load_reference_data first.")
                Membership.objects.update_or_create(user=user, organisation=organisation, defaults={"role": role})
            self.stdout.write(f"  {'created' if created else 'kept'} {username}")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts ready; password: {password}"))
