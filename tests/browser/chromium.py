"""The Chromium the Playwright tests drive is the one the PDF reports print with: Debian's package, never a
downloaded build ($CHROMIUM, else chromium or chromium-browser on PATH; see cms.reports.pdf.find_chromium)."""

from cms.reports.pdf import CHROMIUM_ARGS, ChromiumMissing, find_chromium

__all__ = ["CHROMIUM_ARGS", "ChromiumMissing", "find_chromium"]
