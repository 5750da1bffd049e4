"""Vendors' right of reply about their products."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .base import TimestampedModel
from .catalogue import Product
from .facets import Facet

# A reply carries at most this many commitments (METHODOLOGY §10): a few promises one can check.
MAX_COMMITMENTS = 3
COMMITMENT_MAX_LENGTH = 300


class VendorReplyStatus(models.TextChoices):
    """Where a version of a vendor's reply stands; at most one published and one pending per product."""

    # Contexts keep these common words from renaming Wagtail's own labels in French.
    PENDING = "pending", pgettext_lazy("vendor reply", "awaiting moderation")
    PUBLISHED = "published", pgettext_lazy("vendor reply", "published")
    REFUSED = "refused", pgettext_lazy("vendor reply", "refused")
    SUPERSEDED = "superseded", pgettext_lazy("vendor reply", "replaced by a newer version")


class VendorReplyQuerySet(models.QuerySet):
    def published(self):
        """Return the versions shown on the product pages (one per product at most)."""
        return self.filter(status=VendorReplyStatus.PUBLISHED)

    def pending(self):
        """Return the versions awaiting a moderator (one per product at most)."""
        return self.filter(status=VendorReplyStatus.PENDING)


class VendorReply(TimestampedModel):
    """A vendor's public right of reply about one of its products (NF X50-005).

    The vendor writes it from its reports page; a moderator publishes it or refuses it with a reason.
    It is shown beside the scores, which it does not change. Each row is one version: a new version
    waits for moderation while the published one stays shown, and replaces it once published.
    """

    Status = VendorReplyStatus

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("reply"), max_length=3000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    published_at = models.DateTimeField(pgettext_lazy("vendor reply", "published at"), null=True, blank=True)

    objects = VendorReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vendor reply")
        verbose_name_plural = _("vendor replies")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(status=VendorReplyStatus.PUBLISHED),
                name="ratings_vendorreply_one_published_per_product",
            ),
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(status=VendorReplyStatus.PENDING),
                name="ratings_vendorreply_one_pending_per_product",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=VendorReplyStatus.REFUSED) | ~models.Q(refusal_reason=""),
                name="ratings_vendorreply_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return _("Reply about %(product)s") % {"product": self.product}


class VendorCommitmentQuerySet(models.QuerySet):
    def published(self):
        """Return the commitments readers see: those of the published version of each reply."""
        return self.filter(reply__status=VendorReplyStatus.PUBLISHED)


class VendorCommitment(TimestampedModel):
    """A promise a reply version makes on one facet, by a date (METHODOLOGY §10).

    It belongs to its version, so it is moderated with it: shown while that version is published,
    never while it waits or once refused. `committed_on` is the day the promise was first published;
    a later version repeating it word for word keeps that day, so the baseline campaign stays put.
    """

    reply = models.ForeignKey(
        VendorReply, verbose_name=_("reply"), on_delete=models.CASCADE, related_name="commitments"
    )
    facet = models.ForeignKey(Facet, verbose_name=_("facet"), on_delete=models.PROTECT, related_name="+")
    what = models.CharField(_("what the vendor commits to"), max_length=COMMITMENT_MAX_LENGTH)
    due_on = models.DateField(_("by"))
    committed_on = models.DateField(_("first published on"), null=True, blank=True)

    objects = VendorCommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("vendor commitment")
        verbose_name_plural = _("vendor commitments")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(what=""), name="ratings_vendorcommitment_what_not_empty"
            ),
        ]

    def __str__(self):
        return _("%(facet)s by %(date)s: %(what)s") % {
            "facet": self.facet,
            "date": self.due_on,
            "what": self.what,
        }

    def same_promise(self, other):
        """Return whether `other` promises the same thing (facet, words and date)."""
        return (self.facet_id, self.what, self.due_on) == (other.facet_id, other.what, other.due_on)
