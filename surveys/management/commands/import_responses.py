"""Import survey responses from the CSV described in FORMATS.md ("Responses import")."""

import csv
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from surveys.services.imports import ImportFileError, import_responses


class Command(BaseCommand):
    help = (
        "Import doctors' responses from a CSV file (FORMATS.md). The whole file is checked first: if a row is "
        "bad nothing is written, unless --skip-invalid. Importing the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="UTF-8 CSV file, one row per doctor × product")
        parser.add_argument("--dry-run", action="store_true", help="check the file and write nothing")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the valid rows and list the bad ones"
        )
        parser.add_argument("--errors-file", help="also write every bad row to this CSV (line,column,reason)")

    def handle(self, *args, path, dry_run, skip_invalid, errors_file=None, **options):
        if not os.path.isfile(path):
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        tty = sys.stderr.isatty()

        def progress(**kwargs):
            return tqdm(disable=not tty, leave=False, **kwargs)

        try:
            report = import_responses(
                path=path, dry_run=dry_run, skip_invalid=skip_invalid, progress=progress
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc

        self.print_errors(report, errors_file)
        self.stdout.write(
            _(
                "%(rows)s rows read: %(valid)s valid, %(bad)s bad; "
                "%(superseded)s replaced by a later row of the same doctor, product and campaign."
            )
            % {
                "rows": report.rows,
                "valid": report.valid_rows,
                "bad": report.invalid_lines,
                "superseded": report.superseded,
            }
        )
        if report.errors and not skip_invalid and not dry_run:
            raise CommandError(
                _(
                    "%(bad)s bad rows: nothing was imported. Fix the file and import it again, "
                    "or use --skip-invalid to import the valid rows."
                )
                % {"bad": report.invalid_lines}
            )
        summary = _(
            "%(responses)s responses; new: %(doctors)s doctors, %(products)s products, %(campaigns)s campaigns"
        ) % {
            "responses": report.to_write,
            "doctors": report.new_doctors,
            "products": report.new_products,
            "campaigns": report.new_campaigns,
        }
        if dry_run:
            self.stdout.write(_("Dry run, nothing written. Would import %(summary)s.") % {"summary": summary})
            if report.errors:
                raise CommandError(_("%(bad)s bad rows.") % {"bad": report.invalid_lines})
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported %(summary)s, %(vendors)s vendors, %(categories)s categories. "
                    "Responses: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
                )
                % {
                    "summary": summary,
                    "vendors": report.new_vendors,
                    "categories": report.new_categories,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                }
            )
        )

    def print_errors(self, report, errors_file):
        for line, column, reason in report.errors:
            if column:
                text = _("line %(line)s, column %(column)s: %(reason)s") % {
                    "line": line,
                    "column": column,
                    "reason": reason,
                }
            else:
                text = _("line %(line)s: %(reason)s") % {"line": line, "reason": reason}
            self.stderr.write(self.style.ERROR(text))
        if errors_file and report.errors:
            with open(errors_file, "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(["line", "column", "reason"])
                writer.writerows(report.errors)
