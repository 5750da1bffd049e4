"""The columns of the tables `compute_scores` returns, in order: storing and the tests read them here."""

# products, indexed by product_id. The pipeline's docstring says what each holds.
# The doctors' score of a product or a vendor, and how it was weighted.
DOCTOR_SCORE_COLUMNS = (
    "n_respondents",
    "n_effective",
    "design_effect",
    "doctor_score",
    "doctor_ci_low",
    "doctor_ci_high",
    "doctor_variance",
    "status",
    "balanced",
    "weighting",
)

# The weighted sums an estimate is computed from (§4, w the final weight of §3): the open data's
# sufficient statistics, from which anyone recomputes the score and its interval.
SUFFICIENT_COLUMNS = ("sum_w", "sum_w2", "sum_wy", "sum_wy2")

# §10: what doctors pay and their contracts, per product (NaN below 10 answers; shares in percent).
SITUATION_RESULT_COLUMNS = (
    "price_q1",
    "price_median",
    "price_q3",
    "price_n",
    "price_increased_pct",
    "price_increased_ci_low",
    "price_increased_ci_high",
    "price_increased_n",
    "long_commitment_pct",
    "long_commitment_ci_low",
    "long_commitment_ci_high",
    "long_commitment_n",
    "switch_pct",
    "switch_ci_low",
    "switch_ci_high",
    "switch_n",
)

PRODUCT_COLUMNS = (
    "vendor_id",
    "category_id",
    *DOCTOR_SCORE_COLUMNS,
    "recommend_pct",
    "recommend_ci_low",
    "recommend_ci_high",
    "net_recommendation",
    "expert_score",
    "global_score",
    "global_ci_low",
    "global_ci_high",
    "expert_only",
    "shrunk_score",
    "ranked_score",
    "rank",
    "rank_low",
    "rank_high",
    "p_top3",
    "tied_first",
    "n_flagged",
    "score_without_flagged",
    "escalate",
    *SUFFICIENT_COLUMNS,
    *SITUATION_RESULT_COLUMNS,
)

# Columns of the products table that are facts of the catalogue, not of a scoring run.
CATALOGUE_COLUMNS = ("vendor_id", "category_id")

# vendors, indexed by vendor_id.
VENDOR_COLUMNS = ("n_products", *DOCTOR_SCORE_COLUMNS)

# facets, long: one row per product x facet.
FACET_COLUMNS = (
    "product_id",
    "facet",
    "score",
    "ci_low",
    "ci_high",
    "variance",
    "n",
    "n_effective",
    "status",
    *SUFFICIENT_COLUMNS,
)

# distributions, long: one row per product x facet x level or merged group (§9).
DISTRIBUTION_COLUMNS = ("product_id", "facet", "level_low", "level_high", "share", "count")

# categories, indexed by category_id.
CATEGORY_COLUMNS = ("n_ranked", "n_limited", "tau2", "tau2_borrowed", "mean_score")
