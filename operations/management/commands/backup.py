from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent copy of the database to one file (SQLite's backup API, or pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, metavar="FILE", help="the backup file to write")

    def handle(self, *args, **options):
        try:
            size = backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {options['output']} ({size:,} bytes).")
