"""Writes of the pre-publication flow (NF X50-005): send a draft review, the vendor reads and answers it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratings.models import VendorMembership

from .models import ExpertReviewPage, ReviewSubmission, ReviewSubmissionEvent
from .models.review_drafts import ANSWER_MAX_LENGTH, default_deadline


class DraftReviewRefused(Exception):
    """The step does not apply; the message says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def is_vendor_member(user, vendor):
    return bool(
        user.is_authenticated
        and user.is_active
        and VendorMembership.objects.filter(user=user, vendor=vendor).exists()
    )


@transaction.atomic
def send_review_draft(*, page, user, deadline=None, now=None):
    """Send the latest version of the draft review `page` to its product's vendor; return the sending."""
    now = now or timezone.now()
    deadline = deadline or default_deadline(now)
    # The page row serialises two editors sending at once.
    page = ExpertReviewPage.objects.select_for_update().select_related("product").get(pk=page.pk)
    if page.live:
        raise DraftReviewRefused(_("This review is already published: only a draft is sent to the vendor."))
    if deadline <= now:
        raise DraftReviewRefused(_("The deadline must be in the future."))
    latest = ReviewSubmission.objects.latest_for(page)
    if latest is not None and latest.can_be_answered(now):
        raise DraftReviewRefused(_("This review is already with the vendor, awaiting its answer."))
    revision = page.get_latest_revision() or page.save_revision(user=user)
    submission = ReviewSubmission.objects.create(
        page=page,
        revision=revision,
        vendor_id=page.product.vendor_id,
        sent_by=user,
        sent_at=now,
        deadline=deadline,
    )
    ReviewSubmissionEvent.objects.create(
        submission=submission, action=ReviewSubmissionEvent.Action.SENT, user=user, at=now
    )
    return submission


@transaction.atomic
def record_first_view(*, submission, user, now=None):
    """Log the vendor's first reading of `submission`; staff reading it are not the vendor."""
    if not is_vendor_member(user, submission.vendor_id):
        return submission
    now = now or timezone.now()
    updated = ReviewSubmission.objects.filter(pk=submission.pk, first_viewed_at__isnull=True).update(
        first_viewed_at=now
    )
    if updated:
        ReviewSubmissionEvent.objects.create(
            submission=submission, action=ReviewSubmissionEvent.Action.VIEWED, user=user, at=now
        )
        submission.first_viewed_at = now
    return submission


@transaction.atomic
def answer_review_draft(*, submission, user, text, publish_answer, now=None):
    """Record the vendor's one answer to `submission`; return the sending."""
    now = now or timezone.now()
    if not is_vendor_member(user, submission.vendor_id):
        raise DraftReviewRefused(_("Only members of the vendor may answer for it."))
    submission = ReviewSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.status == ReviewSubmission.Status.ANSWERED:
        raise DraftReviewRefused(_("The vendor has already answered this review."))
    if submission.is_expired(now):
        raise DraftReviewRefused(_("The deadline to answer has passed."))
    latest = ReviewSubmission.objects.latest_for(submission.page)
    if latest.pk != submission.pk:
        raise DraftReviewRefused(_("A newer version of this review was sent: answer that one."))
    text = text.strip()
    if not text:
        raise DraftReviewRefused(_("An answer cannot be empty."))
    if len(text) > ANSWER_MAX_LENGTH:
        raise DraftReviewRefused(_("An answer is at most %(n)d characters long.") % {"n": ANSWER_MAX_LENGTH})
    submission.status = ReviewSubmission.Status.ANSWERED
    submission.answer = text
    submission.publish_answer = bool(publish_answer)
    submission.answered_by = user
    submission.answered_at = now
    submission.save(
        update_fields=["status", "answer", "publish_answer", "answered_by", "answered_at", "updated_at"]
    )
    ReviewSubmissionEvent.objects.create(
        submission=submission, action=ReviewSubmissionEvent.Action.ANSWERED, user=user, at=now
    )
    return submission


@transaction.atomic
def record_publication(*, page_id, user, at):
    """Log the first publication of a review after its latest sending (later ones are edits)."""
    submission = ReviewSubmission.objects.filter(page_id=page_id).order_by("-sent_at", "-pk").first()
    if submission is None:
        return None
    event, _created = ReviewSubmissionEvent.objects.get_or_create(
        submission=submission,
        action=ReviewSubmissionEvent.Action.PUBLISHED,
        defaults={"user": user, "at": at},
    )
    return event
