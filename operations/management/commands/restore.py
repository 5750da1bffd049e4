from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, restore


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `manage.py backup` (asks first)."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="the backup to restore")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **options):
        if options["interactive"]:
            answer = input("Every row of this site's database will be replaced by the backup's. Type 'yes': ")
            if answer != "yes":
                raise CommandError("Restoration cancelled.")
        try:
            restore(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {options['file']}. Clear the cache (a recompute or a restart) so pages show its scores."
        )
