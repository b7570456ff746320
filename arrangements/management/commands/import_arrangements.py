from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from arrangements import importing


class Command(BaseCommand):
    help = (
        "Import arrangements from a CSV or XLSX file. All or nothing: a file with any problem "
        "writes nothing, and every problem is listed with its row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report what would change.")
        parser.add_argument(
            "--user",
            help="Import as this user (their organisations and role apply). "
            "Without it the import runs as a platform moderator.",
        )
        parser.add_argument("--publish", action="store_true", help="Publish what is imported (moderators only).")

    def handle(self, *args, file: Path, dry_run: bool, user: str | None, publish: bool, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user called {user}")
        else:
            actor = User(username="command-line", is_moderator=True)  # unsaved: history records no user
        if publish and not actor.is_moderator:
            raise CommandError("Only moderators can publish on import")

        def progress(stage: str, done: int, total: int):
            if done == total or done % 1000 == 0:
                self.stdout.write(f"  {stage}: {done:,}/{total:,}")

        report = importing.run(file.read_bytes(), file.name, actor, dry_run=dry_run, publish=publish, progress=progress)
        if report.problems:
            for problem in report.problems[:200]:
                self.stderr.write(str(problem))
            more = len(report.problems) - 200
            if more > 0:
                self.stderr.write(f"... and {more:,} more problems")
            raise CommandError(f"{len(report.problems):,} problems found: nothing was imported.")
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.created:,} and {'would update' if dry_run else 'updated'} {report.updated:,} "
                f"arrangements from {report.rows:,} rows{' (dry run: nothing saved)' if dry_run else ''}."
            )
        )
