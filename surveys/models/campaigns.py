"""Survey campaigns: when doctors answer, about which categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratings.models import Category, TimestampedModel


class CampaignQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Campaign.Status.OPEN)


class Campaign(TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opening date"))
    closes_on = models.DateField(_("closing date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories covered"), blank=True, related_name="+"
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-closes_on"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="surveys_campaign_slug_unique"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="surveys_campaign_dates_ordered"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def accepts_answers(self):
        return self.status == self.Status.OPEN
