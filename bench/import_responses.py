"""Benchmark of `import_responses` (FORMATS.md): 1,000,000 rows into a freshly migrated database.

    .venv/bin/python bench/import_responses.py                 # SQLite, in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import .venv/bin/python bench/import_responses.py

Generates a valid file with a fixed seed (about 500 products of 12 vendors in 7 categories, 100,000
doctors, 2 campaigns; every product, vendor, category, doctor and campaign is new, so the import creates
them all), imports it, and prints the time of each phase and the peak memory. `--rows` changes the size;
`--reimport` imports the same file a second time (it must change nothing).
"""

import argparse
import csv
import datetime
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.core.constants import FACETS  # noqa: E402  (pure: no Django set-up needed)

SEED = 20261123
N_PRODUCTS = 500
N_VENDORS = 12
N_CATEGORIES = 7
N_DOCTORS = 100_000
CAMPAIGNS = (
    ("bench-spring", datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.UTC), 60),
    ("bench-autumn", datetime.datetime(2026, 10, 1, 8, tzinfo=datetime.UTC), 70),
)
COMMENTS = (
    "Bon outil dans l'ensemble, quelques lenteurs le lundi matin.",
    "Support difficile à joindre, mais efficace une fois en ligne.",
    "Trop cher pour ce qu'il fait ; l'export des dossiers est pénible.",
    "Simple à prendre en main, je le recommande aux confrères.",
)


def luhn_complete(bases):
    """Return the 11-digit Luhn-valid numbers completing the 10-digit integers `bases` (vectorised)."""
    digits = np.array([list(f"{b:010d}") for b in bases], dtype=np.int64)
    doubled = digits[:, ::-1][:, 0::2] * 2  # from the right, the 1st, 3rd… digit of the base is doubled
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    total = doubled.sum(axis=1) + digits[:, ::-1][:, 1::2].sum(axis=1)
    check = (10 - total % 10) % 10
    return [f"{b:010d}{c}" for b, c in zip(bases, check, strict=True)]


def generate(path, n_rows):
    """Write a valid responses file of `n_rows` rows: each doctor rates k products in both campaigns."""
    rng = np.random.default_rng(SEED)
    per_doctor = max(1, round(n_rows / len(CAMPAIGNS) / N_DOCTORS))
    n_doctors = -(-n_rows // (per_doctor * len(CAMPAIGNS)))
    rpps = luhn_complete(1_020_000_000 + np.arange(n_doctors) * 7)
    specialties = np.where(
        rng.random(n_doctors) < 0.45,
        "general_practice",
        rng.choice(["cardiology", "dermatology", "pediatrics", "psychiatry", "radiology", "ent"], n_doctors),
    )
    regions = rng.choice(["11", "84", "76", "75", "32", "44", "93", "52", "53", ""], n_doctors)
    products = [f"bench-product-{i:03d}" for i in range(N_PRODUCTS)]
    vendor_of = [f"bench-vendor-{i % N_VENDORS:02d}" for i in range(N_PRODUCTS)]
    category_of = [f"bench-category-{(i * 5) % N_CATEGORIES}" for i in range(N_PRODUCTS)]
    quality = rng.normal(3.4, 0.6, N_PRODUCTS)
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["rpps", "specialty", "region", "product", "vendor", "category", "campaign", "submitted_at"]
            + list(FACETS)
            + ["recommend", "comment"]
        )
        for slug, start, days in CAMPAIGNS:
            block = 20_000
            for first in range(0, n_doctors, block):
                docs = np.arange(first, min(first + block, n_doctors))
                n = len(docs) * per_doctor
                chosen = np.array([rng.choice(N_PRODUCTS, per_doctor, replace=False) for _ in docs]).ravel()
                doctor = np.repeat(docs, per_doctor)
                answers = np.clip(
                    np.rint(quality[chosen][:, None] + rng.normal(0, 0.9, (n, len(FACETS)))), 1, 5
                ).astype(int)
                na = rng.random((n, len(FACETS))) < 0.08
                recommend = np.clip(np.rint((answers.mean(axis=1) - 1) * 2.5 + rng.normal(0, 1.2, n)), 0, 10)
                seconds = rng.integers(0, days * 86_400, n)
                has_comment = rng.random(n) < 0.05
                comment_idx = rng.integers(0, len(COMMENTS), n)
                rows = []
                for i in range(n):
                    if written >= n_rows:
                        break
                    d, p = doctor[i], chosen[i]
                    when = (start + datetime.timedelta(seconds=int(seconds[i]))).isoformat()
                    facets = ["" if na[i, j] else str(answers[i, j]) for j in range(len(FACETS))]
                    if all(f == "" for f in facets):
                        facets[0] = str(answers[i, 0])
                    rows.append(
                        [
                            rpps[d],
                            specialties[d],
                            regions[d],
                            products[p],
                            vendor_of[p],
                            category_of[p],
                            slug,
                            when,
                        ]
                        + facets
                        + [str(int(recommend[i])), COMMENTS[comment_idx[i]] if has_comment[i] else ""]
                    )
                    written += 1
                writer.writerows(rows)
    return written


def peak_memory_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reimport", action="store_true", help="import the same file again (no change)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # As in production: with DEBUG on, Django would keep the text of every statement in memory.
    settings.DEBUG = False

    from surveys.models import Response
    from surveys.services.imports import import_responses
    from surveys.signals import scores_invalidated

    # The recompute the import asks for has its own benchmark (bench/recompute.py); the dev settings
    # would run it inline, so the analytics receiver is replaced by a counter here.
    scores_invalidated.disconnect(dispatch_uid="analytics_recompute_on_change")
    signals = []
    scores_invalidated.connect(lambda sender, **kwargs: signals.append(kwargs["reason"]), weak=False)

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    if Response.objects.exists():
        sys.exit("The database already has responses: give an empty one.")

    path = workdir / "responses.csv"
    started = time.perf_counter()
    n = generate(path, args.rows)
    generation = time.perf_counter() - started
    size_mb = path.stat().st_size / 1e6
    print(f"generation: {n:,} rows, {size_mb:.0f} MB in {generation:.1f} s")

    started = time.perf_counter()
    report = import_responses(path=str(path))
    total = time.perf_counter() - started
    assert not report.errors, report.errors[:5]
    count = Response.objects.count()
    assert count == n, (count, n)
    assert signals == ["import"], signals
    print(
        f"import: validation {report.timings['validation']:.1f} s, write {report.timings['write']:.1f} s, "
        f"total {total:.1f} s ({n / total:,.0f} rows/s); created {report.created:,} responses, "
        f"{report.new_doctors:,} doctors, {report.new_products} products, {report.new_campaigns} campaigns"
    )
    if args.reimport:
        started = time.perf_counter()
        again = import_responses(path=str(path))
        print(
            f"re-import: {time.perf_counter() - started:.1f} s, {again.created} created, {again.updated} updated, "
            f"{again.unchanged:,} unchanged"
        )
    print(f"peak memory (max RSS of the process): {peak_memory_mb():.0f} MB")
    if not args.keep:
        for child in workdir.iterdir():
            child.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
