from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reference.core import Context, ImportError_, run
from reference.registry import all_declarations


class Command(BaseCommand):
    help = (
        "Load the register of organisations, boundaries, neighbours and indicators from the "
        "reference files in data/. Rerunnable: a second run changes nothing, and fields "
        "that users have edited are never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, then roll back.")
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            help="Run only declarations whose name contains this text (repeatable).",
        )

    def handle(self, *args, dry_run: bool = False, only: list[str] | None = None, verbosity: int = 1, **options):
        declarations = all_declarations()
        if only:
            declarations = [d for d in declarations if any(o.lower() in d.name.lower() for o in only)]
        context = Context(data_dir=settings.REFERENCE_DATA_DIR, out=self.stdout, verbose=verbosity > 0)
        try:
            results = run(declarations, context, dry_run=dry_run)
        except ImportError_ as error:
            raise CommandError(str(error)) from error
        totals = {k: sum(getattr(r, k) for r in results) for k in ("created", "updated", "unchanged", "removed")}
        if not dry_run and (totals["created"] or totals["updated"] or totals["removed"]):
            # The register's pages name organisations and services: what is kept for the public
            # against the register version (docs/decisions/0009) must not outlive a rename.
            from arrangements import register

            register.bump()
        if verbosity == 0:
            return
        prefix = "Dry run (nothing was saved): would have " if dry_run else "Done: "
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{totals['created']} created, {totals['updated']} updated, "
                f"{totals['unchanged']} unchanged, {totals['removed']} removed."
            )
        )
