"""The audit trail (issue 13, item 5): each staff action that changes what the public sees is logged with
who, when and what, and the admin's site history lists it."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from analytics.models import ScoreSnapshot
from cms.report_delivery import release_reports, withdraw_reports
from ratings.models import VendorMembership, VendorReply
from ratings.services import publish_vendor_reply, refuse_vendor_reply, submit_vendor_reply
from surveys.models import ResponseFlag
from surveys.services.moderation import (
    approve_comment,
    exclude_response,
    reject_comment,
    resolve_flag,
    restore_response,
)
from tests.analytics import builders
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _entries(action):
    return list(ModelLogEntry.objects.filter(action=action).order_by("timestamp"))


def _one(action, instance, user):
    (entry,) = _entries(action)
    assert entry.object_id == str(instance.pk) and entry.user_id == (user.pk if user else None)
    assert abs((timezone.now() - entry.timestamp).total_seconds()) < 60
    return entry


@pytest.fixture
def moderator():
    return UserFactory(groups=["moderator"], is_staff=True)


@pytest.fixture
def scored():
    products = builders.catalogue(2)
    camp = builders.campaign()
    responses = []
    for product in products:
        responses += builders.answer(
            builders.doctors(6), product, camp, {"ease_of_use": 4, "reliability": 3}, comment="Très bien."
        )
    return camp, responses


def test_moderation_decisions_are_logged_with_the_moderator_and_the_reason(scored, moderator):
    _camp, responses = scored
    approve_comment(response=responses[0], moderator=moderator)
    _one("surveys.response.approve_comment", responses[0], moderator)
    reject_comment(response=responses[1], moderator=moderator, reason_code="other", reason_text="Hors sujet")
    assert "Hors sujet" in _one("surveys.response.reject_comment", responses[1], moderator).data["reason"]
    exclude_response(response=responses[2], moderator=moderator, reason="Doublon")
    assert _one("surveys.response.exclude", responses[2], moderator).data == {"reason": "Doublon"}
    restore_response(response=responses[2], moderator=moderator, reason="Pas un doublon")
    assert _one("surveys.response.restore", responses[2], moderator).data == {"reason": "Pas un doublon"}
    flag = ResponseFlag.objects.create(response=responses[3], kind=ResponseFlag.Kind.values[0])
    resolve_flag(flag=flag, moderator=moderator)
    _one("surveys.flag.resolve", flag, moderator)


def test_reply_decisions_report_releases_and_recomputes_are_logged(scored, moderator):
    camp, responses = scored
    product = responses[0].product
    author = UserFactory()
    VendorMembership.objects.create(user=author, vendor=product.vendor)
    reply = submit_vendor_reply(product=product, author=author, text="Nous corrigeons ce point.")
    publish_vendor_reply(reply=reply, by=moderator)
    _one("ratings.reply.publish", reply, moderator)
    refuse_vendor_reply(reply=VendorReply.objects.get(pk=reply.pk), reason="Publicité", by=moderator)
    assert _one("ratings.reply.refuse", reply, moderator).data == {"reason": "Publicité"}

    analyst = UserFactory(groups=["analyst"], is_staff=True)
    release_reports(campaign=camp, released_by=analyst)
    release_reports(campaign=camp, released_by=analyst)  # already released: nothing new happened
    _one("cms.reports.release", camp, analyst)
    withdraw_reports(campaign=camp, withdrawn_by=analyst)
    _one("cms.reports.withdraw", camp, analyst)

    call_command("recompute_scores", stdout=io.StringIO())  # a command: the system, no user
    snapshot = ScoreSnapshot.objects.latest("pk")
    entry = _one("analytics.recompute", snapshot, None)
    assert entry.data["campaign"] == camp.slug and entry.data["responses"] == str(len(responses))


def test_the_admins_site_history_lists_the_entries(scored, moderator, admin_client):
    _camp, responses = scored
    exclude_response(response=responses[0], moderator=moderator, reason="Doublon")
    filtered = admin_client.get(
        "/admin/reports/site-history/", {"action": "surveys.response.exclude"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = filtered.content.decode()
    assert filtered.status_code == 200 and moderator.get_full_name() in html
    # The admin speaks the staff member's language (French by default).
    assert any(
        label in html for label in ("Exclure une réponse", "Réponse exclue des notes", "Exclude a response")
    )
