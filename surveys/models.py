"""Doctors, the directory they are verified against, survey campaigns and their responses."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratings.models import FACET_SLUGS, Category, Product, TimestampedModel, Vendor

from .rpps import validate_rpps


class Specialty(models.TextChoices):
    GENERAL_PRACTICE = "general_practice", _("general practice")
    CARDIOLOGY = "cardiology", _("cardiology")
    DERMATOLOGY = "dermatology", _("dermatology")
    PEDIATRICS = "pediatrics", _("pediatrics")
    PSYCHIATRY = "psychiatry", _("psychiatry")
    GYNECOLOGY = "gynecology", _("gynecology")
    RADIOLOGY = "radiology", _("radiology")
    OPHTHALMOLOGY = "ophthalmology", _("ophthalmology")
    ENT = "ent", _("ear, nose and throat")
    RHEUMATOLOGY = "rheumatology", _("rheumatology")
    GASTROENTEROLOGY = "gastroenterology", _("gastroenterology")
    ENDOCRINOLOGY = "endocrinology", _("endocrinology")
    NEUROLOGY = "neurology", _("neurology")
    PULMONOLOGY = "pulmonology", _("pulmonology")
    ANESTHESIOLOGY = "anesthesiology", _("anaesthesiology")
    SURGERY = "surgery", _("surgery")
    OTHER = "other", _("other specialty")

    @classmethod
    def practice_group(cls, specialty):
        """Return the population stratum of METHODOLOGY.md §3: 'gp' or 'specialist'."""
        return "gp" if specialty == cls.GENERAL_PRACTICE else "specialist"


class PracticeMode(models.TextChoices):
    LIBERAL = "liberal", _("self-employed")
    SALARIED = "salaried", _("salaried")
    MIXED = "mixed", _("mixed")


class Region(models.TextChoices):
    """INSEE region codes (2016 regions, overseas included)."""

    GUADELOUPE = "01", "Guadeloupe"
    MARTINIQUE = "02", "Martinique"
    GUYANE = "03", "Guyane"
    LA_REUNION = "04", "La Réunion"
    MAYOTTE = "06", "Mayotte"
    ILE_DE_FRANCE = "11", "Île-de-France"
    CENTRE_VAL_DE_LOIRE = "24", "Centre-Val de Loire"
    BOURGOGNE_FRANCHE_COMTE = "27", "Bourgogne-Franche-Comté"
    NORMANDIE = "28", "Normandie"
    HAUTS_DE_FRANCE = "32", "Hauts-de-France"
    GRAND_EST = "44", "Grand Est"
    PAYS_DE_LA_LOIRE = "52", "Pays de la Loire"
    BRETAGNE = "53", "Bretagne"
    NOUVELLE_AQUITAINE = "75", "Nouvelle-Aquitaine"
    OCCITANIE = "76", "Occitanie"
    AUVERGNE_RHONE_ALPES = "84", "Auvergne-Rhône-Alpes"
    PACA = "93", "Provence-Alpes-Côte d'Azur"
    CORSE = "94", "Corse"


rpps_field_validators = [
    RegexValidator(r"^\d{11}$", _("An RPPS number has exactly 11 digits.")),
    validate_rpps,
]


class DirectoryEntry(models.Model):
    """A practitioner of the public directory (Annuaire Santé extract), used to verify sign-ups."""

    rpps = models.CharField(_("RPPS"), max_length=11)
    last_name = models.CharField(_("last name"), max_length=120)
    first_name = models.CharField(_("first name"), max_length=120, blank=True)
    profession_code = models.CharField(_("profession code"), max_length=10, blank=True)
    specialty_code = models.CharField(_("savoir-faire code"), max_length=10, blank=True)
    practice_mode_code = models.CharField(_("practice mode code"), max_length=4, blank=True)
    department_code = models.CharField(_("department"), max_length=4, blank=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        ordering = ["rpps"]
        constraints = [models.UniqueConstraint(fields=["rpps"], name="surveys_directoryentry_rpps_unique")]

    def __str__(self):
        return f"{self.rpps} {self.last_name}"


class DoctorQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verification_status=Doctor.Status.VERIFIED)


class Doctor(TimestampedModel):
    """A rater. Identity fields are seen by staff only; everything public uses the coarse profile."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending verification")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    class VerifiedBy(models.TextChoices):
        DIRECTORY = "directory", _("public directory")
        STAFF = "staff", _("staff")
        IMPORT = "import", _("import")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="doctor"
    )
    rpps = models.CharField(_("RPPS number"), max_length=11, validators=rpps_field_validators)
    last_name = models.CharField(_("last name"), max_length=120, blank=True)
    first_name = models.CharField(_("first name"), max_length=120, blank=True)
    specialty = models.CharField(_("specialty"), max_length=30, choices=Specialty.choices)
    practice_mode = models.CharField(
        _("practice mode"), max_length=20, choices=PracticeMode.choices, default=PracticeMode.LIBERAL
    )
    region = models.CharField(_("region"), max_length=3, choices=Region.choices, blank=True)
    verification_status = models.CharField(
        _("verification"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    verified_by = models.CharField(_("verified by"), max_length=20, choices=VerifiedBy.choices, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Sign-up and account deletion (surveys/services/accounts.py).
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        help_text=_("Set when the doctor deleted their account: identity erased, answers kept for scores."),
    )

    objects = DoctorQuerySet.as_manager()

    class Meta:
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["rpps"], name="surveys_doctor_rpps_unique"),
            models.CheckConstraint(
                condition=~models.Q(verification_status="rejected") | ~models.Q(rejection_reason=""),
                name="surveys_doctor_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return _("Doctor #%(id)s") % {"id": self.pk}

    @property
    def is_verified(self):
        return self.verification_status == self.Status.VERIFIED

    @property
    def practice_group(self):
        return Specialty.practice_group(self.specialty)

    @property
    def public_profile(self):
        """Return the coarse profile shown beside a verbatim: practice group only, never the person."""
        return _("general practitioner") if self.practice_group == "gp" else _("specialist")


class ConflictOfInterest(TimestampedModel):
    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="conflicts")
    vendor = models.ForeignKey(Vendor, verbose_name=_("vendor"), on_delete=models.CASCADE, related_name="+")
    description = models.CharField(_("nature of the link"), max_length=255)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        ordering = ["vendor"]
        constraints = [models.UniqueConstraint(fields=["doctor", "vendor"], name="surveys_conflict_unique")]

    def __str__(self):
        return f"{self.vendor}: {self.description}"


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
        REPORTED = "reported", _("comment reported by a reader")

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
