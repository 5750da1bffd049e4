"""Moderation: comment decisions, exclusions, readers' reports and fraud flags. Every decision leaves a
ModerationEvent (who, when, why); the doctor is told why a comment was refused (decree 2017-1436)."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from surveys.emails import send_doctor_email
from surveys.models import ModerationEvent, Response, ResponseFlag
from surveys.signals import scores_invalidated

MODERATOR_GROUP = "moderator"
MODERATE_PERMISSION = "surveys.change_response"
# A reader's address may report one comment once in this many seconds; repeated reports are ignored.
REPORT_DEDUPE_SECONDS = 24 * 3600
REASON_TEXT_MAX_LENGTH = 2000


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
    _record(response, ModerationEvent.Action.APPROVE_COMMENT, actor=moderator)
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
    _record(
        response,
        ModerationEvent.Action.REJECT_COMMENT,
        actor=moderator,
        reason_code=reason_code,
        reason_text=reason_text,
    )
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
    scores_invalidated.send(sender=Response, reason="moderation", campaign=response.campaign)
    return response


def _report_key(response, reporter_ip):
    # The address is only hashed into a cache key, never stored with the report.
    digest = hashlib.sha256(f"{reporter_ip}|{response.pk}".encode()).hexdigest()[:32]
    return f"surveys:report:{digest}"


@transaction.atomic
def report_comment(*, response, reason, reporter_ip):
    """A reader reports a published comment: it goes back to the moderation queue.

    Return True when the report was recorded, False when the comment is not published (any more) or
    the same address already reported it recently.
    """
    response = _locked(response)
    if response.comment_status != Response.CommentStatus.APPROVED or response.excluded:
        return False
    key = _report_key(response, reporter_ip)
    if not cache.add(key, 1, timeout=REPORT_DEDUPE_SECONDS):
        return False
    response.comment_status = Response.CommentStatus.PENDING
    response.save(update_fields=["comment_status", "updated_at"])
    _record(
        response,
        ModerationEvent.Action.REPORTED,
        reason_code="reader_report",
        reason_text=(reason or "").strip(),
    )
    return True


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
    return flag
