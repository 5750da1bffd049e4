"""Tunable constants of the scoring methodology (v1), see METHODOLOGY.md.

Every default an analyst can change in the admin is carried by `Params`; the values here are the
published v1 defaults and the fixed parts of the method (answer scale, prior, fraud thresholds).
"""

# Facet slugs, in the order of the survey form and of every facet array in the core.
FACETS = (
    "ease_of_use",
    "reliability",
    "features",
    "support",
    "value_for_money",
    "interoperability",
    "data_protection",
    "independence",
)

# Answer scale of a facet: L = 1 ("very poor") ... U = 5 ("excellent").
LEVELS = (1, 2, 3, 4, 5)
LOW, HIGH = 1.0, 5.0

# Dirichlet prior over the five levels, worth one pseudo-answer (a0 = 1). The mass sits on the
# extremes so that five identical answers still give an interval of finite width (§4).
PRIOR = (0.35, 0.10, 0.10, 0.10, 0.35)

CONFIDENCE = 0.95

# Blend of the published expert score into the global score: G = alpha*e + (1 - alpha)*mu (§5).
ALPHA = 0.3

# Recency: responses lose half their weight every 12 months after their campaign ended (§3).
HALF_LIFE_MONTHS = 12.0
# Campaigns ended more than this many calendar months before the reference date are left out (§1).
MAX_AGE_MONTHS = 24
# Mean Gregorian month, to turn a time difference into months for the recency weight.
DAYS_PER_MONTH = 365.25 / 12

# Population weights are capped at this multiple of the product's mean weight (§3).
TRIM_FACTOR = 5.0
# Trimming is repeated (cap, renormalise) until no weight exceeds the cap; it converges in a few rounds.
TRIM_MAX_ROUNDS = 20

# Raking (iterative proportional fitting) when several strata dimensions are given (§3).
RAKING_MAX_ITER = 50
RAKING_TOL = 1e-6
# Raking has converged when every weighted margin share is within 0.5 percentage point of its target;
# where it has not, the product is raked again without its last dimension (§3).
RAKING_MARGIN_TOL = 0.005

# Population margins (seed 003): self-employed GPs and specialists in France.
DEFAULT_MARGINS = {"practice_group": {"gp": 60900.0, "specialist": 55200.0}}

# Status thresholds (§5).
MIN_RESPONDENTS = 5  # below: "insufficient", no doctor score shown
LIMITED_RESPONDENTS = 20  # below: "limited data", not ranked
LIMITED_NEFF = 15.0  # Kish effective size below this: "limited data"
DESIGN_EFFECT_SHOWN = 1.2  # the design effect n/n_eff is displayed above this

# Disclosure control (§9): no shown figure describes 1 to 4 respondents. A fixed floor, not a tunable
# default: a methodology with a higher `min_respondents` raises it, a lower one cannot lower it.
DISCLOSURE_MIN_COUNT = 5

STATUS_INSUFFICIENT = "insufficient"
STATUS_LIMITED = "limited"
STATUS_OK = "ok"

# "Would recommend" (0-10): promoters answer 9-10, detractors 0-6 (as NPS and KLAS's NEES).
PROMOTER_MIN = 9
DETRACTOR_MAX = 6

# Rankings (§6).
RANK_DRAWS = 2000
SEED = 20240917  # fixed so that published rank intervals can be reproduced
MIN_RANKED_FOR_OWN_TAU = 8  # fewer ranked products in a category: borrow tau^2 from all categories
TOP_K = 3  # P(top 3)

# Facet weights: the row of this label applies to categories without their own row.
DEFAULT_WEIGHTS_ROW = "default"

# Fraud and quality signals (§7). They only flag; a person decides.
BURST_WINDOW_DAYS = 7
BURST_BASELINE_DAYS = 90
BURST_MIN_COUNT = 10
BURST_P_VALUE = 1e-3
STRAIGHT_MIN_FACETS = 5  # straight-lining needs at least this many answered facets, all identical
STRAIGHT_RATIO = 2.0  # product share of straight-liners >= this multiple of the category share
STRAIGHT_P_VALUE = 1e-3
FRESH_ACCOUNT_HOURS = 48
OUTLIER_MAD_FACTOR = 3.0
OUTLIER_MIN_N = 10
SHARED_MIN_RATERS = 3  # raters of one product sharing a network prefix or a browser fingerprint

# §10: the optional answers on price, contract and switching a responses frame may carry (NaN when not
# answered): the price paid (€/month), and 1/0 for "yes"/"no".
SITUATION_COLUMNS = (
    "price_paid",
    "price_increased",
    "commitment_months",
    "considering_switch",
    "previous_tool",
)
# previous_tool: the id of the tool used before (if changed in the last 3 years), OTHER_TOOL for one outside
# the catalogue, NaN when the doctor did not change.
OTHER_TOOL = -1
LONG_COMMITMENT_MONTHS = 12  # §10: "committed for more than 12 months"
# §10: the profile dimensions of "a doctor like me", in the order readers choose them (response columns).
PROFILE_DIMENSIONS = ("practice_group", "practice_setting", "region")
