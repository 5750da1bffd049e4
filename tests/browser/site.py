"""A served demo site for the readers' browser tests and the page audits, and the checkers they run.

The site is `seed_demo`'s, in a SQLite database of its own, served by `runserver` in a child process
with the development settings: the same pages a reader gets from `make run`. It is built once per test
session (about 25 s) and left untouched by the tests, which only read it; tests that write (sign-up, a
rating) use pytest-django's `live_server` instead.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
DEMO_PASSWORD = "demo-Observatoire-2026"  # surveys.demo.accounts: the demo accounts' password


class CheckerMissing(RuntimeError):
    """axe-core or vnu.jar is not installed (`make node-deps`), or Java is missing (`make browser-deps`)."""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DemoSite:
    """`seed_demo`'s site served on loopback; `url(path)` and the pages found in it (`pages`)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "OPEN_DATA_ROOT": str(folder / "open-data"),
            "PRIVATE_MEDIA_ROOT": str(folder / "private"),
            "DEMO_ADMIN_PASSWORD": "audit-admin-password",
        }
        # The served site is the embedded default's (SQLite) on the PostgreSQL run too (DATABASE_URL above);
        # a test's permission to call the ORM from Playwright's loop is not the server's.
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = None
        self.pages = {}

    def _manage(self, *args):
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self):
        self._manage("migrate", "--noinput", "-v0")
        self._manage("createcachetable")
        self._manage("seed_demo")
        found = self._manage("shell", "-c", "from tests.browser.demo_urls import main; main()")
        self.pages = json.loads(found.strip().splitlines()[-1])
        log = open(self.folder / "server.log", "w")  # noqa: SIM115 (closed with the server)
        self.server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/robots.txt", timeout=2).read()  # noqa: S310 (loopback)
                return self
            except OSError:
                if self.server.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the demo site did not start: {(self.folder / 'server.log').read_text()[-2000:]}")

    def stop(self):
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=10)

    def url(self, path):
        return self.base + path


def sign_in(page, site, email):
    page.goto(site.url("/compte/connexion/"))
    page.fill("#id_username", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def run_axe(page):
    """Return axe-core's violations on the page as it is (every rule of every impact)."""
    if not AXE_JS.exists():
        raise CheckerMissing(f"{AXE_JS} is missing: run `make node-deps`")
    # Evaluated through the browser's protocol rather than added as a <script>: the site's
    # Content-Security-Policy rightly refuses inline scripts, and the audit must not loosen it.
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;window.axe = axe;")
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary),
          }));
        }"""
    )


def run_vnu(files):
    """Return the Nu Html Checker's errors on the given HTML files, as (file, line, message)."""
    if not VNU_JAR.exists():
        raise CheckerMissing(f"{VNU_JAR} is missing: run `make node-deps`")
    try:
        done = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    except FileNotFoundError as missing:
        raise CheckerMissing("java is not installed: run `make browser-deps`") from missing
    report = json.loads(done.stderr or done.stdout or '{"messages": []}')
    return [
        (Path(m.get("url", "")).name, m.get("lastLine"), m.get("message"))
        for m in report["messages"]
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
