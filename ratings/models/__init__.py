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
from .replies import (
    COMMITMENT_MAX_LENGTH,
    MAX_COMMITMENTS,
    VendorCommitment,
    VendorCommitmentQuerySet,
    VendorReply,
    VendorReplyQuerySet,
    VendorReplyStatus,
)

__all__ = [
    "COMMITMENT_MAX_LENGTH",
    "FACET_SLUGS",
    "MAX_COMMITMENTS",
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
    "VendorCommitment",
    "VendorCommitmentQuerySet",
    "VendorQuerySet",
    "VendorReply",
    "VendorReplyQuerySet",
    "VendorReplyStatus",
    "weighted_facet_mean",
]
