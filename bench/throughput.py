"""Requests per second of the home and a product page, with and without the page cache, beside bakerydemo.

    .venv/bin/python bench/throughput.py [--runs 3] [--duration 10] [--connections 8] [--workers 2]
                                         [--database-url URL] [--redis-url URL] [--bakerydemo DIR]

Needs wrk (`make bench-deps`), PostgreSQL and Redis on loopback. Issue 13 asks for these figures.

- Our site: a new PostgreSQL database (default `bench_throughput`, dropped and made again) with the demo
  site (`seed_demo`); served twice at once by gunicorn (`--workers` sync workers, the production
  settings, Redis as the shared cache, plain http on loopback): once with the readers' page cache off
  (PAGE_CACHE_SECONDS=0, "before") and once with it on ("after").
- Wagtail's own demo site, bakerydemo, prepared by bench/bakerydemo.py (its own virtualenv: it needs
  Django 6.0 and Python 3.12; its production settings, SQLite) and served by the same gunicorn with the
  same number of workers.
- Each page is measured with `wrk -t2 -c<connections> -d<duration>s --latency`, after a warm-up of
  5 seconds; the pages take turns within each run, and the figures are the median of `--runs` runs:
  requests per second, and the p50 and p99 of the latency wrk reports. wrk runs on the same 2 cores
  as the servers, the same way for every site.
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bakerydemo  # noqa: E402  (bench/bakerydemo.py)
import pages  # noqa: E402  (bench/pages.py)
from load import demo_site, recreate_database  # noqa: E402  (bench/load.py)

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def prepare(database_url):
    """The demo site in the database; return the pages to measure: home and the most rated product's page."""
    demo_site(database_url)
    from analytics import published
    from ratings.models import Product

    scores = published.product_scores(published.current_snapshot(), Product.objects.listed())
    best = max(
        (s for s in scores.values() if s.status == "ok"), key=lambda s: (s.n_respondents, -s.product_id)
    )
    return {"home": "/", "product page": Product.objects.get(pk=best.product_id).get_absolute_url()}


def serve_ours(folder, database_url, redis_url, workers, page_cache_seconds):
    """bench/pages.py's gunicorn (production settings, loopback), with Redis and the page cache set."""
    return pages.serve(
        folder, database_url, workers, {"REDIS_URL": redis_url, "PAGE_CACHE_SECONDS": str(page_cache_seconds)}
    )


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url, duration, connections):
    """Return {"req/s", "p50 ms", "p99 ms", "errors"} of one wrk run."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "req/s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50 ms": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99 ms": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_throughput")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--bakerydemo", default=str(Path(tempfile.gettempdir()) / "bench-bakerydemo"),
                        help="folder where bench/bakerydemo.py prepares Wagtail's demo (kept between runs)")  # fmt: skip
    parser.add_argument(
        "--keep", help="folder for the static files and the figures (default: a temporary one)"
    )
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    folder.mkdir(parents=True, exist_ok=True)

    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    recreate_database(args.database_url)
    ours = prepare(args.database_url)
    baked = bakerydemo.prepare(Path(args.bakerydemo))
    theirs = {name: path for name, path in bakerydemo.pages(baked).items() if name in ("home", "blog post")}

    servers, demo = [], None
    try:
        before, before_base = serve_ours(folder, args.database_url, args.redis_url, args.workers, 0)
        servers.append(before)
        after, after_base = serve_ours(folder, args.database_url, args.redis_url, args.workers, 600)
        servers.append(after)
        demo_port = pages.free_port()
        demo = bakerydemo.serve(baked, demo_port, args.workers)
        targets = {
            **{f"ours, no page cache: {name}": before_base + path for name, path in ours.items()},
            **{f"ours, page cache: {name}": after_base + path for name, path in ours.items()},
            **{f"bakerydemo: {name}": f"http://127.0.0.1:{demo_port}{path}" for name, path in theirs.items()},
        }
        for url in targets.values():  # warm: every worker has loaded what it keeps
            wrk(url, 5, args.connections)
        runs = {name: [] for name in targets}
        for _ in range(args.runs):
            for name, url in targets.items():
                runs[name].append(wrk(url, args.duration, args.connections))
    finally:
        for server in servers:  # gunicorn's master stops its workers on SIGTERM
            server.terminate()
            server.wait(timeout=30)
        if demo is not None:
            bakerydemo.stop(demo)

    figures = {}
    print(
        f"median of {args.runs} runs of wrk -t2 -c{args.connections} -d{args.duration}s, {args.workers} workers each"
    )
    print(f"{'page':<40}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  runs (req/s)")
    for name, results in runs.items():
        median = {key: statistics.median(r[key] for r in results) for key in ("req/s", "p50 ms", "p99 ms")}
        median["errors"] = sum(r["errors"] for r in results)
        median["runs"] = [r["req/s"] for r in results]
        figures[name] = median
        each = ", ".join(f"{v:.0f}" for v in median["runs"])
        print(f"{name:<40}{median['req/s']:>9.1f}{median['p50 ms']:>9.1f}{median['p99 ms']:>9.1f}  ({each})"
              + (f"  {median['errors']} non-2xx" if median["errors"] else ""))  # fmt: skip
    ratios = [
        ours_run["req/s"] / demo_run["req/s"]
        for ours_run, demo_run in zip(
            runs["ours, page cache: product page"], runs["bakerydemo: blog post"], strict=True
        )
    ]
    print(f"product page with the cache / bakerydemo's blog post, per run: "
          f"{', '.join(f'{r:.1f}' for r in ratios)}; median {statistics.median(ratios):.1f} ×  (target ≥ 10 ×)")  # fmt: skip
    figures["ratio, product page / blog post"] = {"runs": ratios, "median": statistics.median(ratios)}
    (folder / "throughput.json").write_text(json.dumps(figures, indent=2))
    print(f"Figures in {folder / 'throughput.json'}; bakerydemo {baked['commit'][:7]} in {args.bakerydemo}")


if __name__ == "__main__":
    main()
