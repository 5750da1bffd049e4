"""Moderation: comment decisions, exclusions, readers' reports and fraud flags. Every decision leaves a
ModerationEvent (who, when, why); the doctor is told why a comment was refused (decree 2017-1436).

A reader's report queues a published comment for a moderator without hiding it: one anonymous POST
must not silence a doctor. Only a moderator, or reports from several distinct verified doctors, take
it down."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from operations.audit import record
from surveys.emails import send_doctor_email
from surveys.models import CommentReport, Doctor, ModerationEvent, Response, ResponseFlag
from surveys.signals import scores_invalidated

MODERATOR_GROUP = "moderator"
MODERATE_PERMISSION = "surveys.change_response"
# A reader's address may report one comment once in this many seconds; repeated reports are ignored.
REPORT_DEDUPE_SECONDS = 24 * 3600
REASON_TEXT_MAX_LENGTH = 2000
REPORT_REASON_MAX_LENGTH = 1000
# Distinct signed-in verified doctors whose open reports take a comment down until a moderator decides:
# more than one, so that no single account can silence a colleague; few, since doctors are
# identified by their RPPS number and answer for what they report.
DOCTOR_REPORTS_TO_UNPUBLISH = 3


class RejectionReason(models.TextChoices):
    """Why a comment is refused; the label is what the doctor reads."""

    INSULTING = "insulting", _("insulting or defamatory")
    IDENTIFIES_PATIENT = "identifies_patient", _("identifies a patient")
    PERSONAL_DATA = "personal_data", _("contains personal data")
    OFF_TOPIC = "off_topic", _("off-topic")
    COMMERCIAL = "commercial", _("commercial content or conflict of interest")
    NOT_ABOUT_PRODUCT = "not_about_product", _("not about the product")
    OTHER = "other", _("other reason (explained below)")


class ModerationError(Exception):
    """A decision that does not apply to this response; `message` is shown to the moderator."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def rejection_text(reason_code, reason_text=""):
    """Return the reason the doctor reads, stored with the response, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        label = str(RejectionReason(reason_code).label)
    label = label[:1].upper() + label[1:]
    return f"{label}. {reason_text}" if reason_text else f"{label}."


def can_moderate(user):
    """Return True for superusers and users holding the moderation permission (the moderator group)."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_perm(MODERATE_PERMISSION)))


def _require_moderator(user):
    if not can_moderate(user):
        raise PermissionDenied(_("Only moderators may take this decision."))


def _locked(response):
    return Response.objects.select_for_update().get(pk=response.pk)


def _record(response, action, *, actor=None, reason_code="", reason_text=""):
    return ModerationEvent.objects.create(
        response=response,
        action=action,
        actor=actor,
        reason_code=reason_code,
        reason_text=(reason_text or "")[:REASON_TEXT_MAX_LENGTH],
    )


def _resolve_reports(response, moderator):
    CommentReport.objects.open().filter(response=response).update(
        resolved_at=timezone.now(), resolved_by=moderator, updated_at=timezone.now()
    )


@transaction.atomic
def approve_comment(*, response, moderator):
    """Publish the comment of `response`; tell the doctor briefly. Return the updated response."""
    _require_moderator(moderator)
    response = _locked(response)
    if not response.comment.strip():
        raise ModerationError(_("This response has no comment to publish."))
    if response.comment_status == Response.CommentStatus.APPROVED:
        raise ModerationError(_("This comment is already published."))
    response.comment_status = Response.CommentStatus.APPROVED
    response.comment_rejection_reason = ""
    response.save(update_fields=["comment_status", "comment_rejection_reason", "updated_at"])
    _resolve_reports(response, moderator)
    _record(response, ModerationEvent.Action.APPROVE_COMMENT, actor=moderator)
    record(instance=response, action="surveys.response.approve_comment", user=moderator)
    send_doctor_email(
        doctor=response.doctor,
        subject=_("Your comment is published"),
        template="surveys/emails/moderation_approved.txt",
        context={"response": response, "product": response.product},
    )
    return response


@transaction.atomic
def reject_comment(*, response, moderator, reason_code, reason_text=""):
    """Refuse the comment of `response` for `reason_code` (RejectionReason) and tell the doctor why."""
    _require_moderator(moderator)
    if reason_code not in RejectionReason.values:
        raise ModerationError(_("Choose a reason from the list."))
    reason_text = (reason_text or "").strip()
    if reason_code == RejectionReason.OTHER and not reason_text:
        raise ModerationError(_("Explain the reason when it is not in the list."))
    response = _locked(response)
    if not response.comment.strip():
        raise ModerationError(_("This response has no comment to refuse."))
    if response.comment_status == Response.CommentStatus.REJECTED:
        raise ModerationError(_("This comment is already refused."))
    shown = rejection_text(reason_code, reason_text)
    response.comment_status = Response.CommentStatus.REJECTED
    response.comment_rejection_reason = shown
    response.save(update_fields=["comment_status", "comment_rejection_reason", "updated_at"])
    _resolve_reports(response, moderator)
    _record(
        response,
        ModerationEvent.Action.REJECT_COMMENT,
        actor=moderator,
        reason_code=reason_code,
        reason_text=reason_text,
    )
    record(instance=response, action="surveys.response.reject_comment", user=moderator, reason=shown)
    send_doctor_email(
        doctor=response.doctor,
        subject=_("Your comment was not published"),
        template="surveys/emails/moderation_rejected.txt",
        context={"response": response, "product": response.product, "reason": shown},
    )
    return response


@transaction.atomic
def exclude_response(*, response, moderator, reason):
    """Leave `response` out of the scores, for `reason`; scores are then recomputed."""
    _require_moderator(moderator)
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Say why the response is excluded."))
    response = _locked(response)
    if response.excluded:
        raise ModerationError(_("This response is already excluded."))
    response.excluded = True
    response.save(update_fields=["excluded", "updated_at"])
    _record(response, ModerationEvent.Action.EXCLUDE, actor=moderator, reason_text=reason)
    record(instance=response, action="surveys.response.exclude", user=moderator, reason=reason)
    scores_invalidated.send(sender=Response, reason="moderation", campaign=response.campaign)
    return response


@transaction.atomic
def restore_response(*, response, moderator, reason):
    """Count `response` in the scores again, for `reason`; scores are then recomputed."""
    _require_moderator(moderator)
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Say why the response is restored."))
    response = _locked(response)
    if not response.excluded:
        raise ModerationError(_("This response is not excluded."))
    response.excluded = False
    response.save(update_fields=["excluded", "updated_at"])
    _record(response, ModerationEvent.Action.RESTORE, actor=moderator, reason_text=reason)
    record(instance=response, action="surveys.response.restore", user=moderator, reason=reason)
    scores_invalidated.send(sender=Response, reason="moderation", campaign=response.campaign)
    return response


def _report_key(response, reporter_ip):
    # The address is only hashed into a cache key, never stored with the report.
    digest = hashlib.sha256(f"{reporter_ip}|{response.pk}".encode()).hexdigest()[:32]
    return f"surveys:report:{digest}"


@transaction.atomic
def report_comment(*, response, reason, reporter_ip, reporter=None):
    """A reader reports a published comment: a moderator will look at it; it stays published.

    `reporter` is the signed-in user, if any: one report per user and comment. Anonymous readers are
    told apart only by a hash of their address, for a day. When distinct verified doctors have sent
    DOCTOR_REPORTS_TO_UNPUBLISH open reports, the comment goes back to moderation. Return True when
    the report was recorded, False when the comment is not published (any more) or this reader
    already reported it.
    """
    response = _locked(response)
    if response.comment_status != Response.CommentStatus.APPROVED or response.excluded:
        return False
    if reporter is not None and not reporter.is_authenticated:
        reporter = None
    if reporter is not None:
        if CommentReport.objects.filter(response=response, reporter=reporter).exists():
            return False
    elif not cache.add(_report_key(response, reporter_ip), 1, timeout=REPORT_DEDUPE_SECONDS):
        return False
    CommentReport.objects.create(
        response=response, reporter=reporter, reason=(reason or "").strip()[:REPORT_REASON_MAX_LENGTH]
    )
    doctors = (
        CommentReport.objects.open()
        .filter(response=response, reporter__doctor__verification_status=Doctor.Status.VERIFIED)
        .values("reporter")
        .distinct()
        .count()
    )
    if doctors >= DOCTOR_REPORTS_TO_UNPUBLISH:
        response.comment_status = Response.CommentStatus.PENDING
        response.save(update_fields=["comment_status", "updated_at"])
        # The history is read by moderators in the site's language, whoever's request set this off.
        with translation.override(settings.LANGUAGE_CODE):
            why = _("Reported by %(count)s verified doctors.") % {"count": doctors}
        _record(
            response, ModerationEvent.Action.UNPUBLISH_COMMENT, reason_code="doctor_reports", reason_text=why
        )
    return True


@transaction.atomic
def dismiss_reports(*, response, moderator):
    """Keep a reported comment published: its open reports are marked as looked at by `moderator`."""
    _require_moderator(moderator)
    response = _locked(response)
    if not CommentReport.objects.open().filter(response=response).exists():
        raise ModerationError(_("This comment has no report to dismiss."))
    if response.comment_status != Response.CommentStatus.APPROVED:
        raise ModerationError(_("Publish or refuse this comment: it is not published."))
    _resolve_reports(response, moderator)
    _record(response, ModerationEvent.Action.DISMISS_REPORTS, actor=moderator)
    record(instance=response, action="surveys.response.dismiss_reports", user=moderator)
    return response


@transaction.atomic
def resolve_flag(*, flag, moderator):
    """Mark a fraud flag as looked at by `moderator` (the response itself is excluded separately)."""
    _require_moderator(moderator)
    flag = ResponseFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolved_at is not None:
        raise ModerationError(_("This signal is already resolved."))
    flag.resolved_at = timezone.now()
    flag.resolved_by = moderator
    flag.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
    record(instance=flag, action="surveys.flag.resolve", user=moderator, signal=flag.kind)
    return flag
