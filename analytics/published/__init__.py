"""The one read path for published scores: pages, exports, reports and the API all call these.

Every function reads a stored snapshot (never computes a score) and returns plain objects whose
field names are those of the scores export (FORMATS). Small groups are already hidden here
(METHODOLOGY §9): a figure describing fewer than the methodology's minimum of respondents comes
out as None, so callers never filter again.
"""

from .commitments import VERDICT_LABELS, CommitmentResult, commitment_results
from .figures import (
    SHARES,
    Band,
    Benchmark,
    CategoryRanking,
    FacetFigures,
    Figures,
    HistoryPoint,
    ProductFigures,
    ScoreChange,
    Share,
    Snapshot,
    VendorFigures,
)
from .reads import (
    MIN_PRODUCTS_FOR_BENCHMARK,
    campaign_snapshots,
    category_benchmarks,
    category_leaders,
    comment_profiles,
    current_snapshot,
    distributions,
    facet_scores,
    product_score,
    product_scores,
    rankings,
    score_change,
    score_history,
    snapshot_for_campaign,
    vendor_score,
    with_scores,
)

__all__ = [
    "SHARES",
    "Share",
    "MIN_PRODUCTS_FOR_BENCHMARK",
    "VERDICT_LABELS",
    "CommitmentResult",
    "commitment_results",
    "campaign_snapshots",
    "Band",
    "Benchmark",
    "CategoryRanking",
    "FacetFigures",
    "Figures",
    "HistoryPoint",
    "ProductFigures",
    "ScoreChange",
    "Snapshot",
    "VendorFigures",
    "category_benchmarks",
    "category_leaders",
    "comment_profiles",
    "current_snapshot",
    "distributions",
    "facet_scores",
    "product_score",
    "product_scores",
    "rankings",
    "score_change",
    "score_history",
    "snapshot_for_campaign",
    "vendor_score",
    "with_scores",
]
