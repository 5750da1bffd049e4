"""Wagtail's own demo site, bakerydemo, prepared and served with gunicorn, to be measured beside ours.

    python bench/bakerydemo.py --folder DIR [--port 8100] [--workers 2] [--requests 200]
                               [--source GIT] [--commit SHA|HEAD] [--python PATH]

prepares DIR (see `prepare`), serves bakerydemo on http://127.0.0.1:PORT with gunicorn, prints each
measured page's status code and size, then times `--requests` sequential GETs of the blog post with
urllib (one connection each, after 10 to warm the workers) and stops the server. A benchmark imports
this file (bench/ on `sys.path`) and calls `prepare`, `serve`, `pages` and `stop` itself.

`prepare(DIR)` builds, skipping each step already done (bench-state.json in DIR records them):
- DIR/src: bakerydemo checked out at `COMMIT`, cloned from `--source` (the local mirror where there is
  one, else GitHub); `--commit HEAD` takes the source's newest commit instead. A folder holds one commit:
  asking another one is an error, use another folder.
- DIR/venv: its own virtualenv, never the project's: bakerydemo needs Django 6.0 and so Python >= 3.12
  (the version its .python-version names is preferred: pyenv's, or pythonX.Y on PATH), with
  requirements/base.txt, the whitenoise of requirements/production.txt and our pyproject.toml's gunicorn
  (both sites served by the same gunicorn). The rest of production.txt (uwsgi, psycopg, boto3,
  Elasticsearch, django-redis, ...) serves nothing here.
- DIR/db.sqlite3: `migrate`, then `load_initial_data` (the demo's pages and images); `collectstatic`
  into src/bakerydemo/collect_static, compressed and hashed by whitenoise, which serves it.

It runs bakerydemo's own production settings (bakerydemo.settings.production: DEBUG off, whitenoise,
local-memory cache without REDIS_URL, database search backend) configured only by environment
variables: a stable secret key, ALLOWED_HOSTS for loopback, DATABASE_URL for SQLite, and plain http on
loopback (SECURE_SSL_REDIRECT off, which would answer every request with a redirect to https; no HSTS).
Variables of the calling environment that these settings or gunicorn read are dropped first.
Media files (the images' renditions) are not served, as in production where a web server or a CDN
serves them: the pages measured are HTML.
"""

import argparse
import glob
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

MIRROR = Path("/work/.mirror/wagtail+bakerydemo/repo")
GITHUB = "https://github.com/wagtail/bakerydemo"
# The commit measured: "Add ingredients entries to demo data ..." (#622), 2026-08-19 (Django 6.0, Wagtail 7.4).
COMMIT = "8e2b625755d8942412d5b7627b146a795933b8b2"
SETTINGS = "bakerydemo.settings.production"
MINIMUM_PYTHON = (3, 12)  # Django 6.0's
STATE = "bench-state.json"

# Variables of the calling environment that bakerydemo's settings, python-dotenv or gunicorn would read:
# none of them may leak from our project's environment into the demo's.
FOREIGN = re.compile(
    r"(DJANGO_.*|DATABASE_URL|DATABASE_NAME|REDIS_URL|REDIS_TLS_URL|ELASTICSEARCH_.*|AWS_.*|GS_.*|CSP_.*"
    r"|BASIC_AUTH_.*|FRONTEND_CACHE_.*|PRIMARY_HOST|SECURE_.*|ADMIN_PASSWORD|GUNICORN_CMD_ARGS"
    r"|WEB_CONCURRENCY|PORT|PYTHONPATH|PYTHONHOME|VIRTUAL_ENV|PYTHON_DOTENV_.*)"
)


def _run(command, **kwargs):
    """Run a command, showing it; fail loudly."""
    print("  $", " ".join(str(part) for part in command), flush=True)
    started = time.perf_counter()
    subprocess.run([str(part) for part in command], check=True, **kwargs)
    print(f"    ({time.perf_counter() - started:.1f} s)", flush=True)


def _output(command, **kwargs):
    return subprocess.run(
        [str(part) for part in command], check=True, capture_output=True, text=True, **kwargs
    ).stdout.strip()


def _python_version(executable):
    """(major, minor) of an interpreter that can make a venv, or None where it does not run."""
    try:
        out = _output([executable, "-c", "import sys, venv; print(*sys.version_info[:2])"])
    except (OSError, subprocess.CalledProcessError):
        return None
    major, minor = out.split()
    return int(major), int(minor)


def find_python(wanted: tuple[int, int] | None = None) -> str:
    """An interpreter for the demo's venv: `wanted` (major, minor) if one is found, else any >= 3.12."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [sys.executable]
    for major, minor in sorted({*([wanted] if wanted else []), (3, 12), (3, 13), (3, 14)}):
        candidates.append(shutil.which(f"python{major}.{minor}"))
        candidates += sorted(glob.glob(str(pyenv / f"{major}.{minor}.*" / "bin" / "python3")))
    found = [(path, _python_version(path)) for path in dict.fromkeys(c for c in candidates if c)]
    usable = [(path, version) for path, version in found if version and version >= MINIMUM_PYTHON]
    for path, version in usable:
        if version == wanted:
            return path
    if usable:
        return usable[0][0]
    raise RuntimeError(
        f"bakerydemo needs Python >= {'.'.join(map(str, MINIMUM_PYTHON))} (Django 6.0): none found; "
        "give one with --python"
    )


def _load_state(folder):
    path = folder / STATE
    return json.loads(path.read_text()) if path.exists() else {}


def _save_state(folder, state):
    (folder / STATE).write_text(json.dumps(state, indent=2) + "\n")


def _checkout(folder, source, commit):
    """DIR/src at `commit`; return the full hash."""
    src = folder / "src"
    if not src.exists():
        partial = folder / "src.partial"
        shutil.rmtree(partial, ignore_errors=True)
        _run(["git", "clone", "--quiet", "--no-checkout", source, partial])
        _run(["git", "-C", partial, "-c", "advice.detachedHead=false", "checkout", "--quiet", commit])
        partial.rename(src)
    head = _output(["git", "-C", src, "rev-parse", "HEAD"])
    if commit != "HEAD" and not head.startswith(commit):
        raise RuntimeError(f"{src} holds bakerydemo at {head}, not {commit}: use another folder")
    return head


def _requirements(src):
    """What serving needs: requirements/base.txt (bakerydemo/urls.py imports debug_toolbar, whatever the
    settings), production.txt's whitenoise, and our gunicorn."""
    base = (src / "requirements" / "base.txt").read_text().splitlines()
    production = (src / "requirements" / "production.txt").read_text().splitlines()
    lines = [line.strip() for line in base if line.strip() and not line.startswith("#")]
    lines += [line.strip() for line in production if line.lower().startswith("whitenoise")]
    lines.append(_project_gunicorn())
    return "\n".join(lines) + "\n"


def _project_gunicorn():
    """Our project's gunicorn requirement (pyproject.toml), so that both sites run the same gunicorn."""
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    if pyproject.exists():
        project = tomllib.loads(pyproject.read_text()).get("project", {})
        for requirement in project.get("dependencies", []):
            if re.match(r"gunicorn\b", requirement, re.I):
                return requirement
    return "gunicorn"


def _environment(folder, venv, secret_key):
    env = {key: value for key, value in os.environ.items() if not FOREIGN.fullmatch(key)}
    env.update(
        {
            "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            "VIRTUAL_ENV": str(venv),
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            # Plain http on loopback: no redirect of every request to https, no HSTS header.
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_HSTS_SECONDS": "0",
            # manage.py and wsgi.py call load_dotenv(), which looks for a .env in every folder above theirs.
            "PYTHON_DOTENV_DISABLED": "1",
        }
    )
    return env


def prepare(folder: Path, source: str | None = None, commit: str = COMMIT, python: str | None = None) -> dict:
    """Build bakerydemo in `folder` (idempotent) and return what `serve` needs."""
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    source = source or (str(MIRROR) if MIRROR.is_dir() else GITHUB)
    state = _load_state(folder)

    head = _checkout(folder, source, commit)
    src = folder / "src"
    state.setdefault("secret_key", secrets.token_urlsafe(50))
    state["commit"] = head
    _save_state(folder, state)

    venv = folder / "venv"
    venv_python = venv / "bin" / "python"
    requirements = _requirements(src)
    digest = hashlib.sha256(requirements.encode()).hexdigest()
    if state.get("venv") != digest or not venv_python.exists():
        wanted = (src / ".python-version").read_text().strip() if (src / ".python-version").exists() else ""
        interpreter = python or find_python(tuple(map(int, wanted.split(".")[:2])) if wanted else None)
        shutil.rmtree(venv, ignore_errors=True)
        _run([interpreter, "-m", "venv", venv])
        (folder / "requirements-bench.txt").write_text(requirements)
        _run([venv_python, "-m", "pip", "install", "-qq", "-r", folder / "requirements-bench.txt"])
        for step in ("data", "static", "pages", "versions"):  # another Django or Wagtail: build them again
            state.pop(step, None)
        state["venv"] = digest
        _save_state(folder, state)

    env = _environment(folder, venv, state["secret_key"])
    manage = [venv_python, "manage.py"]
    if not state.get("data"):
        (folder / "db.sqlite3").unlink(missing_ok=True)
        _run([*manage, "migrate", "--noinput", "--verbosity", "0"], cwd=src, env=env)
        _run([*manage, "load_initial_data"], cwd=src, env=env)
        state["data"] = True
        state.pop("pages", None)
        _save_state(folder, state)
    if not state.get("static"):
        _run([*manage, "collectstatic", "--noinput", "--clear", "--verbosity", "0"], cwd=src, env=env)
        state["static"] = True
        _save_state(folder, state)
    if "pages" not in state:
        # The newest blog post: the first that the blog's index lists.
        newest_post = (
            "import django; django.setup(); from bakerydemo.blog.models import BlogPage; "
            "print(BlogPage.objects.live().public().order_by('-date_published', 'path').first().get_url())"
        )
        state["pages"] = {
            "home": "/",
            "blog post": _output([venv_python, "-c", newest_post], cwd=src, env=env),
        }
        _save_state(folder, state)
    if "versions" not in state:
        versions = (
            "import importlib.metadata as m, platform; print(platform.python_version(), "
            "*(m.version(name) for name in ('django', 'wagtail', 'gunicorn', 'whitenoise')))"
        )
        state["versions"] = dict(
            zip(
                ("python", "django", "wagtail", "gunicorn", "whitenoise"),
                _output([venv_python, "-c", versions]).split(),
                strict=True,
            )
        )
        _save_state(folder, state)

    return {
        "folder": str(folder),
        "cwd": str(src),
        "env": env,
        "python": str(venv_python),
        "commit": head,
        "source": source,
        "settings": SETTINGS,
        "pages": state["pages"],
        "versions": state["versions"],
    }


def pages(prepared: dict) -> dict[str, str]:
    """The URL paths to measure: the home page and a blog post."""
    return dict(prepared["pages"])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer of its own (its status code), not to be followed


_opener = urllib.request.build_opener(_NoRedirect)


def get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    """(status code, body) of a GET, redirects not followed."""
    try:
        with _opener.open(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _port_taken(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _no_control_socket(prepared):
    """gunicorn >= 25.1 opens a control socket, by default at one path per user ($XDG_RUNTIME_DIR or
    ~/.gunicorn/gunicorn.ctl): a second gunicorn (ours, beside this one) would take it over. Not needed."""
    major, minor = (int(part) for part in prepared["versions"]["gunicorn"].split(".")[:2])
    return ["--no-control-socket"] if (major, minor) >= (25, 1) else []


def serve(prepared: dict, port: int, workers: int = 2) -> subprocess.Popen:
    """Start gunicorn (sync workers, no access log) on 127.0.0.1:`port`; return it once / answers 200."""
    if _port_taken(port):
        raise RuntimeError(f"port {port} is already taken on 127.0.0.1")
    log_path = Path(prepared["folder"]) / "gunicorn.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [prepared["python"], "-m", "gunicorn", "bakerydemo.wsgi", "--worker-class", "sync"]
            + ["--workers", str(workers), "--bind", f"127.0.0.1:{port}", *_no_control_socket(prepared)],
            cwd=prepared["cwd"],
            env=prepared["env"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if get(f"http://127.0.0.1:{port}/", timeout=10)[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    tail = log_path.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"bakerydemo's gunicorn did not answer 200 on / (log {log_path}):\n{tail}")


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn and its workers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _title(body):
    match = re.search(rb"<title>(.*?)</title>", body, re.S)
    return " ".join(match.group(1).decode(errors="replace").split()) if match else "(no title)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, required=True, help="where to build (kept, reused)")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=200, help="sequential GETs of the blog post")
    parser.add_argument("--source", help=f"git repository (default: {MIRROR} if present, else {GITHUB})")
    parser.add_argument("--commit", default=COMMIT, help="commit to check out (HEAD: the newest)")
    parser.add_argument("--python", help="interpreter for the demo's venv (>= 3.12)")
    args = parser.parse_args()

    started = time.perf_counter()
    prepared = prepare(args.folder, source=args.source, commit=args.commit, python=args.python)
    versions = prepared["versions"]
    print(
        f"\nbakerydemo {prepared['commit']} from {prepared['source']}\n"
        f"Python {versions['python']}, Django {versions['django']}, Wagtail {versions['wagtail']}, "
        f"gunicorn {versions['gunicorn']}, {prepared['settings']}; prepared in "
        f"{time.perf_counter() - started:.1f} s"
    )
    server = serve(prepared, args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    try:
        print(f"serving on {base} (gunicorn, {args.workers} sync workers, DEBUG off)")
        stylesheet = None
        for name, path in pages(prepared).items():
            status, body = get(base + path)
            print(f"  {name:<10} {status}  {len(body):>7,} B  {base + path}  {_title(body)!r}")
            stylesheet = stylesheet or re.search(rb'href="(/static/[^"]+\.css)"', body)
        if stylesheet:  # served by whitenoise, from collectstatic's hashed copies
            status, body = get(base + stylesheet.group(1).decode())
            print(f"  {'static':<10} {status}  {len(body):>7,} B  {base + stylesheet.group(1).decode()}")
        status, body = get(base + "/no-such-page/")
        debug = b"DEBUG = True" in body
        print(f"  {'not found':<10} {status}  {len(body):>7,} B  ({'DEBUG page!' if debug else 'DEBUG off'})")

        post = base + pages(prepared)["blog post"]
        for _ in range(10):
            get(post)
        statuses = set()
        began = time.perf_counter()
        for _ in range(args.requests):
            statuses.add(get(post)[0])
        elapsed = time.perf_counter() - began
        print(
            f"{args.requests} sequential GETs of {pages(prepared)['blog post']}: "
            f"{args.requests / elapsed:.1f} req/s ({elapsed / args.requests * 1000:.2f} ms each), "
            f"status {sorted(statuses)}"
        )
    finally:
        stop(server)


if __name__ == "__main__":
    main()
