"""The report's files: an XLSX workbook (one sheet per table), one CSV per table, and the PDF."""

from __future__ import annotations

import csv
import datetime
import io
import re

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .content import build_vendor_report
from .html import render_report_html
from .tables import Kind, report_tables

FORMATS = ("pdf", "xlsx", "csv")
# Report files are in French first (the association's language), whatever the caller's language.
REPORT_LANGUAGE = "fr"
NUMBER_FORMATS = {
    Kind.SCORE: "0.00",
    Kind.DECIMAL: "0.00",
    Kind.COUNT: "0",
    Kind.PCT: "0.0%",
    Kind.SHARE: "0.0%",
    Kind.DATE: "yyyy-mm-dd",
}
# Excel's limits on a sheet's name.
SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
TEXT_WIDTH_MAX = 80


def _cell_value(value, kind):
    if value is None:
        return None
    if kind == Kind.PCT:
        return value / 100.0
    return value


def write_xlsx(tables):
    """Return the XLSX bytes of `tables`: one sheet each, header frozen, number formats per column."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(SHEET_NAME_FORBIDDEN.sub(" ", table.title)[:SHEET_NAME_MAX])
        sheet.append([c.label for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_cell_value(v, c.kind) for v, c in zip(row, table.columns, strict=True)])
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            number_format = NUMBER_FORMATS.get(column.kind)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
            longest = max(
                [len(column.label) // 2, *(len(str(r[index - 1] or "")) for r in table.rows)], default=8
            )
            sheet.column_dimensions[letter].width = min(TEXT_WIDTH_MAX, max(10, longest + 2))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_csv(table):
    """Return one table as UTF-8 CSV bytes: the column keys as header, dot decimals, empty cells for None."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.key for c in table.columns])
    writer.writerows([_csv_value(v) for v in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8")


def render_report_files(vendor, campaign, formats, *, static_base_url=None):
    """Return {relative file name: bytes} of `vendor`'s report for `campaign` in `formats`.

    Names: `<vendor>.pdf`, `<vendor>.xlsx` and `<vendor>/<table>.csv`. Inside a
    `cms.reports.pdf.pdf_renderer()` block the PDF is printed on that block's browser, so a bulk
    export starts Chromium once. Raises ReportUnavailable when the campaign has no scores.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown report formats: {', '.join(sorted(unknown))}")
    with translation.override(REPORT_LANGUAGE):
        report = build_vendor_report(vendor, campaign)
        tables = report_tables(report)
        files = {}
        if "pdf" in formats:
            # The PDF engine starts Chromium: imported only when a PDF is asked for.
            from .pdf import render_pdf

            html = render_report_html(report, static_base_url=static_base_url)
            files[f"{vendor.slug}.pdf"] = render_pdf(html, title=report.identifier)
        if "xlsx" in formats:
            files[f"{vendor.slug}.xlsx"] = write_xlsx(tables)
        if "csv" in formats:
            for table in tables:
                files[f"{vendor.slug}/{table.name}.csv"] = write_csv(table)
    return files
