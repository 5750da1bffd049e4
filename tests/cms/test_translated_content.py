"""English content (issue 12, item 2): the pages' translations, the French original where none exists, and
the catalogue's names in each language; the contact form of item 3."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Locale, Page

from cms import localized
from cms.models import ArticleIndexPage, ArticlePage, ContactMessage, ExpertReviewPage, LegalPage
from cms.models.review_drafts import ReviewSubmission
from cms.translations import publish_translation
from ratings.models import Category, ExpertAssessment, Facet, Product
from surveys.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """The demo's catalogue, campaigns and pages (with their translations), without its survey data."""
    from cms.demo import seed_pages
    from ratings.demo import seed_catalogue
    from surveys.demo.campaigns import seed_campaigns

    seed_catalogue()
    seed_campaigns()
    seed_pages()


@pytest.fixture
def scored_demo(monkeypatch):
    """The whole demo, scores included."""
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "translated-admin-password")
    call_command("seed_demo", stdout=io.StringIO())


def _main(html):
    return html[html.index("<main") : html.index("</main>")]


def test_the_demo_ships_an_english_translation_of_every_page(demo):
    originals = localized.originals(Page.objects.live().filter(depth__gt=1))
    english = Locale.objects.get(language_code="en")
    untranslated = [page.url_path for page in originals if page.get_translation_or_none(english) is None]
    assert untranslated == []


def test_a_translated_page_shows_its_english_text_in_english(demo, client):
    html = client.get("/en/").content.decode()
    assert '<html lang="en"' in html and "Independent observatory of medical software" in html
    assert 'class="untranslated"' not in html and "Observatoire indépendant" not in _main(html)
    french = client.get("/").content.decode()
    assert (
        "Observatoire indépendant des logiciels médicaux" in french and 'class="untranslated"' not in french
    )


def test_a_page_without_translation_shows_the_french_original_marked_as_such(demo, client):
    index = localized.originals(ArticleIndexPage.objects.all()).get()
    article = ArticlePage(
        title="Un article pas encore traduit", slug="pas-encore-traduit", date="2026-12-01",
        summary="Résumé en français.", body=[("paragraph", "<p>Texte français.</p>")],
    )  # fmt: skip
    index.add_child(instance=article)
    article.save_revision().publish()

    response = client.get("/en/articles/pas-encore-traduit/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en"' in html
    main = _main(html)
    assert "This page has not been translated yet: here is the original, in French." in main
    # The content says it is French: everything from the title on sits in an element marked lang="fr".
    assert re.search(r'<div lang="fr">\s*<article>\s*<h1>Un article pas encore traduit</h1>', main), main
    # The switcher leads to the French page, and the English address stays the English one.
    assert 'href="/articles/pas-encore-traduit/" hreflang="fr"' in html
    assert 'hreflang="en" href="http://testserver/en/articles/pas-encore-traduit/"' in html
    # The English lists show it, linked under /en/.
    assert 'href="/en/articles/pas-encore-traduit/"' in client.get("/en/articles/").content.decode()
    # Once translated, its English address shows the translation.
    publish_translation(article, language="en", title="An article now translated", summary="English summary.")
    main = _main(client.get("/en/articles/pas-encore-traduit/").content.decode())
    assert "An article now translated" in main and 'lang="fr"' not in main


def test_a_translation_with_its_own_slug_is_found_from_either_address(demo, client):
    notice = localized.originals(LegalPage.objects.filter(kind="legal_notice")).get()
    english = client.get("/en/legal-notice/").content.decode()
    assert "<h1>Legal notice</h1>" in english and 'href="/mentions-legales/" hreflang="fr"' in english
    assert "<h1>Legal notice</h1>" in client.get("/en/mentions-legales/").content.decode()
    french = client.get(notice.url).content.decode()
    assert "<h1>Mentions légales</h1>" in french and 'href="/en/legal-notice/" hreflang="en"' in french


def test_the_catalogue_names_are_french_at_the_root_and_english_under_en(scored_demo, client):
    product = Product.objects.listed().filter(category__slug="logiciel-metier").first()
    french = client.get(product.get_absolute_url()).content.decode()
    english = client.get("/en" + product.get_absolute_url()).content.decode()
    assert "Logiciels métier" in french and "Facilité d&#x27;utilisation" in french
    assert "Practice-management software" in english and "Ease of use" in english
    assert "Logiciels métier" not in _main(english) and "Facilité d&#x27;utilisation" not in _main(english)
    # The status names are the interface's: English on the English site.
    assert "not enough responses yet" in english or "ranked" in english or "limited data" in english


def test_a_name_not_yet_translated_falls_back_to_french(demo, client):
    category = Category.objects.get(slug="telesurveillance")
    Category.objects.filter(pk=category.pk).update(name_en=None)
    with translation.override("en"):
        assert Category.objects.get(pk=category.pk).name == "Télésurveillance"
        assert Facet.objects.get(slug="reliability").name == "Reliability"
    with translation.override("fr"):
        assert Campaign.objects.get(slug="automne-2026").title == "Enquête d'automne 2026"
    with translation.override("en"):
        assert Campaign.objects.get(slug="automne-2026").title == "Autumn 2026 survey"


def test_the_admin_edits_each_languages_name(demo, admin_client):
    category = Category.objects.get(slug="teleconsultation")
    html = admin_client.get(f"/admin/snippets/ratings/category/edit/{category.pk}/").content.decode()
    assert 'name="name_fr"' in html and 'name="name_en"' in html and 'value="Téléconsultation"' in html
    facet = Facet.objects.get(slug="support")
    html = admin_client.get(f"/admin/snippets/ratings/facet/edit/{facet.pk}/").content.decode()
    assert 'name="question_en"' in html and escape("Does the vendor support you well?") in html
    campaign = Campaign.objects.get(slug="automne-2026")
    html = admin_client.get(f"/admin/snippets/surveys/campaign/edit/{campaign.pk}/").content.decode()
    assert 'name="title_fr"' in html and 'value="Autumn 2026 survey"' in html


def test_an_english_review_counts_once_with_its_originals_scores(demo, client):
    originals = list(localized.originals(ExpertReviewPage.objects.live()))
    assert ExpertReviewPage.objects.live().count() == 2 * len(originals)
    assert sorted(ExpertAssessment.objects.values_list("source_page_id", flat=True)) == sorted(
        p.pk for p in originals
    )
    review = originals[0]
    english = localized_translation(review)
    english_scores = {s.facet_id: s.score for s in english.facet_scores.all()}
    assert english_scores == {s.facet_id: s.score for s in review.facet_scores.all()}
    # Publishing the translation again records nothing more.
    english.save_revision().publish()
    assert ExpertAssessment.objects.count() == len(originals)


def test_a_translation_waits_for_its_original_review(demo):
    review = localized.originals(ExpertReviewPage.objects.live()).first()
    english = localized_translation(review)
    assert ReviewSubmission.objects.publication_refusal(english) is None
    review.unpublish()
    assert "original" in ReviewSubmission.objects.publication_refusal(english)


def localized_translation(page):
    return page.get_translation(Locale.objects.get(language_code="en")).specific


# The contact page (item 3): a form that reaches the association, with no account, rate-limited.


def _contact_data(**overrides):
    return {
        "name": "Dr Anne Exemple", "email": "anne@exemple.fr", "subject": "Une question sur une note",
        "message": "Comment est calculé l'intervalle ?", **overrides,
    }  # fmt: skip


def test_the_contact_form_reaches_the_association(demo, client, settings, django_capture_on_commit_callbacks):
    settings.CONTACT_EMAIL = "association@exemple.fr"
    page = client.get("/contact/")
    assert page.status_code == 200 and 'name="message"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves once the message is kept
        response = client.post("/contact/", _contact_data())
    assert response.status_code == 302 and response["Location"] == "/contact/"
    kept = ContactMessage.objects.get()
    assert kept.email == "anne@exemple.fr" and kept.language == "fr"
    (sent,) = mail.outbox
    assert sent.to == ["association@exemple.fr"] and sent.reply_to == ["anne@exemple.fr"]
    assert "Comment est calculé l'intervalle ?" in sent.body
    english = client.post("/en/contact/", _contact_data(subject="A question"))
    assert english.status_code == 302 and ContactMessage.objects.filter(language="en").exists()


def test_a_bad_contact_message_names_the_field_and_keeps_nothing(demo, client):
    response = client.post("/contact/", _contact_data(email="pas-une-adresse", message=""))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="field-email"' in html and "field-error" in html
    assert 'value="Une question sur une note"' in html  # what was typed stays
    assert ContactMessage.objects.count() == 0 and mail.outbox == []


def test_the_contact_form_is_rate_limited(demo, client):
    for _ in range(5):
        assert client.post("/contact/", _contact_data()).status_code == 302
    assert client.post("/contact/", _contact_data()).status_code == 429
    assert ContactMessage.objects.count() == 5


def test_other_legal_pages_refuse_a_post(demo, client):
    assert client.post("/mentions-legales/", {}).status_code == 405


def test_editors_read_the_contact_messages_and_readers_do_not(demo, client):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    ContactMessage.objects.create(
        name="A", email="a@exemple.fr", subject="Objet", message="Texte", language="fr"
    )
    url = "/admin/snippets/cms/contactmessage/"
    assert client.get(url).status_code == 302  # to the admin's sign-in
    editor = UserFactory(groups=["editor"])
    assert Group.objects.get(name="editor").permissions.filter(codename="view_contactmessage").exists()
    client.force_login(editor)
    assert "Objet" in client.get(url).content.decode()
    client.force_login(UserFactory(groups=["doctor"]))
    assert client.get(url).status_code in (302, 403)


def test_a_locale_added_in_the_admin_is_seen_at_once():
    default = localized.locale_id("fr")
    assert localized.locale_id("de") == default  # unknown: the default language's
    german = Locale.objects.create(language_code="de")
    assert localized.locale_id("de") == german.pk
    german.delete()
    assert localized.locale_id("de") == default
