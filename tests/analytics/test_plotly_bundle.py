"""The plotly.js the site serves: the basic bundle, of the version the plotly package writes figures for."""

import re
from pathlib import Path

import plotly
import pytest

from analytics.staticfiles import PLOTLY_FILE

ROOT = Path(__file__).resolve().parents[2]
VERSION = re.compile(rb"plotly\.js(?: \(basic - minified\))? v(\d+\.\d+\.\d+)")


def _version(path):
    match = VERSION.search(Path(path).read_bytes()[:400])
    assert match, f"no plotly.js version in the head of {path}"
    return match.group(1).decode()


def test_the_bundle_is_the_basic_one_with_its_licence():
    head = PLOTLY_FILE.read_bytes()[:400]
    assert b"(basic - minified)" in head
    assert (PLOTLY_FILE.parent / "LICENSE").read_text().startswith("MIT License")
    # The full bundle is 4.8 MB; the basic one (bar, scatter, pie) a quarter of it.
    assert PLOTLY_FILE.stat().st_size < 1_400_000


def test_the_bundle_is_of_the_plotly_js_version_the_python_package_targets():
    shipped = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert _version(PLOTLY_FILE) == _version(shipped)


def test_the_committed_bundle_is_the_one_package_lock_installs():
    installed = ROOT / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
    if not installed.exists():
        pytest.skip("node_modules is not installed (make node-deps)")
    assert installed.read_bytes() == PLOTLY_FILE.read_bytes(), "run `make vendor-plotly`"


def test_every_trace_the_charts_draw_is_in_the_basic_bundle():
    # The basic bundle holds scatter, bar and pie; any other trace type would draw nothing.
    used = set()
    for source in (ROOT / "analytics" / "core" / "charts.py", ROOT / "analytics" / "charts.py"):
        used |= set(re.findall(r"go\.(\w+)\(", source.read_text()))
    assert used - {"Figure"} <= {"Bar", "Scatter", "Pie"}, used
