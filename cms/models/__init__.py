"""The Wagtail site's models, one module per family; `cms.models` exports every name."""

from .pages import (
    ArticleIndexPage,
    ArticlePage,
    ExpertReviewFacetScore,
    ExpertReviewPage,
    HomePage,
    MethodologyPage,
    ReviewIndexPage,
)

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "ExpertReviewFacetScore",
    "ExpertReviewPage",
    "HomePage",
    "MethodologyPage",
    "ReviewIndexPage",
]
