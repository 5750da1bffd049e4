"""Vendor reports as files: analysts make and release them; each vendor downloads its own, nobody else's."""

import contextlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from cms.models import ReportFile, ReportRun
from ratings.models import FACET_SLUGS, VendorMembership
from tests.analytics import builders

pytestmark = pytest.mark.django_db


def fake_render(vendor, campaign, formats):
    """Stand in for the report renderer: one small file per format, named as the real ones."""
    files = {
        f"{vendor.slug}.{fmt}": f"{fmt} report of {vendor.slug} for {campaign.slug}".encode()
        for fmt in formats
        if fmt != "csv"
    }
    if "csv" in formats:
        files[f"{vendor.slug}/products.csv"] = f"product\n{vendor.slug}\n".encode()
    return files


@pytest.fixture
def scored(monkeypatch):
    import cms.reports
    import cms.reports.pdf

    monkeypatch.setattr(cms.reports, "render_report_files", fake_render, raising=False)
    # No browser for the fake renderer (tests/cms/test_report_pdf.py prints real runs).
    monkeypatch.setattr(cms.reports.pdf, "pdf_renderer", contextlib.nullcontext)
    ours = builders.catalogue(1, vendor="agendoc")[0]
    theirs = builders.catalogue(1, vendor="praxisoft")[0]
    camp = builders.campaign()
    for product in (ours, theirs):
        builders.answer(builders.doctors(25), product, camp, dict.fromkeys(FACET_SLUGS, 4))
    call_command("recompute_scores", stdout=io.StringIO())
    users = get_user_model().objects
    member = users.create_user(username="a", email="a@agendoc.example", password="x")
    VendorMembership.objects.create(user=member, vendor=ours.vendor)
    other = users.create_user(username="b", email="b@praxisoft.example", password="x")
    VendorMembership.objects.create(user=other, vendor=theirs.vendor)
    analyst = users.create_user(username="an", email="an@example.org", password="x", is_staff=True)
    analyst.groups.add(Group.objects.get(name="analyst"))
    doctor = users.create_user(username="d", email="d@example.org", password="x")
    return {"ours": ours, "theirs": theirs, "campaign": camp, "member": member, "other": other,
            "analyst": analyst, "doctor": doctor}  # fmt: skip


def make_reports(client, scored, **fields):
    from django.test import TestCase

    client.force_login(scored["analyst"])
    data = {"campaign": scored["campaign"].pk, "formats": ["pdf", "xlsx", "csv"], **fields}
    # The run is queued once the request's transaction commits; the test backend runs it at once.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("cms_reports:index"), data)


def test_an_analyst_makes_every_vendors_reports_in_the_background_and_downloads_them(client, scored):
    response = make_reports(client, scored)
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert (run.status, run.total, run.done, run.failed) == ("done", 2, 2, 0)
    names = set(ReportFile.objects.values_list("name", flat=True))
    assert names == {
        "agendoc.pdf",
        "agendoc.xlsx",
        "agendoc/products.csv",
        "praxisoft.pdf",
        "praxisoft.xlsx",
        "praxisoft/products.csv",
    }
    page = client.get(reverse("cms_reports:run", args=[run.pk])).content.decode()
    pdf = ReportFile.objects.get(name="agendoc.pdf")
    assert pdf.sha256 in page
    download = client.get(reverse("cms_reports:download", args=[pdf.pk]))
    assert b"".join(download.streaming_content) == b"pdf report of agendoc for printemps-2026"


def test_one_vendors_failure_leaves_the_others_reports_and_says_why(client, scored, monkeypatch):
    import cms.reports

    def failing(vendor, campaign, formats):
        if vendor.slug == "praxisoft":
            raise RuntimeError("chart did not render")
        return fake_render(vendor, campaign, formats)

    monkeypatch.setattr(cms.reports, "render_report_files", failing, raising=False)
    make_reports(client, scored)
    run = ReportRun.objects.get()
    assert (run.status, run.done, run.failed) == (
        "done",
        1,
        1,
    ) and "praxisoft: chart did not render" in run.message
    assert not ReportFile.objects.filter(vendor=scored["theirs"].vendor).exists()


def test_a_campaign_without_scores_or_no_format_is_refused_with_a_reason(client, scored):
    empty = builders.campaign("automne-2026", closes=builders.datetime.date(2026, 12, 15), status="open")
    client.force_login(scored["analyst"])
    refused = client.post(reverse("cms_reports:index"), {"campaign": empty.pk, "formats": ["pdf"]})
    assert refused.status_code == 400 and not ReportRun.objects.exists()
    no_format = make_reports(client, scored, formats=[])
    assert no_format.status_code == 400 and not ReportRun.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "doctor", "member"])
def test_only_analysts_reach_the_reports_admin(client, scored, who):
    if who != "anonymous":
        client.force_login(scored[who])
    response = client.get(reverse("cms_reports:index"))
    assert response.status_code in (302, 403)


def test_vendors_download_their_own_released_reports_only(client, scored):
    make_reports(client, scored)
    ours = ReportFile.objects.get(name="agendoc.pdf")
    theirs = ReportFile.objects.get(name="praxisoft.pdf")
    url = reverse("cms:vendor_report_file", args=[ours.pk])

    # Not released yet: the vendor sees nothing and cannot download.
    client.force_login(scored["member"])
    assert "agendoc.pdf" not in client.get(reverse("cms:vendor_reports")).content.decode()
    assert client.get(url).status_code == 404

    client.force_login(scored["analyst"])
    client.post(reverse("cms_reports:release", args=[scored["campaign"].pk]), {"action": "release"})

    client.force_login(scored["member"])
    space = client.get(reverse("cms:vendor_reports")).content.decode()
    assert "agendoc.pdf" in space and "praxisoft.pdf" not in space
    assert b"".join(client.get(url).streaming_content).startswith(b"pdf report of agendoc")
    assert client.get(reverse("cms:vendor_report_file", args=[theirs.pk])).status_code == 404

    client.force_login(scored["doctor"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404

    client.force_login(scored["analyst"])
    client.post(reverse("cms_reports:release", args=[scored["campaign"].pk]), {"action": "withdraw"})
    client.force_login(scored["member"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["member", "doctor", "anonymous"])
def test_every_report_url_of_another_vendor_answers_404(client, scored, who):
    make_reports(client, scored)
    client.post(reverse("cms_reports:release", args=[scored["campaign"].pk]), {"action": "release"})
    client.logout()
    if who != "anonymous":
        client.force_login(scored[who])
    theirs = scored["theirs"].vendor
    urls = [reverse("cms:vendor_report_file", args=[f.pk]) for f in ReportFile.objects.filter(vendor=theirs)]
    urls.append(reverse("cms:vendor_report_export", args=[theirs.slug]))
    assert len(urls) == 4
    for url in urls:
        assert client.get(url).status_code == 404, url
    # The vendor's own member reads the same URLs.
    client.force_login(scored["other"])
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_vendors_get_the_files_of_the_newest_run(client, scored):
    make_reports(client, scored)
    make_reports(client, scored, vendor=scored["ours"].vendor.pk, formats=["pdf"])
    client.post(reverse("cms_reports:release", args=[scored["campaign"].pk]), {"action": "release"})
    newest = ReportRun.objects.first()
    client.force_login(scored["member"])
    from cms.report_delivery import released_files

    files = released_files(scored["member"].vendor_memberships.values("vendor"))
    assert {(f.name, f.run_id) for f in files} == {("agendoc.pdf", newest.pk)}
