"""Responses: one doctor's answers about one product in one campaign."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ratings.models import FACET_SLUGS, Product, TimestampedModel

from .campaigns import Campaign
from .doctors import Doctor


def facet_answer_field(slug):
    return models.PositiveSmallIntegerField(
        slug.replace("_", " "), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Response.Status.SUBMITTED)

    def counted(self):
        """Return the responses that count for scores (METHODOLOGY.md §1), before de-duplication."""
        return (
            self.submitted()
            .filter(excluded=False, doctor__verification_status=Doctor.Status.VERIFIED)
            .exclude(doctor__conflicts__vendor=models.F("product__vendor"))
        )

    def with_published_comment(self):
        return self.submitted().filter(comment_status=Response.CommentStatus.APPROVED, excluded=False)


# The answers on the doctor's practice, price and contract (METHODOLOGY.md §10), besides the tool used before.
SITUATION_ANSWERS = (
    "practice_setting",
    "price_paid",
    "price_increased",
    "commitment_months",
    "considering_switch",
)
# Bounds of the price and commitment answers: beyond them an answer is a typing error.
PRICE_PAID_MAX = 10_000
COMMITMENT_MONTHS_MAX = 120


class Response(TimestampedModel):
    """One doctor's answers about one product in one campaign."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    class CommentStatus(models.TextChoices):
        NONE = "none", _("no comment")
        PENDING = "pending", _("awaiting moderation")
        APPROVED = "approved", _("published")
        REJECTED = "rejected", _("refused")

    class TimeInUse(models.TextChoices):
        UNDER_6_MONTHS = "lt6m", _("less than 6 months")
        UNDER_2_YEARS = "6m2y", _("6 months to 2 years")
        UNDER_5_YEARS = "2y5y", _("2 to 5 years")
        OVER_5_YEARS = "gt5y", _("more than 5 years")

    class PracticeSetting(models.TextChoices):
        SOLO = "solo", _("alone")
        GROUP = "group", _("in a group practice")
        HEALTH_CENTRE = "health_centre", _("in a maison or centre de santé")

    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="responses")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="responses")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    ease_of_use = facet_answer_field("ease_of_use")
    reliability = facet_answer_field("reliability")
    features = facet_answer_field("features")
    support = facet_answer_field("support")
    value_for_money = facet_answer_field("value_for_money")
    interoperability = facet_answer_field("interoperability")
    data_protection = facet_answer_field("data_protection")
    independence = facet_answer_field("independence")
    recommend = models.PositiveSmallIntegerField(
        _("would recommend (0–10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    time_in_use = models.CharField(_("time in use"), max_length=6, choices=TimeInUse.choices, blank=True)

    # Prices, contracts and switching (METHODOLOGY.md §10; FORMATS.md's optional import columns): every
    # question optional, empty when not answered.
    practice_setting = models.CharField(
        _("practice setting"), max_length=20, choices=PracticeSetting.choices, blank=True
    )
    price_paid = models.DecimalField(
        _("price paid (€ per month excl. VAT)"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(PRICE_PAID_MAX)],
    )  # fmt: skip
    price_increased = models.BooleanField(_("price rose in the last 12 months"), null=True, blank=True)
    commitment_months = models.PositiveSmallIntegerField(
        _("commitment (months)"), null=True, blank=True, validators=[MaxValueValidator(COMMITMENT_MONTHS_MAX)]
    )
    considering_switch = models.BooleanField(
        _("considering changing tool within a year"), null=True, blank=True
    )
    previous_product = models.ForeignKey(
        Product, verbose_name=_("tool used before"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("If the doctor changed tool in the last 3 years."),
    )  # fmt: skip
    previous_product_other = models.CharField(
        _("tool used before, not in the catalogue"), max_length=120, blank=True
    )

    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    comment_status = models.CharField(
        _("comment moderation"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.NONE
    )
    comment_rejection_reason = models.TextField(_("reason the comment was refused"), blank=True)

    excluded = models.BooleanField(_("excluded from scores"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Signals for fraud detection (METHODOLOGY.md §7); never shown outside staff pages.
    network_prefix = models.CharField(max_length=50, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    invitation_code = models.CharField(max_length=64, blank=True, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "product", "campaign"],
                name="surveys_response_one_per_doctor_product_campaign",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{slug}__isnull": True})
                    | models.Q(**{f"{slug}__gte": 1, f"{slug}__lte": 5}),
                    name=f"surveys_response_{slug}_1_5",
                )
                for slug in FACET_SLUGS
            ],
            models.CheckConstraint(
                condition=models.Q(recommend__isnull=True) | models.Q(recommend__gte=0, recommend__lte=10),
                name="surveys_response_recommend_0_10",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | models.Q(submitted_at__isnull=False),
                name="surveys_response_submitted_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "campaign"], name="surveys_resp_product_campaign"),
            models.Index(fields=["comment_status"], name="surveys_resp_comment_status"),
        ]

    def __str__(self):
        return _("Response #%(id)s") % {"id": self.pk}

    @property
    def answers(self):
        """Return {facet slug: 1–5 or None}."""
        return {slug: getattr(self, slug) for slug in FACET_SLUGS}
