"""Benchmark of the public API (issue 10): the product list and a product's detail on a 500-product snapshot.

    .venv/bin/python bench/api.py [--products 500] [--responses 200000] [--requests 200] [--runs 3] [--keep DIR]

Builds a fresh database (a temporary SQLite file, or the empty, disposable database of DATABASE_URL),
fills it with generated responses as bench/recompute.py does and recomputes the scores (not timed).
Then, `--runs` times, it sends `--requests` GETs to /api/v1/products/ (the first page of 50) and to
/api/v1/products/<slug>/ (a different product each time) through Django's WSGI handler, in process,
with no network. It prints the median server time per request over the runs (each run's own median)
and the SQL queries per request. Target: median <= 20 ms per request.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_MS = 20.0


def measure(client, urls):
    """Return (median milliseconds, queries per request) of GETting `urls` one after the other."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for url in urls:
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured.captured_queries))
    return statistics.median(times), statistics.median(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR")
    args = parser.parse_args()
    os.environ.setdefault("API_ANON_RATE", "100000000/minute")  # measure the answers, not the throttle's 429s
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-api-"))
    folder.mkdir(parents=True, exist_ok=True)

    import recompute as setup  # bench/recompute.py: the same generated database

    setup.configure(os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}")
    start = time.perf_counter()
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)  # the throttle counts in the shared cache
    setup.populate(args.responses, args.products)

    call_command("recompute_scores", verbosity=0)
    print(f"set-up: {args.products} products, {args.responses} responses, scores computed in "
          f"{time.perf_counter() - start:.0f} s (not timed below)")  # fmt: skip

    from django.test import Client

    from ratings.models import Product

    slugs = list(Product.objects.listed().order_by("slug").values_list("slug", flat=True))
    client = Client(HTTP_HOST="localhost")
    client.get("/api/v1/products/")  # warm the per-process caches
    lists, details = [], []
    for run in range(args.runs):
        list_ms, list_q = measure(client, ["/api/v1/products/"] * args.requests)
        urls = [f"/api/v1/products/{slugs[i % len(slugs)]}/" for i in range(args.requests)]
        detail_ms, detail_q = measure(client, urls)
        lists.append(list_ms)
        details.append(detail_ms)
        print(f"run {run + 1}: list {list_ms:.2f} ms ({list_q:.0f} queries), detail {detail_ms:.2f} ms "
              f"({detail_q:.0f} queries)")  # fmt: skip
    for name, values in (("product list (50 per page)", lists), ("product detail", details)):
        median = statistics.median(values)
        verdict = "met" if median <= TARGET_MS else "MISSED"
        print(f"median of {args.runs} runs, {name}: {median:.2f} ms (target <= {TARGET_MS:g} ms: {verdict})")
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
