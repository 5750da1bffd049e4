"""The anonymous readers' page cache (cms/page_cache.py, issue 13 item 2).

The test settings turn the cache off (its drops happen after commit, which a test inside a transaction
never reaches); these tests turn it on and run the commit callbacks where a change is made.
"""

import gzip
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms import page_cache
from ratings.models import FACET_SLUGS, Product
from surveys.models import Response
from surveys.services.moderation import approve_comment
from tests.analytics import builders
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()


@pytest.fixture
def product():
    product = builders.catalogue(1, vendor="agendoc", category="agenda")[0]
    builders.answer(builders.doctors(30), product, builders.campaign(), dict.fromkeys(FACET_SLUGS, 4))
    call_command("recompute_scores", stdout=io.StringIO())
    return product


def _served(client, url, **headers):
    """Return (response, number of SQL queries it ran)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries.captured_queries)


def test_a_reader_gets_the_second_visit_from_the_cache_with_the_same_page_and_headers(client, product):
    url = product.get_absolute_url()
    first, first_queries = _served(client, url)
    second, second_queries = _served(client, url)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0
    assert second.content == first.content and product.name.encode() in second.content
    # The security headers are added on the way out, hit or miss.
    for name in ("Content-Security-Policy", "Permissions-Policy", "Content-Type", "Content-Language"):
        assert second[name] == first[name], name


def test_compressed_and_plain_copies_are_kept_apart(client, product):
    url = product.get_absolute_url()
    plain, _ = _served(client, url)
    packed, _ = _served(client, url, accept_encoding="gzip, br")
    packed_again, queries = _served(client, url, accept_encoding="gzip")
    plain_again, _ = _served(client, url)
    assert queries == 0
    assert packed["Content-Encoding"] == packed_again["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain_again
    assert gzip.decompress(packed_again.content) == plain.content == plain_again.content
    assert "Accept-Encoding" in packed_again["Vary"]


def test_each_address_and_query_has_its_own_copy_and_a_long_query_none(client, product):
    catalogue = reverse("cms:product_list")
    by_name = client.get(catalogue, {"sort": "name"}).content
    assert _served(client, catalogue + "?sort=-score")[1] > 0
    assert _served(client, catalogue + "?sort=name")[1] == 0
    assert client.get(catalogue, {"sort": "name"}).content == by_name
    long_query = catalogue + "?q=" + "x" * (page_cache.MAX_QUERY_LENGTH + 1)
    client.get(long_query)
    assert _served(client, long_query)[1] > 0


def test_signed_in_users_always_get_a_fresh_page(client, product):
    url = product.get_absolute_url()
    client.get(url)  # stored for readers
    client.force_login(StaffFactory())
    page, queries = _served(client, url)
    assert queries > 0 and page.status_code == 200


@pytest.fixture
def site():
    """A home page, as the site's root, and the legal pages under it."""
    from wagtail.models import Page, Site

    from cms.legal import ensure_legal_pages
    from cms.models import HomePage

    home = Page.get_first_root_node().add_child(instance=HomePage(title="Observatoire", slug="accueil"))
    home.save_revision().publish()
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    ensure_legal_pages()


def test_pages_with_a_form_token_errors_and_private_pages_are_not_stored(client, product, site):
    from cms.models import LegalPage

    contact = LegalPage.objects.get(kind="contact", locale__language_code="fr")
    assert b"csrfmiddlewaretoken" in client.get(contact.url).content
    assert _served(client, contact.url)[1] > 0
    missing = reverse("cms:product_detail", args=["nulle-part"])
    assert client.get(missing).status_code == 404
    assert _served(client, missing)[1] > 0
    client.get(reverse("surveys:signup"))
    assert _served(client, reverse("surveys:signup"))[1] > 0  # not a readers' page


def test_a_recompute_shows_at_once(client, product, django_capture_on_commit_callbacks):
    url = product.get_absolute_url()
    assert b"30 m\xc3\xa9decins" in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        builders.answer(
            builders.doctors(7), product, Response.objects.first().campaign, dict.fromkeys(FACET_SLUGS, 5)
        )
        call_command("recompute_scores", stdout=io.StringIO())
    assert b"37 m\xc3\xa9decins" in client.get(url).content


def test_a_catalogue_change_shows_at_once(client, product, django_capture_on_commit_callbacks):
    url = reverse("cms:product_list")
    assert product.name.encode() in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        product.name = "Nom tout neuf"
        product.save()
    assert b"Nom tout neuf" in client.get(url).content


def test_an_approved_comment_shows_at_once(client, product, django_capture_on_commit_callbacks):
    url = product.get_absolute_url()
    response = Response.objects.filter(product=product).first()
    Response.objects.filter(pk=response.pk).update(
        comment="Agenda clair et rapide.", comment_status=Response.CommentStatus.PENDING
    )
    assert b"Agenda clair et rapide." not in client.get(url).content
    response.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        approve_comment(response=response, moderator=StaffFactory(is_superuser=True))
    assert b"Agenda clair et rapide." in client.get(url).content


def test_a_change_readers_never_see_keeps_the_cache(client, product, django_capture_on_commit_callbacks):
    url = product.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        builders.answer(
            builders.doctors(2), product, Response.objects.first().campaign, dict.fromkeys(FACET_SLUGS, 1)
        )
    assert callbacks == []
    assert _served(client, url)[1] == 0


@pytest.mark.django_db(transaction=True)
def test_the_drop_waits_for_the_commit_and_a_rollback_drops_nothing():
    product = builders.catalogue(1)[0]
    start = page_cache.generation()
    with transaction.atomic():
        product.name = "Renommé"
        product.save()
        product.save()
        assert page_cache.generation() == start  # a reader meanwhile would store the old page again
    assert page_cache.generation() > start
    start = page_cache.generation()
    try:
        with transaction.atomic():
            Product.objects.get(pk=product.pk).save()
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert page_cache.generation() == start
    product.save()  # outside a transaction: at once
    assert page_cache.generation() == start + 1


def test_a_published_page_shows_at_once(client, product, site, django_capture_on_commit_callbacks):
    from cms.models import HomePage

    assert _served(client, "/")[0].status_code == 200
    assert _served(client, "/")[1] == 0
    home = HomePage.objects.get(locale__language_code="fr")
    home.introduction = "Une introduction toute neuve."
    with django_capture_on_commit_callbacks(execute=True):
        home.save_revision().publish()
    assert "Une introduction toute neuve." in client.get("/").content.decode()


def test_a_page_with_comments_is_stored_and_a_reader_with_a_message_gets_it(client, product):
    comment = Response.objects.filter(product=product).first()
    Response.objects.filter(pk=comment.pk).update(
        comment="Agenda clair et rapide.", comment_status=Response.CommentStatus.APPROVED
    )
    url = product.get_absolute_url()
    assert b"Agenda clair et rapide." in client.get(url).content
    assert _served(client, url)[1] == 0  # the report link carries no token: the page is stored
    reported = client.post(reverse("surveys:report_comment", args=[comment.pk]), {"next": url})
    assert reported.status_code == 302 and page_cache.MESSAGES_COOKIE in client.cookies
    thanked, queries = _served(client, url)
    assert queries > 0 and "Merci" in thanked.content.decode()
    assert _served(client, url)[1] == 0  # the message was shown once; the stored page again
