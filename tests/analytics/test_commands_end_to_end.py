"""FORMATS.md end to end: import_responses, then recompute_scores, then export_scores."""

import csv
import io

import pytest
from django.core.management import call_command

from analytics.export import COLUMNS
from ratings.models import FACET_SLUGS

from .builders import rpps

pytestmark = pytest.mark.django_db

HEADER = ["rpps", "specialty", "region", "product", "vendor", "category", "campaign", "submitted_at",
          *FACET_SLUGS, "recommend", "comment"]  # fmt: skip


def write_file(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(rows)


def row(
    product, specialty, answers, *, recommend="", day=10, campaign="enquete-2026", vendor="", category=""
):
    facets = [answers.get(f, "") for f in FACET_SLUGS]
    return [rpps(), specialty, "11", product, vendor, category, campaign, f"2026-05-{day:02d}T10:00:00+02:00",
            *facets, recommend, ""]  # fmt: skip


def test_import_then_recompute_then_export(tmp_path):
    rows = []
    # 30 doctors on a new product (created from vendor + category), "interoperability" never answered.
    for i in range(30):
        specialty = "general_practice" if i % 3 else "cardiology"
        answers = {f: str(3 + i % 3) for f in FACET_SLUGS if f != "interoperability"}
        rows.append(
            row(
                "visio-plus",
                specialty,
                answers,
                recommend=str(i % 11),
                day=1 + i % 20,
                vendor="visio",
                category="video",
            )
        )
    # 3 doctors on another new product of the same vendor: too few to show anything.
    for _ in range(3):
        rows.append(row("visio-mini", "dermatology", {"features": "5"}, vendor="visio", category="video"))
    path = tmp_path / "answers.csv"
    write_file(path, rows)

    call_command("import_responses", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    call_command("recompute_scores", stdout=io.StringIO())
    out = io.StringIO()
    call_command("export_scores", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split(",") == COLUMNS
    exported = {r["product"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert set(exported) == {"visio-plus", "visio-mini"}

    big = exported["visio-plus"]
    assert (big["vendor"], big["category"], big["n_respondents"]) == ("visio", "video", "30")
    assert big["status"] == "ok"
    for column in ("doctor_score", "doctor_ci_low", "doctor_ci_high", "global_score", "recommend_pct"):
        value = big[column]
        assert "," not in value and len(value.split(".")[1]) >= 4
    assert 1 <= float(big["doctor_ci_low"]) <= float(big["doctor_score"]) <= float(big["doctor_ci_high"]) <= 5
    assert big["expert_score"] == ""
    assert big["global_score"] == big["doctor_score"]  # no expert review: G = μ
    assert big["interoperability_score"] == big["interoperability_ci_low"] == ""
    assert big["interoperability_n"] == "0"
    assert big["features_n"] == "30"

    small = exported["visio-mini"]
    assert (small["status"], small["n_respondents"]) == ("insufficient", "3")
    assert small["doctor_score"] == small["global_score"] == small["features_score"] == ""
