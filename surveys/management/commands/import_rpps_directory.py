"""Import the public directory extract (Annuaire Santé) and verify the pending doctors it lists."""

import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
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
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        with tqdm(
            total=os.path.getsize(path),
            unit="B",
            unit_scale=True,
            desc=_("directory"),
            disable=not sys.stderr.isatty(),
        ) as progress:
            try:
                report = import_directory(path=path, batch_size=batch_size, progress=progress)
            except DirectoryFormatError as exc:
                raise CommandError(str(exc)) from exc
        for line_number, reason in report.issues:
            self.stderr.write(
                self.style.WARNING(_("line %(line)s: %(reason)s") % {"line": line_number, "reason": reason})
            )
        if report.malformed > len(report.issues):
            self.stderr.write(
                self.style.WARNING(
                    _("… and %(n)s more malformed lines.") % {"n": report.malformed - len(report.issues)}
                )
            )
        verified = verify_pending_doctors()
        self.stdout.write(
            _(
                "%(lines)s lines read: %(doctors)s doctors (%(created)s new, %(updated)s updated), "
                "%(extra)s extra practice activities, %(not_doctors)s other professions and %(not_rpps)s "
                "non-RPPS identifiers skipped, %(malformed)s malformed lines."
            )
            % {
                "lines": report.lines,
                "doctors": report.doctors,
                "created": report.created,
                "updated": report.updated,
                "extra": report.extra_activities,
                "not_doctors": report.not_doctors,
                "not_rpps": report.not_rpps,
                "malformed": report.malformed,
            }
        )
        self.stdout.write(
            self.style.SUCCESS(_("%(n)s pending doctors verified by the directory.") % {"n": len(verified)})
        )
