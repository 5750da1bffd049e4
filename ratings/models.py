"""The catalogue: categories, vendors, products, the facets they are rated on, the methodology."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.search import index

# The eight facets of DOMAIN.md, in the order of FORMATS.md. Responses keep one column per facet
# (a wide table imports and aggregates a million rows far faster than one row per answer), so this
# list is part of the schema: the `Facet` rows carry the labels and the methodology the weights.
FACET_SLUGS = (
    "ease_of_use",
    "reliability",
    "features",
    "support",
    "value_for_money",
    "interoperability",
    "data_protection",
    "independence",
)


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Category(index.Indexed, TimestampedModel):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="ratings_category_slug_unique")]

    def __str__(self):
        return self.name


class VendorQuerySet(models.QuerySet):
    def with_email_domain(self, domain):
        """Return the vendors whose staff use the e-mail `domain`."""
        domain = domain.lower().strip()
        return self.filter(email_domains__iregex=rf"(^|[\s,]){domain.replace('.', '[.]')}($|[\s,])")


class Vendor(index.Indexed, TimestampedModel):
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    email_domains = models.CharField(
        _("staff e-mail domains"),
        max_length=500,
        blank=True,
        help_text=_(
            "Comma-separated; doctors using one of these domains may not rate the vendor's products."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = VendorQuerySet.as_manager()

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="ratings_vendor_slug_unique")]

    def __str__(self):
        return self.name

    @property
    def email_domain_list(self):
        return [d.strip().lower() for d in self.email_domains.replace(";", ",").split(",") if d.strip()]


class VendorMembership(TimestampedModel):
    """Links a user account to the vendor whose reports it may read and answer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vendor_memberships"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        verbose_name = _("vendor membership")
        verbose_name_plural = _("vendor memberships")
        ordering = ["vendor", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "vendor"], name="ratings_vendormembership_unique"),
        ]

    def __str__(self):
        return f"{self.user} → {self.vendor}"


class PricingModel(models.TextChoices):
    PER_MINUTE = "per_minute", _("per minute")
    PER_QUESTION = "per_question", _("per question")
    PER_CONSULTATION = "per_consultation", _("per consultation")
    SUBSCRIPTION = "subscription", _("subscription")
    LICENCE = "licence", _("licence")
    FREE = "free", _("free / ad-funded")


class BillingUnit(models.TextChoices):
    MINUTE = "minute", _("per minute")
    QUESTION = "question", _("per question")
    CONSULTATION = "consultation", _("per consultation")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")
    ONE_OFF = "one_off", _("one-off")


class ProductQuerySet(models.QuerySet):
    def listed(self):
        """Return the products a reader may see."""
        return self.filter(is_listed=True)

    def in_category(self, category):
        return self.filter(category=category)

    def of_vendor(self, vendor):
        return self.filter(vendor=vendor)


class Product(index.Indexed, TimestampedModel):
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160)
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="products"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_listed = models.BooleanField(_("listed on the public site"), default=True)

    pricing_model = models.CharField(
        _("pricing model"), max_length=20, choices=PricingModel.choices, default=PricingModel.SUBSCRIPTION
    )
    price = models.DecimalField(
        _("price (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    billing_unit = models.CharField(_("billing unit"), max_length=20, choices=BillingUnit.choices, blank=True)

    channel_video = models.BooleanField(_("video"), default=False)
    channel_phone = models.BooleanField(_("phone"), default=False)
    channel_chat = models.BooleanField(_("chat"), default=False)
    channel_messaging = models.BooleanField(_("messaging"), default=False)
    available_24_7 = models.BooleanField(_("available 24/7"), default=False)
    guaranteed_response_minutes = models.PositiveIntegerField(
        _("guaranteed response time (minutes)"), null=True, blank=True
    )
    specialties_count = models.PositiveSmallIntegerField(_("number of specialties"), null=True, blank=True)

    certified_hds = models.BooleanField(_("HDS health-data hosting"), default=False)
    certified_segur = models.BooleanField(_("Ségur referencing"), default=False)
    approved_teleconsultation = models.BooleanField(_("teleconsultation company approval"), default=False)
    hosted_in_eu = models.BooleanField(_("data hosted in the EU"), default=False)
    practitioners_registered = models.BooleanField(
        _("practitioners registered with the Ordre and insured"), default=False
    )
    interop_dmp = models.BooleanField(_("DMP"), default=False)
    interop_mssante = models.BooleanField(_("MSSanté"), default=False)
    interop_standard_export = models.BooleanField(_("standard exports"), default=False)

    objects = ProductQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("description"),
        index.FilterField("category"),
        index.FilterField("vendor"),
        index.FilterField("is_listed"),
        index.RelatedFields("vendor", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="ratings_product_slug_unique"),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                name="ratings_product_price_gte_0",
            ),
            models.CheckConstraint(
                condition=models.Q(specialties_count__isnull=True) | models.Q(specialties_count__gte=1),
                name="ratings_product_specialties_gte_1",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("product_detail", kwargs={"slug": self.slug})

    @property
    def channels(self):
        """Return the labels of the channels the product offers."""
        fields = ["channel_video", "channel_phone", "channel_chat", "channel_messaging"]
        return [self._meta.get_field(f).verbose_name for f in fields if getattr(self, f)]

    @property
    def certifications(self):
        fields = ["certified_hds", "certified_segur", "approved_teleconsultation", "hosted_in_eu"]
        return [self._meta.get_field(f).verbose_name for f in fields if getattr(self, f)]

    @property
    def interoperability(self):
        fields = ["interop_dmp", "interop_mssante", "interop_standard_export"]
        return [self._meta.get_field(f).verbose_name for f in fields if getattr(self, f)]


class Facet(TimestampedModel):
    slug = models.SlugField(_("slug"), max_length=40, choices=[(s, s) for s in FACET_SLUGS])
    name = models.CharField(_("name"), max_length=80)
    question = models.CharField(_("question asked"), max_length=255)
    description = models.TextField(_("what doctors judge"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("facet")
        verbose_name_plural = _("facets")
        ordering = ["sort_order"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="ratings_facet_slug_unique")]

    def __str__(self):
        return self.name


class MethodologyQuerySet(models.QuerySet):
    def current(self):
        """Return the methodology in force: the highest version."""
        return self.order_by("-version").first()


class Methodology(ClusterableModel, TimestampedModel):
    """One version of the scoring rules of METHODOLOGY.md. A version used for scores is never edited."""

    version = models.PositiveIntegerField(_("version"))
    notes = models.TextField(_("what changed"), blank=True)
    alpha = models.DecimalField(
        _("expert weight α"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.300"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    min_respondents = models.PositiveSmallIntegerField(_("respondents for a score"), default=5)
    limited_respondents = models.PositiveSmallIntegerField(_("respondents for a ranked score"), default=20)
    limited_n_effective = models.DecimalField(
        _("effective size for a ranked score"), max_digits=6, decimal_places=2, default=Decimal("15")
    )
    half_life_months = models.DecimalField(
        _("recency half-life (months)"), max_digits=5, decimal_places=2, default=12
    )
    max_age_months = models.PositiveSmallIntegerField(
        _("campaigns older than this are left out (months)"), default=24
    )
    trim_factor = models.DecimalField(
        _("weights trimmed at × their mean"), max_digits=5, decimal_places=2, default=5
    )
    locked_at = models.DateTimeField(
        _("used for scores since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Once scores are computed with a version, a change creates a new version."),
    )

    objects = MethodologyQuerySet.as_manager()

    panels = [
        FieldPanel("version", read_only=True),
        FieldPanel("notes"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("alpha"), FieldPanel("half_life_months"), FieldPanel("max_age_months")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("min_respondents"),
                        FieldPanel("limited_respondents"),
                        FieldPanel("limited_n_effective"),
                    ]
                ),
                FieldPanel("trim_factor"),
            ],
            heading=_("Thresholds and constants"),
        ),
        InlinePanel("facet_weights", heading=_("Facet weights"), label=_("facet weight")),
        InlinePanel("strata", heading=_("Population strata"), label=_("stratum")),
    ]

    class Meta:
        verbose_name = _("methodology")
        verbose_name_plural = _("methodologies")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="ratings_methodology_version_unique"),
            models.CheckConstraint(
                condition=models.Q(alpha__gte=0, alpha__lte=1), name="ratings_methodology_alpha_0_1"
            ),
            models.CheckConstraint(
                condition=models.Q(limited_respondents__gte=models.F("min_respondents")),
                name="ratings_methodology_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(half_life_months__gt=0), name="ratings_methodology_half_life_gt_0"
            ),
            models.CheckConstraint(
                condition=models.Q(trim_factor__gte=1), name="ratings_methodology_trim_gte_1"
            ),
        ]

    def __str__(self):
        return _("Methodology v%(version)s") % {"version": self.version}

    @property
    def is_locked(self):
        return self.locked_at is not None

    def weights_for(self, category):
        """Return {facet slug: weight} for `category`, falling back to the default weights."""
        rows = {
            w.facet.slug: w.weight
            for w in self.facet_weights.filter(category__isnull=True).select_related("facet")
        }
        if category is not None:
            rows.update(
                {
                    w.facet.slug: w.weight
                    for w in self.facet_weights.filter(category=category).select_related("facet")
                }
            )
        return rows


class FacetWeight(models.Model):
    """A facet's weight in a doctor's global score; no category means the default for all categories."""

    methodology = ParentalKey(Methodology, on_delete=models.CASCADE, related_name="facet_weights")
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    facet = models.ForeignKey(Facet, verbose_name=_("facet"), on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )

    panels = [FieldPanel("category"), FieldPanel("facet"), FieldPanel("weight")]

    class Meta:
        verbose_name = _("facet weight")
        verbose_name_plural = _("facet weights")
        ordering = ["methodology", "category", "facet__sort_order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="ratings_facetweight_weight_gte_0"
            ),
            models.UniqueConstraint(
                fields=["methodology", "category", "facet"],
                name="ratings_facetweight_unique_per_category",
                condition=models.Q(category__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["methodology", "facet"],
                name="ratings_facetweight_unique_default",
                condition=models.Q(category__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.facet} × {self.weight}"


class PopulationStratum(models.Model):
    """A population margin used to weight raters: the number of doctors in one stratum of a dimension."""

    class Dimension(models.TextChoices):
        PRACTICE_GROUP = "practice_group", _("practice group")
        REGION = "region", _("region")

    methodology = ParentalKey(Methodology, on_delete=models.CASCADE, related_name="strata")
    dimension = models.CharField(_("dimension"), max_length=30, choices=Dimension.choices)
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=120)
    size = models.PositiveIntegerField(_("doctors in the population"))

    panels = [FieldPanel("dimension"), FieldPanel("code"), FieldPanel("label"), FieldPanel("size")]

    class Meta:
        verbose_name = _("population stratum")
        verbose_name_plural = _("population strata")
        ordering = ["methodology", "dimension", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["methodology", "dimension", "code"], name="ratings_stratum_unique"
            ),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="ratings_stratum_size_gt_0"),
        ]

    def __str__(self):
        return f"{self.label} ({self.size})"


def weighted_facet_mean(weights, scores):
    """Return Σ w_f·s_f / Σ w_f over the scored facets ({slug: score}); a facet without weight counts 1."""
    pairs = [(float(weights.get(slug, 1)), score) for slug, score in scores.items() if score is not None]
    total = sum(w for w, _ in pairs)
    return sum(w * score for w, score in pairs) / total if total else None


class ExpertAssessmentQuerySet(models.QuerySet):
    def latest_per_product(self):
        """Return, for each product, its most recently published assessment."""
        return self.order_by("product_id", "-reviewed_on", "-id")


class ExpertAssessment(TimestampedModel):
    """The facet scores of a published expert review, stored here so that analytics can read them.

    The review page lives in `cms/`; it writes this record when it is published and removes it when
    unpublished (the catalogue never imports the CMS).
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="expert_assessments")
    source_page_id = models.PositiveIntegerField(_("review page"))
    title = models.CharField(_("title"), max_length=255)
    reviewer = models.CharField(_("reviewer"), max_length=160)
    reviewed_on = models.DateField(_("test date"))

    objects = ExpertAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert assessment")
        verbose_name_plural = _("expert assessments")
        ordering = ["-reviewed_on"]
        constraints = [
            models.UniqueConstraint(fields=["source_page_id"], name="ratings_expertassessment_page_unique"),
        ]

    def __str__(self):
        return self.title

    def weighted_score(self, methodology, weights=None):
        """Return the weighted mean of the facet scores with `methodology`'s weights, or None.

        `weights` ({facet slug: weight}) spares the look-up when the caller already has them.
        """
        if weights is None:
            weights = methodology.weights_for(self.product.category)
        return weighted_facet_mean(weights, {s.facet.slug: s.score for s in self.scores.all()})


class ExpertFacetScore(models.Model):
    assessment = models.ForeignKey(ExpertAssessment, on_delete=models.CASCADE, related_name="scores")
    facet = models.ForeignKey(Facet, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("expert facet score")
        verbose_name_plural = _("expert facet scores")
        ordering = ["facet__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "facet"], name="ratings_expertfacetscore_unique"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="ratings_expertfacetscore_score_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.facet}: {self.score}"


class VendorReplyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=VendorReply.Status.PUBLISHED)


class VendorReply(TimestampedModel):
    """A vendor's public right of reply about one of its products (NF X50-005).

    The vendor writes it from its reports page; a moderator publishes it or refuses it with a reason.
    It is shown beside the scores, which it does not change.
    """

    class Status(models.TextChoices):
        # Contexts keep these common words from renaming Wagtail's own labels in French.
        PENDING = "pending", pgettext_lazy("vendor reply", "awaiting moderation")
        PUBLISHED = "published", pgettext_lazy("vendor reply", "published")
        REFUSED = "refused", pgettext_lazy("vendor reply", "refused")

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
            models.UniqueConstraint(fields=["product"], name="ratings_vendorreply_one_per_product"),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="ratings_vendorreply_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return _("Reply about %(product)s") % {"product": self.product}
