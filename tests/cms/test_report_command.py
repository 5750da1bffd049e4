"""`manage.py export_vendor_reports`: its files, atomic writes, errors and exit code."""

import csv
import io
import os
import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from cms.management.commands import export_vendor_reports as command
from tests.analytics import builders
from tests.cms.test_report_content import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_vendor_reports", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_latest_campaign_is_written_for_every_vendor(world, tmp_path):
    out, _ = run("--format", "xlsx,csv", "--output", str(tmp_path))
    folder = tmp_path / "printemps-2026"
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert "agendoc.xlsx" in names and "rdvsante.xlsx" in names
    assert "agendoc/summary.csv" in names and "rdvsante/facets.csv" in names
    assert not [n for n in names if n.endswith(".tmp")]
    book = openpyxl.load_workbook(folder / "agendoc.xlsx")
    assert book.worksheets[0].freeze_panes == "A2"
    rows = list(csv.DictReader((folder / "agendoc" / "summary.csv").open(encoding="utf-8")))
    assert {r["product"] for r in rows} == {world["big"].slug, world["small"].slug}
    assert "2 of 2 vendor reports written" in out


def test_one_vendor_and_an_earlier_campaign(world, tmp_path):
    run("--vendor", "agendoc", "--campaign", "automne-2025", "--format", "csv", "--output", str(tmp_path))
    folder = tmp_path / "automne-2025"
    assert (folder / "agendoc" / "summary.csv").exists()
    assert not (folder / "agendoc.xlsx").exists() and not (folder / "rdvsante").exists()


def fake_printer(monkeypatch):
    """Put a printer that counts its browsers and documents in place of Chromium."""
    from cms.reports import pdf as pdf_module

    browsers, printed = [], []

    class FakePrinter:
        def __init__(self):
            browsers.append(self)

        def print(self, html, *, base_url, title, timeout):
            printed.append((title, "<html" in html))
            return b"%PDF-1.7 fake"

        def close(self):
            pass

    monkeypatch.setattr(pdf_module, "_Printer", FakePrinter)
    return browsers, printed


def test_the_pdf_is_printed_with_one_shared_renderer(world, tmp_path, monkeypatch):
    browsers, printed = fake_printer(monkeypatch)
    run("--format", "pdf", "--output", str(tmp_path))
    assert (tmp_path / "printemps-2026" / "agendoc.pdf").read_bytes() == b"%PDF-1.7 fake"
    assert len(browsers) == 1
    assert len(printed) == 2 and all(ok for _, ok in printed)
    assert printed[0][0].startswith("printemps-2026-")


def test_a_report_run_prints_every_vendors_pdf_on_one_browser(world, monkeypatch):
    from django.contrib.auth import get_user_model

    from cms.models import ReportFile, ReportRun
    from cms.report_delivery import generate_reports

    browsers, printed = fake_printer(monkeypatch)
    analyst = get_user_model().objects.create_user(username="an", email="an@example.org", password="x")
    run_ = ReportRun.objects.create(
        campaign=world["campaign"], formats="pdf,xlsx", requested_by=analyst, total=2
    )
    generate_reports(run=run_)
    run_.refresh_from_db()
    assert (run_.status, run_.done, run_.failed) == ("done", 2, 0)
    assert len(browsers) == 1 and len(printed) == 2
    stored = {f.name: f for f in ReportFile.objects.filter(run=run_)}
    assert set(stored) == {"agendoc.pdf", "agendoc.xlsx", "rdvsante.pdf", "rdvsante.xlsx"}
    with stored["agendoc.xlsx"].file.open("rb") as handle:
        assert openpyxl.load_workbook(handle).worksheets[-1].title == "Méthode"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vendor", "nobody"], "Unknown vendor 'nobody'"),
        (["--campaign", "nowhen"], "Unknown campaign 'nowhen'"),
        (["--campaign", "hiver-2027"], "No scores computed for campaign 'hiver-2027'"),
        (["--format", "docx"], "Unknown format(s) 'docx'"),
    ],
)
def test_unknown_vendors_campaigns_and_formats_are_clear_errors(world, tmp_path, args, message):
    builders.campaign(slug="hiver-2027")  # a campaign with no scores
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args, "--output", str(tmp_path))
    assert not any(tmp_path.iterdir())


def test_a_failed_report_exits_non_zero_and_the_others_are_still_written(world, tmp_path, monkeypatch):
    real = command.render_report_files

    def failing(vendor, campaign, formats, **kwargs):
        if vendor.slug == "agendoc":
            raise RuntimeError("disk on fire")
        return real(vendor, campaign, formats, **kwargs)

    monkeypatch.setattr(command, "render_report_files", failing)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 vendor report\\(s\\) failed: agendoc"):
        call_command(
            "export_vendor_reports", "--format", "xlsx", "--output", str(tmp_path), stdout=out, stderr=err
        )
    assert (tmp_path / "printemps-2026" / "rdvsante.xlsx").exists()
    assert not (tmp_path / "printemps-2026" / "agendoc.xlsx").exists()
    assert "1 of 2 vendor reports written" in out.getvalue() and "disk on fire" in err.getvalue()


def test_a_write_that_fails_leaves_the_previous_file_whole_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "a" / "agendoc.xlsx"
    command.write_atomically(target, b"first version")

    def broken_replace(src, dst):
        raise OSError("no space left")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        command.write_atomically(target, b"second version, never complete")
    assert target.read_bytes() == b"first version"
    assert [p.name for p in target.parent.iterdir()] == ["agendoc.xlsx"]
