import json as _json

from django.core.management.base import BaseCommand, CommandError

from organisations.resolve import OrganisationResolver
from partners import engine, services
from partners.api import as_dict


class Command(BaseCommand):
    help = "Rank potential partners for an organisation and a service, with the reasons."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="A code, GSS code or name, e.g. CAM or 'Cambs CC'")
        parser.add_argument("--service", required=True, help="A category key (e.g. legal) or an LGSL number")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--max-distance-km", type=float)
        parser.add_argument("--nation")
        parser.add_argument("--type", dest="org_type")
        parser.add_argument(
            "--weight",
            action="append",
            default=[],
            metavar="FACTOR=WEIGHT",
            help=f"Change a weight, e.g. --weight similarity=3 (factors: {', '.join(engine.FACTORS)})",
        )
        parser.add_argument("--json", action="store_true", help="Print the same JSON as the API")

    def handle(
        self, *args, organisation, service, limit, max_distance_km, nation, org_type, weight, json: bool, **options
    ):
        found = OrganisationResolver().resolve(organisation)
        if found.organisation is None:
            raise CommandError(found.problem)
        try:
            choice = services.resolve_service(service)
        except services.UnknownService as error:
            raise CommandError(str(error)) from error
        weights = {}
        for item in weight:
            key, _, value = item.partition("=")
            if key not in engine.FACTORS:
                raise CommandError(f"Unknown factor {key!r}: use one of {', '.join(engine.FACTORS)}")
            weights[key] = float(value)
        search = services.Search(
            organisation=found.organisation,
            service=choice,
            weights=weights,
            max_distance_km=max_distance_km,
            nations=[nation] if nation else None,
            org_types=services.org_types_for(org_type or ""),
            limit=limit,
        )
        try:
            result = services.find(search)
        except engine.UnknownOrganisation as error:
            raise CommandError(f"{found.organisation.name} cannot be matched") from error
        if json:
            self.stdout.write(_json.dumps(as_dict(result, choice), indent=2))
            return
        self.stdout.write(
            f"Partners for {found.organisation.name}: {choice.label} ({result.candidates} could deliver it)\n"
        )
        for rank, match in enumerate(result.matches, start=1):
            flags = f"  [{'; '.join(f.text for f in match.flags)}]" if match.flags else ""
            self.stdout.write(f"{rank:>2}. {match.name} ({match.code}): {match.score:.0%}{flags}")
            for factor in match.factors:
                self.stdout.write(f"      - {factor.reason}")
        for note in result.notes:
            self.stdout.write(f"Note: {note}")
        for item in result.not_used:
            self.stdout.write(f"Not used: {item.label}: {item.reason}")
