import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Membership, Role, User
from organisations.models import Organisation

# Demo accounts for trying the service locally: (username, organisation code, role, moderator, can sign off).
DEMO_ACCOUNTS = [
    ("moderator", None, None, True, False),
    ("cambs.editor", "CAM", Role.EDITOR, False, False),
    ("cambs.viewer", "CAM", Role.VIEWER, False, False),
    # Cambridgeshire's finance lead: signs off achieved savings, edits nothing.
    ("cambs.finance", "CAM", Role.VIEWER, False, True),
    ("harrow.admin", "HRW", Role.ADMIN, False, False),
]


class Command(BaseCommand):
    help = "Create demo accounts (rerunnable). Refuses to run unless DEBUG or DEMO_ACCOUNTS is on."

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.DEMO_ACCOUNTS):
            raise CommandError("Demo accounts have a published password: set DEMO_ACCOUNTS=true to create them.")
        password = settings.DEMO_PASSWORD
        for username, code, role, moderator, signs in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(username=username, defaults={"is_moderator": moderator})
            if created:
                user.set_password(password)
                user.save()
            if code:
                organisation = Organisation.objects.filter(code=code).first()
                if organisation is None:
                    raise CommandError(f"Organisation {code} is missing: run load_reference_data first.")
                Membership.objects.update_or_create(
                    user=user, organisation=organisation, defaults={"role": role, "can_sign_off": signs}
                )
            self.stdout.write(f"  {'created' if created else 'kept'} {username}")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts ready; password: {password}"))
        self._survey_round()
        self._organisations()
        self._served()
        self._arrangements()
        self._business_case()

    def _organisations(self):
        """Bodies named in the research that are not in the council register, added by hand."""
        import csv

        from organisations.models import OrganisationName

        path = Path(settings.BASE_DIR) / "arrangements" / "demo" / "organisations.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                organisation, created = Organisation.objects.update_or_create(
                    code=row["code"],
                    defaults={
                        "name": row["name"],
                        "official_name": row["official_name"],
                        "org_type": row["type"],
                        "nation": row["nation"],
                        "source": row["source"],
                        "end_date": dt.date.fromisoformat(row["end_date"]) if row["end_date"] else None,
                    },
                )
                OrganisationName.objects.get_or_create(organisation=organisation, name=row["name"])
        self.stdout.write("  organisations named in the research added")

    def _served(self):
        """Whom the hand-added NHS trusts serve, and their ICB, each from its source
        (arrangements/demo/served.csv); a council or ICB not in the register is skipped, said so."""
        import csv

        from organisations import writes

        path = Path(settings.BASE_DIR) / "arrangements" / "demo" / "served.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                body = Organisation.objects.filter(code=row["body"]).first()
                council = Organisation.objects.filter(gss_code=row["council_gss"], end_date__isnull=True).first()
                if body is None or council is None:
                    self.stdout.write(f"  skipped: {row['body']} serves {row['council_gss']} (not in the register)")
                    continue
                writes.record_from_source(body, council, row["source"])
                board = Organisation.objects.filter(code=row["health_body"]).first() if row["health_body"] else None
                if board is not None and body.health_body_id != board.pk:
                    body.health_body = board
                    body._change_reason = "Its ICB, from the demo content (served.csv, which cites its source)"
                    body.save()
                self.stdout.write(f"  {body.name} serves {council.name}" + (f", its ICB {board.name}" if board else ""))

    def _survey_round(self):
        from surveys.models import SurveyRound

        today = timezone.localdate()
        year = today.year if today.month >= 4 else today.year - 1  # financial years start in April
        SurveyRound.objects.get_or_create(
            year=year, defaults={"opens_on": dt.date(year, 4, 1), "closes_on": dt.date(year + 1, 3, 31)}
        )
        self.stdout.write(f"  survey round {year} open")

    def _arrangements(self):
        """The real arrangements described in the research, each citing its source."""
        from arrangements import importing

        path = Path(settings.BASE_DIR) / "arrangements" / "demo" / "arrangements.csv"
        moderator = User.objects.get(username="moderator")
        report = importing.run(path.read_bytes(), path.name, moderator, publish=True)
        if report.problems:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError("The demo arrangements did not import")
        self.stdout.write(f"  demo arrangements: {report.created} created, {report.updated} updated")

    def _business_case(self):
        """LGSS's case from the LGA's 2012 study's published figures: entered by the moderator as a
        draft (it holds both partners' figures), shared by Cambridgeshire's editor."""
        from appraisal import inputs
        from appraisal import writes as case_writes
        from arrangements import writes
        from arrangements.models import Arrangement
        from engines.appraisal.examples import LGA_2012

        study = next(s for s in LGA_2012 if s.name.startswith("LGSS"))
        arrangement = Arrangement.objects.filter(title__startswith="LGSS").first()
        if arrangement is None or case_writes.case_of(arrangement) is not None:
            return
        case = study.case()
        codes = case_writes.partner_codes(arrangement)
        data = inputs.new_case(case.start_year, codes)
        data.update(years=case.years, split={"method": "", "shares": None, "coalition_costs": []})
        data["lines"] = [
            {"name": line.name, "kind": line.kind, "category": line.category, "amounts": list(line.amounts),
             "low": None, "high": None}
            for line in case.lines
        ]  # fmt: skip
        data["optimism_bias"].update(
            one_off_costs_pct=0,
            running_costs_pct=0,
            delay_years=0,
            reason="Outturn figures reported by the LGA's 2012 study (Shared services: costs spared?), not forecasts",
        )
        # The study gives one baseline for the whole service: it is entered against the lead.
        data["partners"][0]["baseline"] = study.baseline
        moderator = User.objects.get(username="moderator")
        saved = case_writes.save(moderator, arrangement, data, writes.demo())
        if not saved.ok:
            raise CommandError(f"The demo business case did not save: {saved.problems}")
        shared = case_writes.share(User.objects.get(username="cambs.editor"), arrangement)
        if not shared.ok:
            raise CommandError(f"The demo business case was not shared: {shared.problems}")
        self.stdout.write("  demo business case: LGSS, from the LGA's 2012 study")
