"""Benchmark of the readers' pages (issue 11): server time, queries and first-visit weight at scale.

    .venv/bin/python bench/pages.py [--responses 1000000] [--products 500] [--runs 3] [--requests 30]
                                    [--workers 2] [--keep DIR]

Builds a database of `--products` products and `--responses` generated responses (bench/recompute.py's
generator: 12 vendors, 7 categories, 100,000 doctors, two campaigns), computes both campaigns' scores,
gives four products an expert review and the site its pages (cms.demo.seed_pages) and every product
and vendor a logo; then serves it with gunicorn (`--workers`, the production settings, DEBUG off,
static files collected and compressed by whitenoise) on loopback and measures, for the home page, the
catalogue, a product page, a comparison of three tools, the rankings and a category's ranking:
- the time of one request, as the client on loopback sees it: after 5 requests to warm the workers,
  `--requests` sequential requests; the median of each run, then the median of `--runs` runs;
- the time of the very first request of each page, before anything is cached in the worker;
- the queries one request runs, warm (Django's test client in this process, CaptureQueriesContext; the
  development settings' database cache makes each cache read one of them);
- the product page's first visit: the HTML and every stylesheet, script and image it loads, fetched
  with `Accept-Encoding: gzip, br`, as transferred (the logo read from the media folder, which the
  web server or a CDN serves in production).

Set-up is not timed; `--keep DIR` keeps the database (and reuses it when present). The same script runs
against an older checkout (copy it into that tree's bench/): a page that tree does not have is "—".
"""

import argparse
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from recompute import configure, populate  # noqa: E402  (bench/recompute.py's generator)

BUDGET_MS = 30
BUDGET_QUERIES = 12
BUDGET_FIRST_VISIT_KB = 600


def build(folder, n_responses, n_products):
    """Fill a new database, compute its scores, add pages, reviews and logos (not timed)."""
    from django.core.management import call_command

    from analytics.services import recompute_all_campaigns
    from cms.demo import REVIEWS, seed_pages
    from ratings.models import Product

    call_command("createcachetable", verbosity=0)
    populate(n_responses, n_products)
    for snapshot, _timings in recompute_all_campaigns():
        print(f"  scores of {snapshot.campaign.slug}: {snapshot.n_responses:,} responses", flush=True)
    # seed_pages reviews the demo's products by slug: four generated products take those slugs.
    for index, review in enumerate(REVIEWS):
        Product.objects.filter(slug=f"produit-{index * 7 + 1}").update(slug=review[0])
    seed_pages()
    try:
        from ratings.demo_logos import seed_logos
    except ImportError:  # an older checkout, before logos
        pass
    else:
        print(f"  logos: {seed_logos()}", flush=True)
    (folder / "ready").write_text("built\n")


def pages():
    """Return {name: URL path} of the measured pages (a comparison of three ranked tools of one category)."""
    from django.urls import NoReverseMatch, reverse

    from analytics import published
    from ratings.models import Product

    snapshot = published.current_snapshot()
    scores = published.product_scores(snapshot, Product.objects.listed())
    ranked = sorted(
        (s for s in scores.values() if s.status == "ok"),
        key=lambda s: (-(s.n_respondents or 0), s.product_id),
    )
    product = Product.objects.select_related("category").get(pk=ranked[0].product_id)
    same = [s.product_id for s in ranked if s.product_id != product.pk]
    peers = list(Product.objects.filter(pk__in=same, category=product.category).order_by("pk")[:2])
    urls = {
        "home": "/",
        "catalogue": reverse("cms:product_list"),
        "product": product.get_absolute_url(),
        "comparison (3 tools)": reverse("cms:compare")
        + "?"
        + "&".join(f"p={p.slug}" for p in [product, *peers]),
        "rankings": reverse("cms:rankings"),
    }
    try:
        urls["category ranking"] = reverse("cms:category_ranking", args=[product.category.slug])
    except NoReverseMatch:
        urls["category ranking"] = None
    return urls


def count_queries(urls):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, url in urls.items():
        if url is None:
            counts[name] = None
            continue
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts[name] = len(queries.captured_queries) if response.status_code == 200 else None
    return counts


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(folder, database_url, workers, extra_env=None):
    """Start gunicorn with the production settings on loopback; return (process, base URL).

    `extra_env` adds to or overrides the environment (bench/throughput.py: Redis, the page cache)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(folder / "static"),
        **(extra_env or {}),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--no-control-socket"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=2).read()  # noqa: S310 (loopback)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def timed_get(url):
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
        response.read()
        status = response.status
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    return elapsed


def measure(base, urls, runs, requests):
    """Return ({name: [median ms of each run]}, {name: ms of the very first request})."""
    medians = {name: [] for name, url in urls.items() if url}
    first = {}
    for name, url in urls.items():
        if url:
            first[name] = timed_get(base + url)  # nothing cached yet in the worker that answers
            for _ in range(4):
                timed_get(base + url)
    for _run in range(runs):
        for name, url in urls.items():
            if url:
                medians[name].append(statistics.median(timed_get(base + url) for _ in range(requests)))
    return medians, first


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "img" and attrs.get("src"):
            self.urls.append(attrs["src"])


def _transferred(url):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, br"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.read(), response.headers.get("Content-Encoding", "identity"), response.status
    except urllib.error.HTTPError as error:
        return b"", "identity", error.code


def first_visit(base, path):
    """Return [(what, bytes transferred, encoding)] of a first visit to `path`, the page and what it loads."""
    from django.conf import settings

    body, encoding, _status = _transferred(base + path)
    rows = [(path, len(body), encoding)]
    html = _transferred_plain(base + path)
    parser = _Assets()
    parser.feed(html)
    for asset in dict.fromkeys(parser.urls):
        if asset.startswith(settings.MEDIA_URL):  # uploaded files: served by the web server in production
            local = Path(settings.MEDIA_ROOT) / asset.removeprefix(settings.MEDIA_URL)
            rows.append((asset, local.stat().st_size if local.exists() else 0, "file"))
            continue
        data, asset_encoding, status = _transferred(base + asset)
        if status != 200:
            raise RuntimeError(f"{asset} answered {status}")
        rows.append((asset, len(data), asset_encoding))
    return rows


def _transferred_plain(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
        return response.read().decode()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", help="folder of the database (reused when it holds one)")
    args = parser.parse_args()

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-pages-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MEDIA_ROOT", str(folder / "media"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    print(f"Database: {database_url.split('@')[-1]}")
    configure(database_url)
    if not (folder / "ready").exists():
        start = time.perf_counter()
        build(folder, args.responses, args.products)
        print(f"Built in {time.perf_counter() - start:.0f} s (not timed below).", flush=True)
    urls = pages()
    queries = count_queries(urls)
    server, base = serve(folder, database_url, args.workers)
    try:
        medians, first = measure(base, urls, args.runs, args.requests)
        visit = first_visit(base, urls["product"])
    finally:
        server.terminate()
        server.wait(timeout=20)

    print(
        f"\n{args.products} products, {args.responses:,} responses; gunicorn, {args.workers} workers, DEBUG off"
    )
    print(f"{'page':<24}{'median ms':>10}{'runs (ms)':>26}{'queries':>9}{'first ms':>10}")
    for name, url in urls.items():
        if url is None:
            print(f"{name:<24}{'—':>10}{'':>26}{'—':>9}{'—':>10}")
            continue
        runs = ", ".join(f"{m:.1f}" for m in medians[name])
        q = queries[name] if queries[name] is not None else "—"
        print(f"{name:<24}{statistics.median(medians[name]):>10.1f}{runs:>26}{q:>9}{first[name]:>10.1f}")
    print(f"(budgets: {BUDGET_MS} ms, {BUDGET_QUERIES} queries)\n\nProduct page, first visit:")
    for what, size, encoding in visit:
        print(f"  {size / 1024:>8.1f} kB  {encoding:<8} {re.sub(r'[.][0-9a-f]{12}[.]', '.', what)}")
    total = sum(size for _what, size, _encoding in visit) / 1024
    print(f"  {total:>8.1f} kB  in all (budget {BUDGET_FIRST_VISIT_KB} kB)")


if __name__ == "__main__":
    main()
