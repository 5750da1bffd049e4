"""The analytics adapter's modules import one way: tasks use services, services never use tasks."""

import ast
from pathlib import Path

import analytics

APP = Path(analytics.__file__).parent


def _imported(module):
    """Return every module `analytics/<module>.py` imports, at the top or inside a function."""
    tree = ast.parse((APP / f"{module}.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            prefix = "analytics." if node.level == 1 else ""
            names.add(prefix + (node.module or ""))
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_services_do_not_import_tasks_nor_receivers():
    assert not {"analytics.tasks", "analytics.receivers"} & _imported("services")


def test_tasks_import_services_and_nothing_imports_back():
    assert "analytics.services" in _imported("tasks")
    for module in ("services", "storing", "loading", "fraud_scan"):
        assert "analytics.tasks" not in _imported(module), module
    assert "analytics.tasks" in _imported("receivers")


def test_no_empty_urls_module():
    assert not (APP / "urls.py").exists()
