"""Expert reviews sent to the vendor before publication (NF X50-005), and the log of each step.

A state model rather than a Wagtail workflow task: a task's state lives in Wagtail's workflow
tables and is decided by reviewers inside the admin, whereas here the party that acts is the
vendor, outside the admin, with a deadline; a workflow would also hand the decision to publish to
whoever approves the last task. One row per sending keeps the revision the vendor read, the
deadline and the answer together, and the publication rule is one query on it.

The publication rule (`ReviewSubmission.objects.publication_refusal`): a review is published only
when its latest sending has been answered or its deadline has passed. A review never sent is not
published either: every review is shown to the vendor first, with no override, superusers included.
It is enforced twice: the admin's publish hooks refuse with a message (cms/wagtail_hooks.py), and a
`pre_save` guard below refuses any other path that makes a draft review live (workflow approval,
scheduled publishing, the shell).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageLogEntry

from ratings.models import Vendor

from .pages import ExpertReviewPage

# NF X50-005 leaves the delay to the tester; 15 days is the association's default, editable per sending.
DEFAULT_ANSWER_DAYS = 15
ANSWER_MAX_LENGTH = 5000


class PublicationRefused(PermissionDenied):
    """The review may not be published yet; the message says why."""


def default_deadline(now=None):
    """Return the default deadline of a sending made at `now`."""
    return (now or timezone.now()) + datetime.timedelta(days=DEFAULT_ANSWER_DAYS)


class ReviewSubmissionQuerySet(models.QuerySet):
    def for_page(self, page):
        return self.filter(page_id=page.pk)

    def latest_for(self, page):
        """Return the latest sending of `page`, or None."""
        return self.for_page(page).order_by("-sent_at", "-pk").first()

    def visible_to(self, user):
        """Return the sendings `user` may read in the vendor space: its vendors', or all for staff."""
        if user.is_staff:
            return self
        return self.filter(vendor__memberships__user=user)

    def awaiting(self, now=None):
        return self.filter(status=ReviewSubmission.Status.SENT, deadline__gt=now or timezone.now())

    def expired(self, now=None):
        return self.filter(status=ReviewSubmission.Status.SENT, deadline__lte=now or timezone.now())

    def answered(self):
        return self.filter(status=ReviewSubmission.Status.ANSWERED)

    def published_answer(self):
        """Return the latest answer whose vendor asked for it to be shown beside the review, or None.

        Called on a review's `submissions` (from its template too, hence no argument).
        """
        return self.answered().filter(publish_answer=True).order_by("-answered_at", "-pk").first()

    def publication_refusal(self, page, now=None):
        """Return why `page` may not be published at `now`, or None when it may.

        A translation goes through the vendor with its original: it may be published once the original is.
        """
        original = page.specific_deferred.original_or_none()
        if original is not None:
            return (
                None
                if original.live
                else gettext("Publish the original review first: its translations follow it.")
            )
        latest = self.latest_for(page)
        if latest is None:
            return gettext("This review was never sent to the vendor: send it before publishing it.")
        if latest.status == ReviewSubmission.Status.ANSWERED or latest.is_expired(now):
            return None
        return gettext(
            "The vendor has not answered yet: the review can be published once it answers or after "
            "%(deadline)s."
        ) % {"deadline": timezone.localtime(latest.deadline).strftime("%d/%m/%Y %H:%M")}


class ReviewSubmission(models.Model):
    """One sending of a draft expert review to the vendor of its product, and the vendor's answer."""

    class Status(models.TextChoices):
        SENT = "sent", _("awaiting the vendor")
        ANSWERED = "answered", _("answered")

    page = models.ForeignKey(
        ExpertReviewPage, verbose_name=_("review"), on_delete=models.CASCADE, related_name="submissions"
    )
    # The version the vendor read; PROTECT so that purging old revisions cannot erase it.
    revision = models.ForeignKey(
        "wagtailcore.Revision", verbose_name=_("version sent"), on_delete=models.PROTECT, related_name="+"
    )
    # The vendor at the time of sending: it alone may read and answer, even if the product changes hands.
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="review_submissions"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SENT)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))
    deadline = models.DateTimeField(_("deadline"))
    first_viewed_at = models.DateTimeField(_("first read by the vendor at"), null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH, blank=True)
    publish_answer = models.BooleanField(_("publish the answer beside the review"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReviewSubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("review sent to the vendor")
        verbose_name_plural = _("reviews sent to the vendor")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("sent_at")),
                name="cms_reviewsubmission_deadline_after_sending",
            ),
            # An answer is given once, with its date, and never empty; a sending awaiting one has none.
            models.CheckConstraint(
                condition=(models.Q(status="answered", answered_at__isnull=False) & ~models.Q(answer=""))
                | models.Q(status="sent", answered_at__isnull=True, answer="", publish_answer=False),
                name="cms_reviewsubmission_answer_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.page.title} → {self.vendor} ({self.get_status_display()})"

    def is_expired(self, now=None):
        """Return True when the deadline has passed without an answer."""
        return self.status == self.Status.SENT and self.deadline <= (now or timezone.now())

    def can_be_answered(self, now=None):
        return self.status == self.Status.SENT and not self.is_expired(now)

    def state_label(self):
        """Return the status a person reads: awaiting, answered, or deadline passed."""
        if self.is_expired():
            return gettext("deadline passed without an answer")
        return self.get_status_display()

    def sent_review(self):
        """Return the review as it was sent (the revision's content), never the current draft."""
        return self.revision.as_object()


class ReviewSubmissionEvent(models.Model):
    """One logged step of a sending: who did what, when."""

    class Action(models.TextChoices):
        SENT = "sent", _("sent to the vendor")
        VIEWED = "viewed", _("first read by the vendor")
        ANSWERED = "answered", _("answered by the vendor")
        PUBLISHED = "published", _("review published")

    submission = models.ForeignKey(
        ReviewSubmission, verbose_name=_("sending"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("date and time"))

    class Meta:
        verbose_name = _("review sending event")
        verbose_name_plural = _("review sending events")
        ordering = ["at", "pk"]
        constraints = [
            # Each step happens once per sending.
            models.UniqueConstraint(fields=["submission", "action"], name="cms_reviewsubmissionevent_once"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


@receiver(pre_save, sender=ExpertReviewPage, dispatch_uid="cms_review_publication_guard")
def refuse_early_publication(sender, instance, raw=False, **kwargs):
    """Refuse to make a draft review live before the vendor answered or the deadline passed.

    Only the change from draft to live is checked: a page created live in one step has no revision
    and no sending (fixtures, tests), and saves of a page that is already live (new drafts) pass.
    """
    if raw or instance.pk is None or not instance.live:
        return
    if ExpertReviewPage.objects.filter(pk=instance.pk, live=True).exists():
        return
    refusal = ReviewSubmission.objects.publication_refusal(instance)
    if refusal:
        raise PublicationRefused(refusal)


@receiver(post_save, sender=PageLogEntry, dispatch_uid="cms_review_publication_logged")
def log_publication(sender, instance, created, raw=False, **kwargs):
    """Log the publication of a sent review, with the user Wagtail's own log names, on every path."""
    if raw or not created or instance.action != "wagtail.publish":
        return
    from cms.review_drafts import record_publication

    record_publication(page_id=instance.page_id, user=instance.user, at=instance.timestamp)
