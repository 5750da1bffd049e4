"""What moderation keeps about a response: fraud signals, decisions and readers' reports."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratings.models import TimestampedModel

from .responses import Response


class ResponseFlag(TimestampedModel):
    """A fraud or quality signal raised on a response (METHODOLOGY.md §7); a person decides what follows."""

    class Kind(models.TextChoices):
        BURST = "burst", _("burst of responses")
        VENDOR_DOMAIN = "vendor_domain", _("e-mail domain of the vendor")
        DECLARED_LINK = "declared_link", _("declared link with the vendor")
        SHARED_NETWORK = "shared_network", _("network shared by several raters")
        SHARED_FINGERPRINT = "shared_fingerprint", _("browser shared by several raters")
        INVITATION = "invitation", _("vendor invitation link")
        STRAIGHT_LINING = "straight_lining", _("straight-lining")
        FRESH_ACCOUNT = "fresh_account", _("fresh account")
        OUTLIER = "outlier", _("outlier")
        PRICE_OUTLIER = "price_outlier", _("price paid far above the category's")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("signal"), max_length=30, choices=Kind.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("fraud signal")
        verbose_name_plural = _("fraud signals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["response", "kind"], name="surveys_responseflag_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.response}"


class ModerationEvent(models.Model):
    """Who did what to a response, when and why: every exclusion, restoration and comment decision."""

    class Action(models.TextChoices):
        APPROVE_COMMENT = "approve_comment", _("comment approved")
        REJECT_COMMENT = "reject_comment", _("comment refused")
        EXCLUDE = "exclude", _("response excluded")
        RESTORE = "restore", _("response restored")
        # Reports were once recorded as events; they now live in CommentReport. Kept for those rows.
        REPORTED = "reported", _("comment reported by a reader")
        UNPUBLISH_COMMENT = "unpublish_comment", _("comment unpublished after doctors' reports")
        DISMISS_REPORTS = "dismiss_reports", _("reports dismissed, comment kept")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="moderation_events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason_code = models.CharField(_("reason"), max_length=40, blank=True)
    reason_text = models.TextField(_("details"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation event")
        verbose_name_plural = _("moderation events")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d})"


class CommentReportQuerySet(models.QuerySet):
    def open(self):
        """Return the reports no moderator has looked at yet."""
        return self.filter(resolved_at__isnull=True)


class CommentReport(TimestampedModel):
    """A reader's report that a published comment breaks the rules, for a moderator to look at.

    A report does not hide the comment; reports from enough distinct verified doctors do
    (surveys.services.moderation). Anonymous reports have no reporter: the address that sent one is
    only hashed into a cache key, never stored.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("what is wrong"), blank=True, max_length=1000)
    resolved_at = models.DateTimeField(_("looked at on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("looked at by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "reporter"],
                condition=models.Q(reporter__isnull=False),
                name="surveys_commentreport_one_per_user",
            ),
        ]

    def __str__(self):
        return _("Report on %(response)s") % {"response": self.response}
