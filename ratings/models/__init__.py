"""The catalogue's models, by what they hold; import them from here (`from ratings.models import Product`)."""

from .assessments import ExpertAssessment, ExpertAssessmentQuerySet, ExpertFacetScore, weighted_facet_mean
from .base import TimestampedModel
from .catalogue import (
    BillingUnit,
    Category,
    PricingModel,
    Product,
    ProductQuerySet,
    Vendor,
    VendorMembership,
    VendorQuerySet,
)
from .facets import FACET_SLUGS, Facet
from .methodology import FacetWeight, Methodology, MethodologyQuerySet, PopulationStratum
from .replies import VendorReply, VendorReplyQuerySet, VendorReplyStatus

__all__ = [
    "FACET_SLUGS",
    "BillingUnit",
    "Category",
    "ExpertAssessment",
    "ExpertAssessmentQuerySet",
    "ExpertFacetScore",
    "Facet",
    "FacetWeight",
    "Methodology",
    "MethodologyQuerySet",
    "PopulationStratum",
    "PricingModel",
    "Product",
    "ProductQuerySet",
    "TimestampedModel",
    "Vendor",
    "VendorMembership",
    "VendorQuerySet",
    "VendorReply",
    "VendorReplyQuerySet",
    "VendorReplyStatus",
    "weighted_facet_mean",
]
