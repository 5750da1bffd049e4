"""Expert assessments: the facet scores of published expert reviews."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimestampedModel
from .catalogue import Product
from .facets import Facet


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
