"""Benchmark of the recompute (METHODOLOGY.md §8): 1,000,000 responses over 500 products and 8 facets.

    .venv/bin/python bench/recompute.py [--responses 1000000] [--products 500] [--runs 3] [--keep DIR [--reuse]]

Builds a fresh database (a temporary SQLite file, or the database of DATABASE_URL when set: it
must be empty and disposable), fills it with generated responses (not timed), then runs the
recompute `--runs` times, each in a new child process so that its peak memory is its own and no run
inherits another's warm caches (the statistical flags the previous run raised are deleted first, so
each run does the same work), and prints the median of the runs, with each run, in seconds:
- flags, load, compute, store: the phases of `recompute_scores` (flags = the statistical fraud scan);
- compute again on the same frame, and the same estimates done per product with
  `groupby().apply` (`tests/analytics/reference_groupby.py`), and the ratio between the two.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, resource, sys, time
import django
django.setup()
from tests.analytics.reference_groupby import compute_scores_groupby_apply, subgroup_scores_groupby_apply
from analytics.core.pipeline import compute_scores
from analytics.loading import current_methodology, latest_campaign, load_expert_scores, load_facet_weights, load_responses, params_for
from analytics.services import recompute_scores
from surveys.models import ResponseFlag

ResponseFlag.objects.filter(kind__in=["burst", "straight_lining", "shared_network", "shared_fingerprint", "outlier", "price_outlier"]).delete()
snapshot, timings = recompute_scores()
result = dict(timings.phases)
result["rss_after_recompute_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
result["products_scored"] = snapshot.product_scores.count()
result["responses"] = snapshot.n_responses

methodology, campaign = current_methodology(), latest_campaign()
frame = load_responses(until=campaign.closes_on)
weights = load_facet_weights(methodology)
params = params_for(methodology, campaign)
experts = load_expert_scores(methodology)
start = time.perf_counter(); compute_scores(frame, weights, experts, params); result["compute_again"] = time.perf_counter() - start
start = time.perf_counter(); compute_scores_groupby_apply(frame, weights, params); result["groupby_apply_products"] = time.perf_counter() - start
# The core also estimates every product within each subgroup of doctors (METHODOLOGY §10): the peer does too.
start = time.perf_counter(); subgroup_scores_groupby_apply(frame, weights, params); result["groupby_apply_subgroups"] = time.perf_counter() - start
result["groupby_apply"] = result["groupby_apply_products"] + result["groupby_apply_subgroups"]
result["speedup"] = result["groupby_apply"] / result["compute_again"]
print("RESULT " + json.dumps(result))
"""


def configure(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the dev settings' cache lives in the database


def populate(n_responses, n_products, seed=7):
    """Fill the database with a catalogue, doctors, two campaigns and `n_responses` responses."""
    from django.db import connection, transaction

    from ratings.models import FACET_SLUGS, Category, Product, Vendor
    from surveys.models import Campaign, Doctor, Region, Response
    from surveys.rpps import luhn_check_digit

    rng = np.random.default_rng(seed)
    per_doctor = 10
    n_doctors = n_responses // per_doctor
    with transaction.atomic():
        categories = Category.objects.bulk_create(
            Category(name=f"Catégorie {i}", slug=f"cat-{i}") for i in range(7)
        )
        vendors = Vendor.objects.bulk_create(
            Vendor(name=f"Éditeur {i}", slug=f"editeur-{i}") for i in range(12)
        )
        Product.objects.bulk_create(
            Product(
                name=f"Produit {i}",
                slug=f"produit-{i}",
                vendor=vendors[i % len(vendors)],
                category=categories[i % len(categories)],
            )
            for i in range(n_products)
        )
        product_ids = np.array(Product.objects.order_by("pk").values_list("pk", flat=True))
        spring = Campaign.objects.create(
            slug="printemps", title="Printemps", opens_on=datetime.date(2026, 3, 1), closes_on=datetime.date(2026, 4, 30),
            status="closed",
        )  # fmt: skip
        autumn = Campaign.objects.create(
            slug="automne", title="Automne", opens_on=datetime.date(2026, 10, 1), closes_on=datetime.date(2026, 12, 15),
            status="closed",
        )  # fmt: skip
        specialties = np.where(rng.random(n_doctors) < 0.4, "general_practice", "cardiology")
        regions = np.array(Region.values)[rng.integers(0, len(Region.values), n_doctors)]
        for start in range(0, n_doctors, 50_000):
            Doctor.objects.bulk_create(
                (
                    Doctor(
                        rpps=(base := f"9{i:09d}") + luhn_check_digit(base),
                        specialty=specialties[i],
                        verification_status="verified",
                        verified_by="import",
                        region=regions[i],
                    )
                    for i in range(start, min(start + 50_000, n_doctors))
                ),
                batch_size=10_000,
            )
        doctor_ids = np.array(Doctor.objects.order_by("pk").values_list("pk", flat=True))

        # Raw multi-row inserts: generating a million model instances would dominate the set-up time.
        columns = [
            (field.column, _constant(field))
            for field in Response._meta.concrete_fields
            if not field.primary_key
        ]
        insert = "INSERT INTO {} ({}) VALUES ({})".format(
            Response._meta.db_table, ", ".join(c for c, _ in columns), ", ".join(["%s"] * len(columns))
        )
        day = 86_400
        spring_start = int(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC).timestamp())
        spring_span = 61 * day
        autumn_start = int(datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC).timestamp())
        autumn_span = 53 * day
        quality = rng.uniform(2.3, 4.5, n_products)
        gp_shift = rng.normal(0.0, 0.5, n_products)
        batch = 100_000
        for start in range(0, n_responses, batch):
            idx = np.arange(start, min(start + batch, n_responses))
            doctor = idx // per_doctor
            k = idx % per_doctor
            product = (doctor * 7 + k * 53) % n_products
            campaign = np.where(rng.random(len(idx)) < 0.5, spring.pk, autumn.pk)
            gp = specialties[doctor] == "general_practice"
            mean = quality[product] + np.where(gp, gp_shift[product], 0.0)
            answers = np.clip(np.rint(mean[:, None] + rng.normal(0, 0.9, (len(idx), 8))), 1, 5)
            answers[rng.random((len(idx), 8)) < 0.08] = np.nan
            recommend = np.clip(np.rint((mean - 1) * 2.5 + rng.normal(0, 1.5, len(idx))), 0, 10)
            submitted = np.where(
                campaign == spring.pk,
                spring_start + rng.integers(0, spring_span, len(idx)),
                autumn_start + rng.integers(0, autumn_span, len(idx)),
            )
            values = {
                "doctor_id": doctor_ids[doctor],
                "product_id": product_ids[product],
                "campaign_id": campaign,
                "recommend": recommend,
                "submitted_at": submitted,
                **{slug: answers[:, f] for f, slug in enumerate(FACET_SLUGS)},
                **_situation(rng, len(idx), product, product_ids, n_products),
            }
            rows = [
                tuple(
                    _sql_value(values[name][i]) if name in values else constant for name, constant in columns
                )
                for i in range(len(idx))
            ]
            with connection.cursor() as cursor:
                cursor.executemany(insert, rows)
            print(f"  {min(start + batch, n_responses):>9,} responses written", flush=True)


def _situation(rng, n, product, product_ids, n_products):
    """The optional answers of METHODOLOGY §10, answered by about half the doctors, as the columns' values."""

    def sometimes(share, values, missing=None):
        return np.where(rng.random(n) < share, values, missing)

    price = np.round(np.exp(rng.normal(np.log(40 + product % 60), 0.3)), 2)
    changed = rng.random(n) < 0.15
    return {
        "practice_setting": sometimes(
            0.6, rng.choice(["solo", "group", "health_centre"], n, p=[0.45, 0.4, 0.15]), ""
        ),
        "price_paid": sometimes(0.55, price),
        "price_increased": sometimes(0.6, rng.random(n) < 0.35),
        "commitment_months": sometimes(0.5, rng.choice([0, 12, 24, 36], n)),
        "considering_switch": sometimes(0.6, rng.random(n) < 0.2),
        "previous_product_id": np.where(
            changed & (rng.random(n) < 0.9), product_ids[(product + 1 + product % 5) % n_products], None
        ),
        "previous_product_other": np.where(changed & (rng.random(n) >= 0.9), "Ancien logiciel", ""),
    }


def _constant(field):
    """Return the value every generated response takes for a column the generator does not set."""
    from django.utils import timezone

    if field.name in ("created_at", "updated_at"):
        return timezone.now()
    if field.name == "status":
        return "submitted"
    return field.get_default()


def _sql_value(value):
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else int(value) if float(value).is_integer() else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.str_):
        return str(value)
    if isinstance(value, np.integer):
        if value > 1_000_000_000:  # an epoch second: submitted_at
            return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC)
        return int(value)
    return value


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="folder for the SQLite file (default: a temporary folder, removed)")
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep: use the database a previous run kept"
    )
    args = parser.parse_args()

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-recompute-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    print(f"Database: {database_url.split('@')[-1]}")
    configure(database_url)
    if not (args.reuse and args.keep):
        start = time.perf_counter()
        populate(args.responses, args.products)
        print(f"Generated and written in {time.perf_counter() - start:.1f} s (not part of the recompute).")

    env = dict(os.environ, DATABASE_URL=database_url)
    runs = []
    for _ in range(args.runs):
        child = subprocess.run(
            [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if child.returncode:
            sys.exit(f"The recompute failed:\n{child.stderr[-5000:]}")
        line = next(line for line in child.stdout.splitlines() if line.startswith("RESULT "))
        result = json.loads(line.removeprefix("RESULT "))
        result["total"] = result["load"] + result["compute"] + result["store"]
        runs.append(result)
    print(f"responses used           {runs[0]['responses']:>10,}")
    print(f"products scored          {runs[0]['products_scored']:>10,}")
    print(f"median of {len(runs)} runs (each run in brackets)")

    def show(label, key, unit, budget="", digits=2):
        values = [run[key] for run in runs]
        each = ", ".join(f"{v:.{digits}f}" for v in values)
        print(f"{label:<24} {float(np.median(values)):>10.{digits}f} {unit}  ({each}){budget}")

    show("fraud scan (flags)", "flags", "s")
    show("load", "load", "s")
    show("compute", "compute", "s")
    show("store", "store", "s")
    show("load + compute + store", "total", "s", "   budget 60 s on SQLite")
    show("peak memory (child)", "rss_after_recompute_mb", "MB", "   budget 1,500 MB", digits=0)
    show("compute, again", "compute_again", "s", "   budget 2 s")
    show("  peer, products", "groupby_apply_products", "s")
    show("  peer, subgroups (§10)", "groupby_apply_subgroups", "s")
    show("groupby().apply peer", "groupby_apply", "s")
    show("speed-up", "speedup", "×", "   budget ≥ 20 ×", digits=1)
    if not args.keep and "DATABASE_URL" not in os.environ.get("BENCH_KEEP_ENV", ""):
        for path in folder.glob("bench.sqlite3*"):
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
