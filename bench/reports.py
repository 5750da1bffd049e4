"""Benchmark of the vendor reports (issue 9): one PDF, and every demo vendor's report in every format.

    .venv/bin/python bench/reports.py [--runs 3] [--keep DIR]

Builds a fresh SQLite database in a temporary folder, loads the demo data (`seed_demo`, not timed),
then, `--runs` times, measures in seconds:
- one_pdf_cold: the PDF of the demo vendor with the most scored products, as `export_vendor_reports
  --vendor` makes it: the report read from the database, its HTML, Chromium launched and the page printed;
- one_pdf_warm: the same PDF printed on a browser that is already running (a report run's 2nd vendor on);
- all_reports: every demo vendor's report in PDF, XLSX and CSV, as `export_vendor_reports` makes them
  (one Chromium for the whole run), files written to the folder;
and prints each figure's median over the runs. Targets: one PDF <= 3 s, all <= 60 s.
"""

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = {"one_pdf_cold": 3.0, "all_reports": 60.0}


def configure(folder):
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEMO_ADMIN_PASSWORD", "bench-admin-password")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())


def largest_vendor():
    from analytics import published
    from ratings.models import Product

    snapshot = published.current_snapshot()
    products = Product.objects.listed().select_related("vendor")
    scored = published.product_scores(snapshot, products)
    counts = Counter(p.vendor for p in products if p.pk in scored)
    vendor = max(counts, key=lambda v: (counts[v], v.slug))
    return vendor, snapshot.campaign, counts[vendor]


def measure(folder, vendor, campaign):
    from django.core.management import call_command
    from pypdf import PdfReader

    from cms.reports import render_report_files
    from cms.reports.pdf import pdf_renderer

    result = {}
    start = time.perf_counter()
    files = render_report_files(vendor, campaign, ["pdf"])
    result["one_pdf_cold"] = time.perf_counter() - start
    result["pdf_pages"] = len(PdfReader(io.BytesIO(files[f"{vendor.slug}.pdf"])).pages)
    result["pdf_bytes"] = len(files[f"{vendor.slug}.pdf"])
    with pdf_renderer():
        render_report_files(vendor, campaign, ["pdf"])  # the browser's first page
        start = time.perf_counter()
        render_report_files(vendor, campaign, ["pdf"])
        result["one_pdf_warm"] = time.perf_counter() - start
    output = folder / f"out-{time.monotonic_ns()}"
    out = io.StringIO()
    start = time.perf_counter()
    call_command("export_vendor_reports", "--output", str(output), stdout=out, stderr=io.StringIO())
    result["all_reports"] = time.perf_counter() - start
    result["files"] = sum(1 for p in output.rglob("*") if p.is_file())
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="keep the database and the files in DIR")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-reports-"))
    folder.mkdir(parents=True, exist_ok=True)
    configure(folder)
    from ratings.models import Vendor

    vendor, campaign, n_products = largest_vendor()
    print(f"vendor {vendor.slug} ({n_products} scored products), campaign {campaign.slug}, "
          f"{Vendor.objects.count()} vendors")  # fmt: skip
    runs = []
    for i in range(args.runs):
        runs.append(measure(folder, vendor, campaign))
        print(f"run {i + 1}: " + json.dumps({k: round(v, 2) for k, v in runs[-1].items()}))
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    print(f"median of {args.runs} runs:")
    for key, value in medians.items():
        target = TARGETS.get(key)
        verdict = (
            "" if target is None else f"  (target <= {target:g} s: {'met' if value <= target else 'MISSED'})"
        )
        print(f"  {key:14} {value:10.2f}{verdict}")
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
