"""The vendor reports: their content and the files they are exported to (PDF, XLSX, CSV).

`content.build_vendor_report` reads the published scores (analytics.published) into a plain
`VendorReport`; `tables.report_tables` lays it out as named tables; `html.render_report_html` and
`files.render_report_files` write it out. The PDF is printed from the HTML by `pdf.render_pdf`.
"""

from .content import build_vendor_report
from .files import FORMATS, render_report_files, write_csv, write_xlsx
from .html import render_report_html
from .report import ReportUnavailable, VendorReport
from .tables import report_tables

__all__ = [
    "FORMATS",
    "ReportUnavailable",
    "VendorReport",
    "build_vendor_report",
    "render_report_files",
    "render_report_html",
    "report_tables",
    "write_csv",
    "write_xlsx",
]
