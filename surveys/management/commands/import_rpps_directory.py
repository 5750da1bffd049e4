"""Import the public directory extract (Annuaire Santé) and verify the pending doctors it lists."""

import os
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from surveys.services.directory import (
    BATCH_SIZE,
    DirectoryFormatError,
    import_directory,
    verify_pending_doctors,
)


class Command(BaseCommand):
    help = (
        "Import the doctors of the Annuaire Santé extract ps-libreacces-personne-activite.txt "
        "(pipe-separated, streamed), then verify the pending sign-ups that match. Running it again is safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="path of ps-libreacces-personne-activite.txt")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="rows written per query")

    def handle(self, *args, path, batch_size, **options):
        if not os.path.isfile(path):
            raise CommandError(f"No such file: {path}")
        with tqdm(
            total=os.path.getsize(path),
            unit="B",
            unit_scale=True,
            desc="directory",
            disable=not sys.stderr.isatty(),
        ) as progress:
            try:
                report = import_directory(path=path, batch_size=batch_size, progress=progress)
            except DirectoryFormatError as exc:
                raise CommandError(str(exc)) from exc
        for line_number, reason in report.issues:
            self.stderr.write(self.style.WARNING(f"line {line_number}: {reason}"))
        if report.malformed > len(report.issues):
            self.stderr.write(
                self.style.WARNING(f"… and {report.malformed - len(report.issues)} more malformed lines.")
            )
        verified = verify_pending_doctors()
        self.stdout.write(
            f"{report.lines} lines read: {report.doctors} doctors ({report.created} new, {report.updated} "
            f"updated), {report.extra_activities} extra practice activities, {report.not_doctors} other "
            f"professions and {report.not_rpps} non-RPPS identifiers skipped, {report.malformed} malformed "
            f"lines."
        )
        self.stdout.write(self.style.SUCCESS(f"{len(verified)} pending doctors verified by the directory."))
