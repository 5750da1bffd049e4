"""The facets products are rated on."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimestampedModel

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
