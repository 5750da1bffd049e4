"""The statistics core imports no Django and no other project app (STYLE.md, "Which way imports point")."""

import ast
import sys
from pathlib import Path

import analytics.core

CORE = Path(analytics.core.__file__).parent
FORBIDDEN = {"django", "wagtail", "ratings", "surveys", "cms", "accounts", "config"}
ALLOWED_THIRD_PARTY = {"numpy", "pandas", "scipy", "plotly"}


def _imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield 0, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.level, node.module or ""


def _problems(path):
    problems = []
    for level, module in _imports(path):
        top = module.split(".")[0]
        if level > 1:
            problems.append(f"relative import out of the core: {'.' * level}{module}")
        elif level == 0 and top in FORBIDDEN:
            problems.append(f"imports {module}")
        elif level == 0 and top == "analytics" and not module.startswith("analytics.core"):
            problems.append(f"imports {module} (analytics outside the core)")
        elif level == 0 and top not in ALLOWED_THIRD_PARTY | {"analytics"} and not _is_stdlib(top):
            problems.append(f"imports third-party {module}")
    return problems


def _is_stdlib(name):
    return name in sys.stdlib_module_names or name == "__future__"


def test_core_files_exist():
    assert {"pipeline.py", "weights.py", "estimates.py", "ranking.py", "fraud.py", "charts.py"} <= {
        p.name for p in CORE.glob("*.py")
    }


def test_core_imports_no_django_and_no_project_app():
    problems = {str(p.relative_to(CORE)): _problems(p) for p in sorted(CORE.rglob("*.py"))}
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_check_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import numpy\nfrom django.db import models\nfrom surveys.models import Response\n"
        "from ..loading import x\nimport analytics.loading\nimport requests\n"
    )
    assert _problems(bad) == [
        "imports django.db",
        "imports surveys.models",
        "relative import out of the core: ..loading",
        "imports analytics.loading (analytics outside the core)",
        "imports third-party requests",
    ]
