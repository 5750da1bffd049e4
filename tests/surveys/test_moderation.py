import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

import surveys.moderation_admin.hooks  # noqa: F401  (registers the admin URLs even before wagtail_hooks imports it)
from surveys.models import CommentReport, ModerationEvent, Response, ResponseFlag
from surveys.services.flags import raise_flags
from surveys.services.moderation import (
    ModerationError,
    RejectionReason,
    approve_comment,
    exclude_response,
    reject_comment,
    rejection_text,
    report_comment,
    restore_response,
)
from surveys.signals import scores_invalidated
from tests.factories import DoctorFactory, ResponseFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

COMMENT = "La téléconsultation coupe souvent, le support répond en trois jours."


@pytest.fixture
def moderator():
    return UserFactory(email="moderatrice@example.org", groups=["moderator"])


@pytest.fixture
def pending():
    doctor = DoctorFactory(last_name="Quérel", user__email="querel@example.org", specialty="cardiology")
    return ResponseFactory(doctor=doctor, comment=COMMENT, comment_status=Response.CommentStatus.PENDING)


@pytest.fixture
def invalidations():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    scores_invalidated.connect(receiver)
    yield received
    scores_invalidated.disconnect(receiver)


def queue_url():
    return reverse("surveys_moderation:queue")


# Permissions, in steps.


def test_anonymous_is_sent_to_the_admin_login(client, pending):
    response = client.get(queue_url())
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_doctor_without_admin_access_is_refused(client, pending):
    client.force_login(pending.doctor.user)
    response = client.get(queue_url())
    # Wagtail answers users without admin access before any view runs: back to its login page.
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_editor_gets_403(client, pending):
    client.force_login(UserFactory(groups=["editor"]))
    assert client.get(queue_url()).status_code == 403
    assert client.get(reverse("surveys_moderation:flags")).status_code == 403
    assert client.get(reverse("surveys_moderation:response", args=[pending.pk])).status_code == 403
    assert client.post(reverse("surveys_moderation:approve", args=[pending.pk])).status_code == 403
    pending.refresh_from_db()
    assert pending.comment_status == Response.CommentStatus.PENDING


def test_moderator_sees_the_queue_without_identities(client, moderator, pending):
    client.force_login(moderator)
    response = client.get(queue_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "La téléconsultation coupe souvent" in html
    assert str(pending.product) in html
    for identity in (pending.doctor.rpps, "Quérel", "querel@example.org"):
        assert identity not in html


def test_queue_lists_pending_comments_oldest_first(client, moderator, pending):
    ResponseFactory(
        comment="Plus ancien.",
        comment_status=Response.CommentStatus.PENDING,
        submitted_at=timezone.now() - datetime.timedelta(days=3),
    )
    ResponseFactory(comment="Déjà publié.", comment_status=Response.CommentStatus.APPROVED)
    client.force_login(moderator)
    html = client.get(queue_url()).content.decode()
    assert html.index("Plus ancien.") < html.index("La téléconsultation")
    assert "Déjà publié." not in html


def test_response_page_shows_identity_to_superusers_only(client, moderator, pending):
    url = reverse("surveys_moderation:response", args=[pending.pk])
    client.force_login(moderator)
    html = client.get(url).content.decode()
    assert "Cardiolog" in html or "cardiolog" in html
    assert pending.doctor.rpps not in html
    client.force_login(StaffFactory())
    assert pending.doctor.rpps in client.get(url).content.decode()


# Comment decisions.


def test_moderator_approves_a_comment(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(reverse("surveys_moderation:approve", args=[pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.comment_status == Response.CommentStatus.APPROVED
    event = ModerationEvent.objects.get(response=pending)
    assert (event.action, event.actor) == (ModerationEvent.Action.APPROVE_COMMENT, moderator)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["querel@example.org"]
    assert str(pending.product) in mail.outbox[0].body


def test_moderator_rejects_a_comment_with_a_reason_and_the_doctor_is_told(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(
        reverse("surveys_moderation:reject", args=[pending.pk]),
        {"reason_code": RejectionReason.IDENTIFIES_PATIENT, "reason_text": "Le nom d'une patiente apparaît."},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.comment_status == Response.CommentStatus.REJECTED
    expected = rejection_text(RejectionReason.IDENTIFIES_PATIENT, "Le nom d'une patiente apparaît.")
    assert pending.comment_rejection_reason == expected
    event = ModerationEvent.objects.get(response=pending)
    assert event.action == ModerationEvent.Action.REJECT_COMMENT
    assert event.actor == moderator and event.at is not None
    assert event.reason_code == "identifies_patient"
    assert event.reason_text == "Le nom d'une patiente apparaît."
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert expected in body


def test_other_reason_needs_an_explanation(moderator, pending):
    with pytest.raises(ModerationError):
        reject_comment(
            response=pending, moderator=moderator, reason_code=RejectionReason.OTHER, reason_text=""
        )
    with pytest.raises(ModerationError):
        reject_comment(response=pending, moderator=moderator, reason_code="not-a-reason")
    pending.refresh_from_db()
    assert pending.comment_status == Response.CommentStatus.PENDING
    assert not ModerationEvent.objects.exists() and not mail.outbox


def test_bad_reject_form_changes_nothing(client, moderator, pending):
    client.force_login(moderator)
    client.post(reverse("surveys_moderation:reject", args=[pending.pk]), {"reason_code": "nonsense"})
    pending.refresh_from_db()
    assert pending.comment_status == Response.CommentStatus.PENDING


def test_services_refuse_users_who_are_not_moderators(pending):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        approve_comment(response=pending, moderator=UserFactory(groups=["editor"]))


# Exclusions.


def test_exclude_and_restore_record_who_when_why_and_invalidate_scores(moderator, pending, invalidations):
    exclude_response(response=pending, moderator=moderator, reason="Salarié de l'éditeur (lien déclaré).")
    pending.refresh_from_db()
    assert pending.excluded
    restore_response(response=pending, moderator=moderator, reason="Lien ancien, terminé en 2019.")
    pending.refresh_from_db()
    assert not pending.excluded
    events = list(ModerationEvent.objects.filter(response=pending).order_by("at", "pk"))
    assert [(e.action, e.actor, e.reason_text) for e in events] == [
        (ModerationEvent.Action.EXCLUDE, moderator, "Salarié de l'éditeur (lien déclaré)."),
        (ModerationEvent.Action.RESTORE, moderator, "Lien ancien, terminé en 2019."),
    ]
    assert all(e.at is not None for e in events)
    assert [kwargs["reason"] for kwargs in invalidations] == ["moderation", "moderation"]


def test_exclusion_needs_a_reason_and_cannot_be_repeated(moderator, pending):
    with pytest.raises(ModerationError):
        exclude_response(response=pending, moderator=moderator, reason="  ")
    exclude_response(response=pending, moderator=moderator, reason="Doublon.")
    with pytest.raises(ModerationError):
        exclude_response(response=pending, moderator=moderator, reason="Doublon.")


def test_exclude_through_the_admin(client, moderator, pending, invalidations):
    client.force_login(moderator)
    client.post(reverse("surveys_moderation:exclude", args=[pending.pk]), {"reason": "Réponses en rafale."})
    pending.refresh_from_db()
    assert pending.excluded
    assert invalidations and invalidations[0]["reason"] == "moderation"
    html = client.get(reverse("surveys_moderation:response", args=[pending.pk])).content.decode()
    assert "Réponses en rafale." in html


# Readers' reports.


def published(**kwargs):
    return ResponseFactory(comment=COMMENT, comment_status=Response.CommentStatus.APPROVED, **kwargs)


def test_report_only_applies_to_published_comments(client):
    response = ResponseFactory(comment=COMMENT, comment_status=Response.CommentStatus.PENDING)
    assert client.post(reverse("surveys:report_comment", args=[response.pk])).status_code == 404
    assert client.get(reverse("surveys:report_comment", args=[response.pk])).status_code == 404
    url = reverse("surveys:report_comment", args=[published().pk])
    assert client.get(url).status_code == 200  # the report form
    assert client.put(url).status_code == 405


def test_the_same_address_reports_a_comment_once():
    response = published()
    assert report_comment(response=response, reason="", reporter_ip="203.0.113.7")
    assert not report_comment(response=response, reason="", reporter_ip="203.0.113.7")
    assert report_comment(response=response, reason="", reporter_ip="198.51.100.2")
    assert CommentReport.objects.filter(response=response, reporter=None).count() == 2


def test_reports_are_rate_limited(client):
    responses = [published() for _ in range(11)]
    codes = [client.post(reverse("surveys:report_comment", args=[r.pk])).status_code for r in responses]
    assert codes[:10] == [302] * 10
    assert codes[10] == 429


# Fraud flags.


def test_flag_list_filters_and_resolves(client, moderator, pending):
    other = ResponseFactory()
    raise_flags(
        flags=[
            ResponseFlag(response=pending, kind=ResponseFlag.Kind.BURST, detail="14 en 7 jours"),
            ResponseFlag(response=other, kind=ResponseFlag.Kind.OUTLIER, detail="écart 3.4 MAD"),
        ]
    )
    burst = ResponseFlag.objects.get(kind=ResponseFlag.Kind.BURST)
    client.force_login(moderator)
    url = reverse("surveys_moderation:flags")
    html = client.get(url).content.decode()
    assert "14 en 7 jours" in html and "écart 3.4 MAD" in html
    html = client.get(url, {"kind": "burst"}).content.decode()
    assert "14 en 7 jours" in html and "écart 3.4 MAD" not in html
    answer = client.post(reverse("surveys_moderation:resolve_flag", args=[burst.pk]), {"next": url})
    assert answer.status_code == 302
    burst.refresh_from_db()
    assert burst.resolved_by == moderator and burst.resolved_at is not None
    assert "14 en 7 jours" not in client.get(url).content.decode()  # open ones by default
    assert "14 en 7 jours" in client.get(url, {"state": "resolved"}).content.decode()
    assert "écart 3.4 MAD" not in client.get(url, {"state": "resolved"}).content.decode()


def test_admin_menu_shows_moderation_to_moderators_only(client, moderator):
    client.force_login(moderator)
    assert queue_url() in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(UserFactory(groups=["editor"]))
    assert queue_url() not in client.get(reverse("wagtailadmin_home")).content.decode()
