"""Open data: the files of FORMATS.md, recomputable by the standalone script, atomic, published on /donnees/."""

import ast
import csv
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.urls import reverse

from analytics import open_data, published
from ratings.models import FACET_SLUGS
from tests.analytics import builders

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "reproduce_scores.py"
SMALL_FACET = FACET_SLUGS[-1]


def reproduce(folder, *args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(folder), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd="/",
    )


def rows(path):
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_the_script_recomputes_every_figure_of_the_demo_within_1e_6(tmp_path, monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "open-data-admin-password")
    call_command("seed_demo", stdout=io.StringIO())
    folders = open_data.export_open_data(tmp_path)
    assert {f.name for f in folders} == {s.campaign.slug for s in published.campaign_snapshots()}
    for folder in folders:
        result = reproduce(folder)
        assert result.returncode == 0, result.stderr
        assert "Every figure matches within 1e-06." in result.stdout
        checked = int(result.stdout.split()[0])
        sums = rows(folder / "sufficient_statistics.csv")
        # global rows: 3 doctors' figures, 3 global ones and n; facet rows: 3 figures and n; subgroup rows: 3.
        subgroups = rows(folder / "subgroup_statistics.csv")
        assert checked == sum(7 if r["measure"] == "global" else 4 for r in sums) + 3 * len(subgroups) > 100
        assert subgroups and all(int(r["n"]) >= 5 for r in subgroups)
    # A figure off by 0.001 in scores.csv is caught, named, and fails the run.
    scores = (folders[0] / "scores.csv").read_text().splitlines()
    header, first = scores[0].split(","), scores[1].split(",")
    column = header.index("doctor_score")
    first[column] = f"{float(first[column]) + 0.001:.6f}"
    (folders[0] / "scores.csv").write_text("\n".join([scores[0], ",".join(first), *scores[2:]]) + "\n")
    tampered = reproduce(folders[0])
    assert tampered.returncode == 1 and "doctor_score" in tampered.stderr and first[0] in tampered.stderr
    # So is a subgroup's score off by 0.001.
    subgroups = (folders[0] / "subgroup_statistics.csv").read_text().splitlines()
    header, first = subgroups[0].split(","), subgroups[1].split(",")
    first[header.index("ci_high")] = repr(float(first[header.index("ci_high")]) - 0.001)
    (folders[0] / "subgroup_statistics.csv").write_text(
        "\n".join([subgroups[0], ",".join(first), *subgroups[2:]]) + "\n"
    )
    tampered = reproduce(folders[0])
    assert tampered.returncode == 1 and f"{first[2]}={first[3]}/{first[4]} ci_high" in tampered.stderr


def test_a_figure_published_without_its_sums_fails_the_check(world, tmp_path):
    folder = open_data.write_campaign(world["snapshot"], tmp_path)
    lines = (folder / "sufficient_statistics.csv").read_text().splitlines()
    kept = [line for line in lines if ",ease_of_use," not in line]
    (folder / "sufficient_statistics.csv").write_text("\n".join(kept) + "\n")
    result = reproduce(folder)
    assert result.returncode == 1 and "ease_of_use_score" in result.stderr


def test_the_script_is_standalone():
    tree = ast.parse(SCRIPT.read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported - set(sys.stdlib_module_names) == {"numpy", "pandas", "scipy"}


@pytest.fixture
def world():
    big, thin = builders.catalogue(2, vendor="agendoc", category="agenda")
    camp = builders.campaign()
    answers = dict.fromkeys(FACET_SLUGS, 4)
    builders.answer(builders.doctors(25), big, camp, {**answers, SMALL_FACET: None})
    builders.answer(builders.doctors(3, specialty="cardiology"), big, camp, answers)
    builders.answer(builders.doctors(3), thin, camp, dict.fromkeys(FACET_SLUGS, 5))
    call_command("recompute_scores", stdout=io.StringIO())
    return {"big": big, "thin": thin, "campaign": camp, "snapshot": published.snapshot_for_campaign(camp)}


def test_the_files_follow_formats_md_and_hold_no_group_under_five(world, tmp_path):
    folder = open_data.write_campaign(world["snapshot"], tmp_path)
    names = {p.name for p in folder.iterdir()}
    assert names == {"scores.csv", "scores.json", "sufficient_statistics.csv", "subgroup_statistics.csv",
                     "strata.csv", "methodology.json", "manifest.json"}  # fmt: skip
    subgroups = rows(folder / "subgroup_statistics.csv")
    assert list(subgroups[0]) == open_data.SUBGROUP_COLUMNS
    assert all(int(r["n"]) >= 5 for r in subgroups)
    # 25 GPs rated the big product: their rows are there; its 3 cardiologists and the thin product's 3 are not.
    assert {(r["product"], r["dimension"], r["value"]) for r in subgroups} == {
        (world["big"].slug, "practice_group", "gp")
    }
    sums = rows(folder / "sufficient_statistics.csv")
    assert list(sums[0]) == open_data.SUFFICIENT_COLUMNS
    assert {r["product"] for r in sums} == {world["big"].slug}
    assert SMALL_FACET not in {r["measure"] for r in sums}
    assert all(int(r["n"]) >= 5 for r in sums)
    strata = rows(folder / "strata.csv")
    assert list(strata[0]) == open_data.STRATA_COLUMNS
    assert all(int(r["respondents"]) >= 5 for r in strata)
    assert "specialist" not in {
        r["value"] for r in strata if r["product"] == world["big"].slug
    }  # 3 cardiologists
    assert world["thin"].slug not in {r["product"] for r in strata}
    thin = next(r for r in rows(folder / "scores.csv") if r["product"] == world["thin"].slug)
    assert thin["doctor_score"] == thin["global_score"] == thin[f"{SMALL_FACET}_score"] == ""
    method = json.loads((folder / "methodology.json").read_text())
    assert method["alpha"] == 0.3 and method["prior_pseudo_counts"] == [0.35, 0.1, 0.1, 0.1, 0.35]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["licence"] == "Licence Ouverte / Open Licence 2.0"
    for entry in manifest["files"]:
        content = (folder / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest() and entry["bytes"] == len(content)
    assert next(f for f in manifest["files"] if f["name"] == "scores.csv")["rows"] == 2
    assert reproduce(folder).returncode == 0


def test_a_failed_write_leaves_the_previous_folder_whole(world, tmp_path, monkeypatch):
    folder = open_data.write_campaign(world["snapshot"], tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    written = []

    def failing_fsync(fd):
        written.append(fd)
        if len(written) == 3:
            raise OSError("disk full")

    monkeypatch.setattr(open_data.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        open_data.write_campaign(world["snapshot"], tmp_path)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]


def test_the_page_lists_each_file_with_its_checksum_and_json_ld_and_serves_it(
    client, world, settings, tmp_path
):
    settings.OPEN_DATA_ROOT = tmp_path
    open_data.write_campaign(world["snapshot"], tmp_path)
    page = client.get(reverse("cms:open_data"))
    soup = BeautifulSoup(page.content, "html.parser")
    manifest = open_data.read_manifest(tmp_path, world["campaign"].slug)
    text = soup.get_text(" ")
    for entry in manifest["files"]:
        assert entry["sha256"] in text and entry["name"] in text
        url = reverse("cms:open_data_file", args=[world["campaign"].slug, entry["name"]])
        download = client.get(url)
        assert download.status_code == 200
        assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == entry["sha256"]
    assert "Licence Ouverte" in text and "reproduce_scores.py" in text
    datasets = json.loads(soup.find("script", type="application/ld+json").string)
    assert datasets[0]["@type"] == "Dataset" and datasets[0]["license"].startswith(
        "https://www.etalab.gouv.fr/"
    )
    assert {d["name"] for d in datasets[0]["distribution"]} == {f["name"] for f in manifest["files"]}
    assert all(d["contentUrl"].startswith("http://testserver/donnees/") for d in datasets[0]["distribution"])
    for url in ("/donnees/printemps-2026/nothing.csv", "/donnees/no-campaign/scores.csv",
                "/donnees/printemps-2026/..%2Fmanifest.json"):  # fmt: skip
        assert client.get(url).status_code == 404
    script = client.get(reverse("cms:open_data_script"))
    assert b"".join(script.streaming_content) == SCRIPT.read_bytes()


def test_the_background_recompute_rewrites_the_campaigns_open_data(world, settings, tmp_path):
    from analytics.tasks import recompute_scores_task

    settings.OPEN_DATA_ROOT = tmp_path
    recompute_scores_task.enqueue()
    first = open_data.read_manifest(tmp_path, world["campaign"].slug)
    assert first is not None
    builders.answer(builders.doctors(20), world["thin"], world["campaign"], dict.fromkeys(FACET_SLUGS, 2))
    recompute_scores_task.enqueue()
    second = open_data.read_manifest(tmp_path, world["campaign"].slug)
    assert second["generated_at"] > first["generated_at"]
    sums = rows(tmp_path / world["campaign"].slug / "sufficient_statistics.csv")
    assert world["thin"].slug in {r["product"] for r in sums}


def test_the_command_writes_every_campaign_and_refuses_unknown_ones(world, tmp_path):
    out = io.StringIO()
    call_command("export_open_data", "--output", str(tmp_path), stdout=out)
    assert (tmp_path / world["campaign"].slug / "manifest.json").exists()
    assert "sufficient_statistics.csv" in out.getvalue()
    with pytest.raises(CommandError, match="Unknown campaign 'nowhen'"):
        call_command("export_open_data", "--output", str(tmp_path), "--campaign", "nowhen")
