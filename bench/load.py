"""Load test (issue 13, item 7): readers browse while 50 doctors submit and edit ratings; nothing is lost.

    .venv/bin/python bench/load.py [--doctors 50] [--readers 60] [--duration 120] [--workers 2]
                                   [--database-url URL] [--redis-url URL] [--keep DIR]

Needs PostgreSQL and Redis on loopback (as `make serve` does) and locust (`make bench-deps`).

1. Prepares a new PostgreSQL database (default `bench_load` on 127.0.0.1, dropped and made again): the
   demo site (`seed_demo`: catalogue, pages, scores), an open campaign over every category, and
   `--doctors` verified doctors, each with a password, three or four tools to rate and an address of
   their own on loopback (127.0.1.x).
2. Starts the site with `make serve` (the production settings: deployment checks, migrations, static
   files, gunicorn with `--workers` workers and the task worker), on HTTPS with a certificate made for
   the run, because the production settings send session and CSRF cookies to HTTPS only.
3. Runs bench/load/locustfile.py headless for `--duration` seconds: `--readers` anonymous readers
   (home, catalogue, products, comparisons, rankings) and the doctors, who sign in, rate each tool and
   come back to change their ratings.
4. Stops the site and compares the database with what the site acknowledged: every acknowledged
   rating is there with the last answers acknowledged (otherwise "lost"), no tool is rated twice by one
   doctor in the campaign ("doubled"), and no rating is there that was never acknowledged. Counts
   the server's answers by status from its access log (5xx must be 0).

Prints requests per second, p50 and p99 per kind of request, and the checks; exits 1 if a check fails.
"""

import argparse
import csv
import json
import os
import random
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import free_port  # noqa: E402  (bench/pages.py)

PASSWORD = "charge-" + secrets.token_urlsafe(12)
CAMPAIGN = "campagne-de-charge"
ACCESS_LINE = re.compile(r'"[A-Z]+ \S+ HTTP/[\d.]+" (\d{3}) ')


def recreate_database(database_url):
    import psycopg

    *server, name = database_url.rsplit("/", 1)
    with psycopg.connect(server[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def demo_site(database_url):
    """Set Django up on `database_url` (development settings) and load the demo site into it."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)


def prepare(database_url, n_doctors, folder):
    """Fill the database (demo site, open campaign, doctors); return the plan the locustfile reads."""
    demo_site(database_url)
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse
    from django.utils import timezone

    from ratings.models import Category, Product
    from surveys.models import Campaign, Doctor
    from surveys.services.responses import campaign_products
    from tests.factories import valid_rpps

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        slug=CAMPAIGN,
        title="Campagne de charge",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        status=Campaign.Status.OPEN,
    )
    slugs = list(campaign_products(campaign).values_list("slug", flat=True))
    doctors_group, _ = Group.objects.get_or_create(name="doctor")
    rng = random.Random(13)
    doctors = []
    now = timezone.now()
    for i in range(n_doctors):
        email = f"medecin{i + 1}@charge.invalid"
        user = get_user_model().objects.create_user(
            username=email, email=email, password=PASSWORD, first_name="Dominique", last_name=f"Charge{i + 1}"
        )
        user.groups.add(doctors_group)
        Doctor.objects.create(
            user=user,
            rpps=valid_rpps(90_000 + i),
            first_name="Dominique",
            last_name=f"Charge{i + 1}",
            specialty="general_practice" if i % 5 < 3 else "cardiology",
            practice_mode="liberal",
            region="11",
            verification_status=Doctor.Status.VERIFIED,
            verified_by=Doctor.VerifiedBy.DIRECTORY,
            verified_at=now,
            email_confirmed_at=now,
            charter_version="load",
            charter_accepted_at=now,
        )
        doctors.append(
            {
                "email": email,
                "password": PASSWORD,
                "address": f"127.0.1.{i + 1}",
                "products": rng.sample(slugs, rng.choice([3, 4])),
            }
        )
    products = list(Product.objects.listed().order_by("slug"))
    by_category = {}
    for product in products:
        by_category.setdefault(product.category_id, []).append(product.slug)
    comparisons = [
        reverse("cms:compare") + "?" + "&".join(f"p={s}" for s in group[:3])
        for group in by_category.values()
        if len(group) >= 2
    ]
    rankings = [reverse("cms:rankings")] + [
        reverse("cms:category_ranking", args=[c.slug]) for c in Category.objects.all()
    ]
    plan = {
        "campaign": CAMPAIGN,
        "doctors": doctors,
        "pages": {
            "products": [p.get_absolute_url() for p in products],
            "comparisons": comparisons,
            "rankings": rankings,
        },
    }
    (folder / "plan.json").write_text(json.dumps(plan))
    return plan


def certificate(folder):
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


def start_site(folder, database_url, redis_url, workers):
    """`make serve` with the production settings on HTTPS; return (process, base URL, access log path)."""
    key, cert = certificate(folder)
    port = free_port()
    log = folder / "serve.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(ROOT / "media"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": str(workers),
        "GUNICORN_ARGS": f"--certfile {cert} --keyfile {key}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"], cwd=ROOT, env=env, stdout=log.open("w"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"https://127.0.0.1:{port}"
    context = ssl._create_unverified_context()  # noqa: S323 (the run's own certificate, on loopback)
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=2, context=context).read()  # noqa: S310
            return server, base, log
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"make serve stopped:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.5)
    raise RuntimeError("the site did not start")


def stop_site(server):
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def run_locust(folder, base, n_doctors, n_readers, duration):
    env = {
        **os.environ,
        "LOAD_PLAN": str(folder / "plan.json"),
        "LOAD_ACKS": str(folder / "acknowledged.json"),
        "LOAD_DOCTOR_USERS": str(n_doctors),
    }
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
    subprocess.run(
        [locust, "-f", str(ROOT / "bench" / "load" / "locustfile.py"), "--headless", "--host", base,
         "-u", str(n_doctors + n_readers), "-r", "25", "-t", f"{duration}s", "--csv", str(folder / "locust"),
         "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip


def check_database(folder):
    """Compare the campaign's ratings with the acknowledged ones; return the counts."""
    from django.db.models import Count

    from ratings.models import FACET_SLUGS
    from surveys.models import Response

    acks = json.loads((folder / "acknowledged.json").read_text())
    acknowledged = acks["acknowledged"]
    rows = Response.objects.filter(campaign__slug=CAMPAIGN, doctor__user__email__endswith="@charge.invalid")
    stored = {
        f"{email} {slug}": {facet: str(value) for facet, value in zip(FACET_SLUGS, values, strict=True)}
        | {"recommend": str(recommend)}
        for email, slug, recommend, *values in rows.filter(status=Response.Status.SUBMITTED).values_list(
            "doctor__user__email", "product__slug", "recommend", *FACET_SLUGS
        )
    }
    doubled = rows.values("doctor_id", "product_id").annotate(n=Count("id")).filter(n__gt=1).count()
    lost = [key for key, answers in acknowledged.items() if stored.get(key) != answers]
    unacknowledged = [key for key in stored if key not in acknowledged]
    return {
        "acknowledged ratings (last of each tool)": len(acknowledged),
        "submissions acknowledged": acks["counters"]["submitted"],
        "edits acknowledged": acks["counters"]["edited"],
        "ratings in the database": len(stored),
        "lost": len(lost),
        "doubled": doubled,
        "in the database, never acknowledged": len(unacknowledged),
        "examples": (lost + unacknowledged)[:5],
    }


def statuses(log):
    return Counter(int(m.group(1)) for m in ACCESS_LINE.finditer(log.read_text(errors="replace")))


def report(folder):
    rows = list(csv.DictReader((folder / "locust_stats.csv").open()))
    print(f"{'request':<22}{'count':>8}{'failures':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for row in rows:
        print(
            f"{row['Name']:<22}{row['Request Count']:>8}{row['Failure Count']:>10}"
            f"{float(row['Requests/s']):>9.1f}{row['50%']:>9}{row['99%']:>9}"
        )
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--doctors", type=int, default=50)
    parser.add_argument("--readers", type=int, default=60)
    parser.add_argument("--duration", type=int, default=120, help="seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--keep", help="folder for the plan, certificate, logs and locust's CSV files")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("the load test runs on PostgreSQL, as `make serve` does")
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-load-"))
    folder.mkdir(parents=True, exist_ok=True)

    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    recreate_database(args.database_url)
    started = time.perf_counter()
    plan = prepare(args.database_url, args.doctors, folder)
    print(f"Prepared in {time.perf_counter() - started:.0f} s: demo site, campaign {plan['campaign']}, "
          f"{len(plan['doctors'])} doctors, {len(plan['pages']['products'])} product pages.")  # fmt: skip
    server, base, log = start_site(folder, args.database_url, args.redis_url, args.workers)
    try:
        run_locust(folder, base, args.doctors, args.readers, args.duration)
    finally:
        stop_site(server)
    rows = report(folder)
    answered = statuses(log)
    checks = check_database(folder)
    print("server answers by status:", dict(sorted(answered.items())))
    for name, value in checks.items():
        print(f"{name:<40} {value}")
    server_errors = sum(n for status, n in answered.items() if status >= 500)
    total = next(row for row in rows if row["Name"] == "Aggregated")
    summary = {
        "requests": int(total["Request Count"]),
        "req_per_s": float(total["Requests/s"]),
        "failures": int(total["Failure Count"]),
        "5xx": server_errors,
        **{k: v for k, v in checks.items() if k != "examples"},
    }
    (folder / "result.json").write_text(json.dumps(summary, indent=2))
    print(f"Files in {folder}")
    failed = (
        checks["lost"] or checks["doubled"] or checks["in the database, never acknowledged"] or server_errors
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
