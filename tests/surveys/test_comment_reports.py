"""Readers' reports of a published comment: they queue it for a moderator, they do not hide it.

Only a moderator's decision, or reports from enough distinct verified doctors, unpublish it.
"""

import importlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from surveys.models import CommentReport, Doctor, ModerationEvent, Response
from surveys.services.moderation import (
    DOCTOR_REPORTS_TO_UNPUBLISH,
    RejectionReason,
    dismiss_reports,
    reject_comment,
    report_comment,
)
from tests.factories import DoctorFactory, ResponseFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
COMMENT = "Le module des ordonnances plante à chaque mise à jour."


@pytest.fixture
def moderator():
    return UserFactory(email="moderatrice@example.org", groups=["moderator"])


@pytest.fixture
def comment():
    return ResponseFactory(comment=COMMENT, comment_status=Response.CommentStatus.APPROVED)


def report_as(client, response, user=None, reason="", address="203.0.113.7"):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    url = reverse("surveys:report_comment", args=[response.pk])
    return client.post(url, {"reason": reason, "next": "/"}, REMOTE_ADDR=address)


def is_published(response):
    return Response.objects.with_published_comment().filter(pk=response.pk).exists()


def queue_html(client, moderator):
    client.force_login(moderator)
    return client.get(reverse("surveys_moderation:queue")).content.decode()


def test_the_threshold_is_three_doctors():
    assert DOCTOR_REPORTS_TO_UNPUBLISH == 3


def test_an_anonymous_report_queues_the_comment_and_leaves_it_published(client, comment, moderator):
    answer = report_as(client, comment, reason="Propos diffamatoires.")
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert is_published(comment)
    report = CommentReport.objects.get(response=comment)
    assert (report.reporter, report.reason) == (None, "Propos diffamatoires.")
    assert not ModerationEvent.objects.filter(response=comment).exists()
    html = queue_html(client, moderator)
    assert COMMENT in html and "Propos diffamatoires." in html
    assert "signalé 1 fois" in html


def test_reports_from_two_doctors_leave_the_comment_published(client, comment, moderator):
    for n in range(2):
        report_as(client, comment, user=DoctorFactory().user, address=f"198.51.100.{n}")
    assert is_published(comment)
    assert "signalé 2 fois" in queue_html(client, moderator)


def test_reports_from_three_verified_doctors_unpublish_the_comment(client, comment, moderator):
    for n in range(3):
        report_as(client, comment, user=DoctorFactory().user, reason=f"motif {n}", address=f"198.51.100.{n}")
    comment.refresh_from_db()
    assert comment.comment_status == Response.CommentStatus.PENDING
    event = ModerationEvent.objects.get(response=comment)
    assert (event.action, event.actor) == (ModerationEvent.Action.UNPUBLISH_COMMENT, None)
    html = queue_html(client, moderator)
    assert COMMENT in html and "signalé 3 fois" in html and "motif 2" in html


def test_the_same_doctor_counts_once(client, comment):
    first, second = DoctorFactory().user, DoctorFactory().user
    report_as(client, comment, user=first, address="198.51.100.1")
    report_as(client, comment, user=first, address="198.51.100.2")
    report_as(client, comment, user=second, address="198.51.100.3")
    assert is_published(comment)
    assert CommentReport.objects.filter(response=comment).count() == 2
    assert not report_comment(response=comment, reason="", reporter_ip="198.51.100.4", reporter=first)
    assert is_published(comment)


def test_unverified_doctors_and_anonymous_readers_do_not_unpublish(client, comment):
    report_as(client, comment, user=DoctorFactory().user, address="198.51.100.1")
    report_as(client, comment, user=DoctorFactory().user, address="198.51.100.2")
    pending = DoctorFactory(pending=True)
    assert pending.verification_status == Doctor.Status.PENDING
    report_as(client, comment, user=pending.user, address="198.51.100.3")
    report_as(client, comment, user=UserFactory(), address="198.51.100.4")
    for n in range(5):
        report_as(client, comment, address=f"192.0.2.{n}")
    assert is_published(comment)
    assert CommentReport.objects.filter(response=comment).count() == 9


def test_a_moderator_still_unpublishes_a_reported_comment(client, comment, moderator):
    report_as(client, comment, reason="Nomme un patient.")
    reject_comment(response=comment, moderator=moderator, reason_code=RejectionReason.IDENTIFIES_PATIENT)
    comment.refresh_from_db()
    assert comment.comment_status == Response.CommentStatus.REJECTED and not is_published(comment)
    assert not CommentReport.objects.open().exists()
    assert COMMENT not in queue_html(client, moderator)


def test_a_moderator_keeps_a_reported_comment_and_it_leaves_the_queue(client, comment, moderator):
    report_as(client, comment, reason="Pas du tout exact.")
    client.force_login(moderator)
    answer = client.post(reverse("surveys_moderation:dismiss_reports", args=[comment.pk]))
    assert answer.status_code == 302
    assert is_published(comment) and not CommentReport.objects.open().exists()
    assert ModerationEvent.objects.get(response=comment).action == ModerationEvent.Action.DISMISS_REPORTS
    assert COMMENT not in queue_html(client, moderator)
    # Reports a moderator has looked at no longer count towards unpublishing.
    for n in range(2):
        report_as(client, comment, user=DoctorFactory().user, address=f"198.51.100.{n}")
    assert is_published(comment)


def test_only_moderators_dismiss_reports(client, comment):
    report_as(client, comment)
    client.force_login(UserFactory(groups=["editor"]))
    assert client.post(reverse("surveys_moderation:dismiss_reports", args=[comment.pk])).status_code in (
        302,
        403,
    )
    assert CommentReport.objects.open().count() == 1
    with pytest.raises(PermissionDenied):
        dismiss_reports(response=comment, moderator=UserFactory())


# Rate limits hold across processes: outside the tests they count in a shared cache.


def settings_caches(module, **env):
    """Return the default cache backend of the settings `module` run in a fresh process."""
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    clean.update(env, DJANGO_SETTINGS_MODULE=module, SECRET_KEY="k" * 64, ALLOWED_HOSTS="example.org")
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("module", ["config.settings.dev", "config.settings.production"])
def test_settings_outside_the_tests_count_in_a_shared_cache(module):
    assert settings_caches(module) == "django.core.cache.backends.db.DatabaseCache"
    assert (
        settings_caches(module, REDIS_URL="redis://127.0.0.1:6379/0")
        == "django.core.cache.backends.redis.RedisCache"
    )


def test_report_limits_count_in_the_database_cache_every_worker_shares(client):
    shared = importlib.import_module("config.settings.dev").CACHES
    with override_settings(CACHES=shared):
        call_command("createcachetable")
        responses = [
            ResponseFactory(comment=COMMENT, comment_status=Response.CommentStatus.APPROVED)
            for _ in range(11)
        ]
        codes = [report_as(client, r, address="192.0.2.50").status_code for r in responses]
        assert codes == [302] * 10 + [429]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {shared['default']['LOCATION']}")  # noqa: S608
            assert cursor.fetchone()[0] > 0


@pytest.mark.parametrize(
    "next_url", ["unknown-slug", "https://elsewhere.example/", "//elsewhere.example/", ""]
)
def test_after_a_report_the_reader_returns_to_a_page_of_this_site_only(client, comment, next_url):
    url = reverse("surveys:report_comment", args=[comment.pk])
    answer = client.post(url, {"reason": "", "next": next_url})
    assert answer.status_code == 302 and answer["Location"] == comment.product.get_absolute_url()


def test_after_a_report_the_reader_returns_to_the_page_they_came_from(client, comment):
    back = comment.product.get_absolute_url() + "?avis=2"
    answer = client.post(reverse("surveys:report_comment", args=[comment.pk]), {"next": back})
    assert answer["Location"] == back


def test_the_product_page_links_to_a_report_page_that_shows_the_comment_and_its_form(client, comment):
    product_page = comment.product.get_absolute_url() + "?avis=1"
    page = client.get(product_page).content.decode()
    link = reverse("surveys:report_comment", args=[comment.pk]) + "?next=" + quote(product_page)
    assert f'href="{escape(link)}"' in page
    assert "csrfmiddlewaretoken" not in page  # so readers get it from the page cache
    form = client.get(link)
    html = form.content.decode()
    assert form.status_code == 200 and COMMENT in html and 'name="csrfmiddlewaretoken"' in html
    assert f'name="next" value="{escape(product_page)}"' in html
    assert f'href="{escape(product_page)}"' in html  # back without reporting


def test_the_report_page_of_an_unpublished_comment_is_not_found(client, comment):
    Response.objects.filter(pk=comment.pk).update(comment_status=Response.CommentStatus.PENDING)
    assert client.get(reverse("surveys:report_comment", args=[comment.pk])).status_code == 404


def test_the_report_page_never_sends_readers_elsewhere(client, comment):
    url = reverse("surveys:report_comment", args=[comment.pk]) + "?next=https://elsewhere.example/"
    html = client.get(url).content.decode()
    product_page = comment.product.get_absolute_url()
    assert f'name="next" value="{product_page}"' in html and f'<a href="{product_page}">' in html
