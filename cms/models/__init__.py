"""The Wagtail site's models, one module per family; `cms.models` exports every name."""

from .contact import ContactMessage
from .legal import LegalPage
from .pages import (
    ArticleIndexPage,
    ArticlePage,
    ExpertReviewFacetScore,
    ExpertReviewPage,
    HomePage,
    MethodologyPage,
    ReviewIndexPage,
)
from .reports import ReportFile, ReportRelease, ReportRun
from .review_drafts import ReviewSubmission, ReviewSubmissionEvent

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "ContactMessage",
    "ExpertReviewFacetScore",
    "ExpertReviewPage",
    "HomePage",
    "LegalPage",
    "MethodologyPage",
    "ReportFile",
    "ReportRelease",
    "ReportRun",
    "ReviewIndexPage",
    "ReviewSubmission",
    "ReviewSubmissionEvent",
]
