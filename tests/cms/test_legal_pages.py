"""The pages a French site must carry (issue 12, item 3): created with real text, in every footer, and the
evaluator's charter accepted at sign-up with its version kept."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from cms import localized
from cms.legal import ensure_legal_pages
from cms.legal_texts import LEGAL_PAGES, LEGAL_VERSION
from cms.models import LegalPage
from ratings.models import Product
from surveys.models import Doctor
from tests.factories import PASSWORD, DirectoryEntryFactory, valid_rpps

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "legal-admin-password")
    call_command("seed_demo", stdout=io.StringIO())


def test_a_new_site_has_every_legal_page_published_with_its_text(demo, client):
    pages = {page.kind: page for page in localized.originals(LegalPage.objects.live())}
    assert set(pages) == set(LEGAL_PAGES) == set(LegalPage.Kind.values)
    for kind, page in pages.items():
        html = client.get(page.url).content.decode()
        assert escape(page.title) in html and f"Version {LEGAL_VERSION}" in html, kind
        if kind != "contact":  # the contact page's form is its content
            assert len(page.body) > 400, kind  # a real text, not a heading
    assert "CNIL" in pages["privacy"].body and "Défenseur des droits" in pages["accessibility"].body
    assert "RGAA 4.1" in pages["accessibility"].body and "hébergeur" in pages["legal_notice"].body.lower()
    assert ensure_legal_pages() == 0  # once only


def test_the_privacy_policy_links_the_doctors_export_and_deletion_pages(demo, client):
    html = client.get(
        localized.originals(LegalPage.objects.filter(kind="privacy")).get().url
    ).content.decode()
    assert reverse("surveys:export_data") in html and reverse("surveys:delete_account") in html


def test_every_pages_footer_links_every_legal_page_in_both_languages(demo, client):
    product = Product.objects.listed().first()
    for url in (
        "/",
        reverse("cms:product_list"),
        product.get_absolute_url(),
        reverse("surveys:signup"),
        "/en/outils/",
    ):
        footer = client.get(url).content.decode().split('<footer class="site-footer">')[1]
        language = "en" if url.startswith("/en/") else "fr"
        pages = LegalPage.objects.live().filter(locale__language_code=language)
        assert pages.count() == len(LegalPage.Kind.values)
        for page in pages:
            assert f'href="{page.url}"' in footer, (url, page.kind)


def _sign_up(client, **extra):
    rpps = valid_rpps(777)
    DirectoryEntryFactory(rpps=rpps, last_name="Martin", first_name="Claire")
    data = {
        "email": "claire.martin@exemple.fr", "password1": PASSWORD, "password2": PASSWORD, "rpps": rpps,
        "last_name": "Martin", "first_name": "Claire", "specialty": "general_practice", "practice_mode": "liberal",
        "region": "11", "certify": "on", "accept_charter": "on", **extra,
    }  # fmt: skip
    with translation.override("fr"):
        url = reverse("surveys:signup")
    return client.post(url, data), rpps


def test_sign_up_records_the_charter_version_the_doctor_accepted(demo, client):
    charter = localized.originals(LegalPage.objects.filter(kind="charter")).get()
    with translation.override("fr"):  # a request to /en/ earlier in this thread leaves English active
        signup = reverse("surveys:signup")
    page = client.get(signup).content.decode()
    assert f'href="{charter.url}"' in page and 'name="accept_charter"' in page
    charter.version = "2027-01"
    charter.save_revision().publish()
    response, rpps = _sign_up(client)
    assert response.status_code == 302
    doctor = Doctor.objects.get(rpps=rpps)
    assert doctor.charter_version == "2027-01" and doctor.charter_accepted_at is not None
    exported = client.get(reverse("surveys:export_data")).json()["doctor"]  # the doctor's own copy says so
    assert exported["charter_version"] == "2027-01" and exported["charter_accepted_at"]


def test_sign_up_without_accepting_the_charter_is_refused_by_the_field(demo, client):
    response, rpps = _sign_up(client, accept_charter="")
    assert response.status_code == 200
    assert escape("Acceptez la charte de l'évaluateur pour vous inscrire.") in response.content.decode()
    assert not Doctor.objects.filter(rpps=rpps).exists()
