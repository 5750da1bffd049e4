"""Fraud and quality signals (§7): pure functions that flag responses or products, never delete.

Each function documents the columns it reads; a person reviews every flag.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from . import constants as c


def burst_flags(
    responses: pd.DataFrame,
    as_of: pd.Timestamp,
    *,
    window_days: int = c.BURST_WINDOW_DAYS,
    baseline_days: int = c.BURST_BASELINE_DAYS,
    min_count: int = c.BURST_MIN_COUNT,
    p_value: float = c.BURST_P_VALUE,
) -> pd.DataFrame:
    """Flag products whose count over the last `window_days` is improbable under their baseline rate.

    Reads `product_id`, `category_id`, `submitted_at`. The window is (as_of - 7 days, as_of]; the
    baseline daily rate is the product's count over the 90 days before the window / 90, floored at
    its category's rate per product over the same days. Flag when count >= 10 and
    Poisson P(X >= count; 7 * rate) < 1e-3. Returns one row per product (index product_id):
    count, baseline_rate, expected, p_value, flag.
    """
    as_of = pd.Timestamp(as_of)
    start = as_of - pd.Timedelta(days=window_days)
    base_start = start - pd.Timedelta(days=baseline_days)
    at = responses["submitted_at"]
    products = responses.drop_duplicates("product_id").set_index("product_id")["category_id"].sort_index()
    in_window = responses.loc[(at > start) & (at <= as_of)].groupby("product_id").size()
    in_base = responses.loc[(at > base_start) & (at <= start)].groupby("product_id").size()
    out = pd.DataFrame(index=products.index)
    out["count"] = in_window.reindex(out.index, fill_value=0).astype(np.int64)
    own_rate = in_base.reindex(out.index, fill_value=0) / baseline_days
    per_category = own_rate.groupby(products).transform("mean")  # category count / days / products
    out["baseline_rate"] = np.maximum(own_rate, per_category)
    out["expected"] = window_days * out["baseline_rate"]
    out["p_value"] = stats.poisson.sf(out["count"] - 1, out["expected"])
    out["flag"] = (out["count"] >= min_count) & (out["p_value"] < p_value)
    return out


def straight_lined(responses: pd.DataFrame, *, min_facets: int = c.STRAIGHT_MIN_FACETS) -> pd.Series:
    """True for responses with at least `min_facets` answered facets, all identical (reads the 8 facets)."""
    answers = responses[list(c.FACETS)]
    answered = answers.notna().sum(axis=1)
    return (answered >= min_facets) & (answers.max(axis=1) == answers.min(axis=1))


def straight_lining_flags(
    responses: pd.DataFrame,
    *,
    min_facets: int = c.STRAIGHT_MIN_FACETS,
    ratio: float = c.STRAIGHT_RATIO,
    p_value: float = c.STRAIGHT_P_VALUE,
) -> pd.DataFrame:
    """Flag products with too many straight-lined responses compared with their category.

    Reads `product_id`, `category_id` and the 8 facets. A product is flagged when its share of
    straight-lined responses is >= 2x the category's share and the binomial P(K >= k; n, category
    share) < 1e-3 (extreme answers alone are often sincere). Returns one row per product (index
    product_id): n, straight, share, category_share, p_value, flag.
    """
    frame = pd.DataFrame(
        {
            "product_id": responses["product_id"].to_numpy(),
            "category_id": responses["category_id"].to_numpy(),
            "straight": straight_lined(responses, min_facets=min_facets).to_numpy(),
        }
    )
    by_product = frame.groupby("product_id").agg(
        category_id=("category_id", "first"), n=("straight", "size"), straight=("straight", "sum")
    )
    by_category = frame.groupby("category_id")["straight"].mean()
    out = by_product[["n", "straight"]].astype(np.int64)
    out["share"] = out["straight"] / out["n"]
    out["category_share"] = by_product["category_id"].map(by_category).to_numpy()
    out["p_value"] = stats.binom.sf(out["straight"] - 1, out["n"], out["category_share"])
    out["flag"] = (
        (out["straight"] > 0) & (out["share"] >= ratio * out["category_share"]) & (out["p_value"] < p_value)
    )
    return out


def fresh_account_flags(responses: pd.DataFrame, *, hours: float = c.FRESH_ACCOUNT_HOURS) -> pd.Series:
    """Flag responses from accounts created < 48 h before rating, rating a single product, all answers at 1 or all at 5.

    Reads `doctor_id`, `product_id`, `submitted_at`, `account_created_at` and the 8 facets; returns
    a boolean Series aligned on `responses`.
    """
    answers = responses[list(c.FACETS)]
    low, high = answers.min(axis=1), answers.max(axis=1)
    extreme = (low == high) & low.isin([c.LOW, c.HIGH])
    fresh = (responses["submitted_at"] - responses["account_created_at"]) < pd.Timedelta(hours=hours)
    single = responses.groupby("doctor_id")["product_id"].transform("nunique") == 1
    return (extreme & fresh & single).rename("fresh_account")


def outlier_flags(
    responses: pd.DataFrame, *, factor: float = c.OUTLIER_MAD_FACTOR, min_n: int = c.OUTLIER_MIN_N
) -> pd.Series:
    """Flag responses whose g lies more than 3 MAD from their product's median (informational).

    Reads `product_id` and `g` (a doctor's global score, see `rows.global_scores`); only
    products with at least `min_n` responses are examined. MAD is the raw median absolute
    deviation, as in §7: when it is 0, every g off the median is flagged.
    """
    by_product = responses.groupby("product_id")["g"]
    median = by_product.transform("median")
    deviation = (responses["g"] - median).abs()
    mad = deviation.groupby(responses["product_id"]).transform("median")
    enough = by_product.transform("size") >= min_n
    return (enough & (deviation > factor * mad)).rename("outlier")


def shared_network_flags(responses: pd.DataFrame, *, min_raters: int = c.SHARED_MIN_RATERS) -> pd.DataFrame:
    """Flag responses sharing a network prefix or a browser fingerprint with >= 3 raters of the same product.

    Reads `product_id`, `doctor_id`, `network_prefix`, `fingerprint` (missing values never match).
    Returns boolean columns shared_network, shared_fingerprint and flag, aligned on `responses`.
    """
    out = pd.DataFrame(index=responses.index)
    for column, name in (("network_prefix", "shared_network"), ("fingerprint", "shared_fingerprint")):
        raters = responses.groupby(["product_id", column], dropna=True)["doctor_id"].transform("nunique")
        out[name] = (raters >= min_raters).fillna(False).astype(bool) & responses[column].notna()
    out["flag"] = out["shared_network"] | out["shared_fingerprint"]
    return out


def _domain(emails: pd.Series) -> pd.Series:
    return emails.astype("str").str.rsplit("@", n=1).str[-1].str.strip().str.lower()


def vendor_domain_flags(responses: pd.DataFrame, vendor_domains: pd.DataFrame) -> pd.Series:
    """Flag responses whose rater's e-mail domain is one of the rated vendor's domains, or a subdomain of one.

    Reads `vendor_id` and `email` from `responses`, and `vendor_id`, `domain` from `vendor_domains`
    (one row per domain). Returns a boolean Series aligned on `responses`.
    """
    vendor = responses["vendor_id"].astype(np.int64).to_numpy()
    suffix = _domain(responses["email"]).where(responses["email"].notna(), "")
    own = pd.MultiIndex.from_arrays(
        [vendor_domains["vendor_id"].astype(np.int64), _domain(vendor_domains["domain"])]
    )
    hit = np.zeros(len(responses), dtype=bool)
    # Try the domain, then each parent ("a.b.fr", "b.fr", "fr"): one pass per label, not per response.
    depth = int(suffix.str.count(r"\.").max()) if len(suffix) else 0
    for _ in range(depth + 1):
        hit |= pd.MultiIndex.from_arrays([vendor, suffix]).isin(own) & (suffix != "").to_numpy()
        suffix = suffix.str.partition(".")[2]
    return pd.Series(hit, index=responses.index, name="vendor_domain")


def vendor_link_flags(
    responses: pd.DataFrame,
    vendor_domains: pd.DataFrame | None = None,
    declared_links: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Flag responses linked to the rated vendor: e-mail domain, declared link, vendor's invitation.

    Reads `vendor_id`, and when present `email`, `doctor_id`, `invited_by_vendor_id`;
    `declared_links` has `doctor_id`, `vendor_id`. Returns boolean columns vendor_domain,
    declared_link, vendor_invitation and flag, aligned on `responses`.
    """
    out = pd.DataFrame(index=responses.index)
    if vendor_domains is not None and "email" in responses.columns:
        out["vendor_domain"] = vendor_domain_flags(responses, vendor_domains)
    else:
        out["vendor_domain"] = False
    if declared_links is not None and len(declared_links):
        linked = pd.MultiIndex.from_frame(declared_links[["doctor_id", "vendor_id"]].astype(np.int64))
        pairs = pd.MultiIndex.from_arrays(
            [responses["doctor_id"].astype(np.int64), responses["vendor_id"].astype(np.int64)]
        )
        out["declared_link"] = pairs.isin(linked)
    else:
        out["declared_link"] = False
    if "invited_by_vendor_id" in responses.columns:
        out["vendor_invitation"] = (
            (responses["invited_by_vendor_id"] == responses["vendor_id"]).fillna(False).astype(bool)
        )
    else:
        out["vendor_invitation"] = False
    out["flag"] = out["vendor_domain"] | out["declared_link"] | out["vendor_invitation"]
    return out
