"""The shape of the code (STYLE.md): modules small enough to read in one sitting, every app in the layers."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["accounts", "ratings", "surveys", "analytics", "cms", "config"]
# A module past this is split by what it does (STYLE.md, "Lessons from our own code").
MAX_LINES = 400


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def test_the_walk_sees_every_package():
    found = {path.relative_to(ROOT).parts[0] for path in modules()}
    assert found == set(PACKAGES)


@pytest.mark.parametrize("path", list(modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it by what it does"


def test_every_app_is_in_the_import_layers():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    layers = next(c for c in config["contracts"] if c["id"] == "layers")["layers"]
    # A layer may hold siblings, "a | b", that do not import each other.
    in_layers = {name.strip() for layer in layers for name in layer.split("|")}
    assert apps | {"config"} == set(config["root_packages"]) == in_layers


def test_the_readme_and_the_docs_link_nothing_outside_the_repository():
    texts = {path: path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *ROOT.glob("docs/*.md")]}
    assert not [path for path, text in texts.items() if "shared/" in text or "](../" in text]
    for link in re.findall(r"\]\(([^)#]+)\)", "\n".join(texts.values())):
        if "://" not in link:
            assert (ROOT / link).exists() or (ROOT / "docs" / link).exists(), link


def test_the_methodology_document_covers_every_section_the_site_applies():
    headings = re.findall(r"^## (\d+)\. ", (ROOT / "docs/methodology.md").read_text(), re.M)
    assert headings == [str(n) for n in range(1, 11)]
