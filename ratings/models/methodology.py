"""The methodology: versions of the scoring rules, facet weights and population strata."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from .base import TimestampedModel
from .catalogue import Category
from .facets import Facet


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
