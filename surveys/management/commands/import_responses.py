"""Import survey responses from the CSV described in FORMATS.md ("Responses import")."""

import csv
import os
import sys

from django.core.management.base import BaseCommand, CommandError
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
            raise CommandError(f"No such file: {path}")
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
            f"{report.rows} rows read: {report.valid_rows} valid, {report.invalid_lines} bad; "
            f"{report.superseded} replaced by a later row of the same doctor, product and campaign."
        )
        if report.errors and not skip_invalid and not dry_run:
            raise CommandError(
                f"{report.invalid_lines} bad rows: nothing was imported. Fix the file and import it again, "
                "or use --skip-invalid to import the valid rows."
            )
        summary = (
            f"{report.to_write} responses; new: {report.new_doctors} doctors, {report.new_products} products, "
            f"{report.new_campaigns} campaigns"
        )
        if dry_run:
            self.stdout.write(f"Dry run, nothing written. Would import {summary}.")
            if report.errors:
                raise CommandError(f"{report.invalid_lines} bad rows.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary}, {report.new_vendors} vendors, {report.new_categories} categories. "
                f"Responses: {report.created} created, {report.updated} updated, {report.unchanged} unchanged."
            )
        )

    def print_errors(self, report, errors_file):
        for line, column, reason in report.errors:
            where = f"line {line}, column {column}" if column else f"line {line}"
            self.stderr.write(self.style.ERROR(f"{where}: {reason}"))
        if errors_file and report.errors:
            with open(errors_file, "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(["line", "column", "reason"])
                writer.writerows(report.errors)
