"""The Chromium the Playwright tests drive is the one the PDF reports print with: Debian's package, never a
downloaded build ($CHROMIUM, else chromium or chromium-browser on PATH; see cms.reports.pdf.find_chromium)."""

from cms.reports.pdf import ChromiumMissing, find_chromium

__all__ = ["ChromiumMissing", "find_chromium"]
