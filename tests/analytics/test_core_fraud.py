"""Fraud and quality signals (METHODOLOGY §7), each on a constructed positive and negative case."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analytics.core import FACETS, Params, compute_scores
from analytics.core.fraud import (
    burst_flags,
    fresh_account_flags,
    outlier_flags,
    shared_network_flags,
    straight_lining_flags,
    vendor_domain_flags,
    vendor_link_flags,
)

from .core_frames import concat, frame

AS_OF = pd.Timestamp("2025-06-30 12:00", tz="UTC")


def _submissions(product_id, days_ago, category_id=1):
    days_ago = np.asarray(days_ago, dtype=float)
    return pd.DataFrame(
        {
            "product_id": product_id,
            "category_id": category_id,
            "submitted_at": AS_OF - pd.to_timedelta(days_ago, unit="D"),
        }
    )


def _baseline(product_id, per_day, category_id=1):
    """`per_day` responses a day over the 90 days before the 7-day window."""
    return _submissions(product_id, np.repeat(np.arange(7.5, 97.5), per_day), category_id)


def _in_window(product_id, count, category_id=1):
    return _submissions(product_id, np.linspace(0.1, 6.9, count), category_id)


def test_burst_threshold_is_the_poisson_tail():
    # Baseline 1 a day: expected 7 in a week. The smallest count with P(X >= x; 7) < 1e-3, from scipy:
    threshold = next(x for x in range(1, 100) if stats.poisson.sf(x - 1, 7.0) < 1e-3)
    data = pd.concat(
        [_baseline(1, 1), _in_window(1, threshold), _baseline(2, 1), _in_window(2, threshold - 1)],
        ignore_index=True,
    )
    flags = burst_flags(data, AS_OF)
    assert flags.loc[1, "count"] == threshold and flags.loc[1, "expected"] == pytest.approx(7.0)
    assert flags.loc[1, "p_value"] == pytest.approx(stats.poisson.sf(threshold - 1, 7.0))
    assert flags.loc[1, "flag"] and not flags.loc[2, "flag"]


def test_burst_needs_at_least_ten_responses():
    # No history at all: the probability is tiny, but 9 responses are not a burst.
    data = pd.concat([_in_window(1, 9), _in_window(2, 10)], ignore_index=True)
    flags = burst_flags(data, AS_OF)
    assert flags.loc[1, "p_value"] < 1e-3 and not flags.loc[1, "flag"]
    assert flags.loc[2, "flag"]


def test_burst_baseline_is_floored_at_the_category_rate():
    # Product 1 has no history, but its category sees 4 a day per product: 25 in a week is normal.
    data = pd.concat([_baseline(2, 8), _in_window(1, 25)], ignore_index=True)
    flags = burst_flags(data, AS_OF)
    assert flags.loc[1, "baseline_rate"] == pytest.approx(4.0)
    assert flags.loc[1, "p_value"] == pytest.approx(stats.poisson.sf(24, 28.0))
    assert not flags.loc[1, "flag"]


def _answers(n, straight):
    """n responses, the first `straight` all 4 on every facet, the others varied."""
    rows = np.tile(np.array([[4, 3, 5, 4, 2, 4, 3, 5]], dtype=float), (n, 1))
    rows[:straight] = 4.0
    return rows


def test_straight_lining_against_the_category_share():
    data = concat(
        frame(1, _answers(40, 16), category_id=1),  # 40% straight
        frame(2, _answers(100, 5), category_id=1),
        frame(3, _answers(100, 5), category_id=1),
        frame(4, _answers(100, 10), category_id=1),
    )
    flags = straight_lining_flags(data)
    share = 36 / 340
    assert flags.loc[1, "category_share"] == pytest.approx(share)
    assert flags.loc[1, "p_value"] == pytest.approx(stats.binom.sf(15, 40, share))
    assert flags.loc[1, "flag"]
    assert not flags.loc[[2, 3, 4], "flag"].any()


def test_straight_lining_needs_five_answered_facets_and_a_significant_excess():
    few = _answers(20, 20)
    few[:, 4:] = np.nan  # 4 answered facets: never straight-lining
    data = concat(frame(1, few), frame(2, _answers(30, 3)), frame(3, _answers(30, 2)))
    flags = straight_lining_flags(data)
    assert flags.loc[1, "straight"] == 0 and not flags.loc[1, "flag"]
    # Product 2: 10% against a category share of 5/80, ratio 1.6 < 2.
    assert not flags.loc[2, "flag"]


def test_fresh_accounts():
    base = frame([1, 1, 1, 1, 2], [5, 5, 1, 5, 5], doctor_id=[1, 2, 3, 4, 4])
    base["submitted_at"] = AS_OF
    base["account_created_at"] = AS_OF - pd.to_timedelta([10, 72, 20, 5, 5], unit="h")
    mixed = base.iloc[[0]].copy()
    mixed[list(FACETS)] = [5, 5, 5, 5, 1, 5, 5, 5]
    mixed["doctor_id"] = 5
    data = pd.concat([base, mixed], ignore_index=True)
    flags = fresh_account_flags(data)
    # doctor 1: fresh, single product, all 5 -> flagged; doctor 2: account 72 h old; doctor 3: all 1,
    # fresh -> flagged; doctor 4 rated two products; doctor 5's answers are mixed.
    assert flags.tolist() == [True, False, True, False, False, False]


def test_outliers_beyond_three_mad():
    g = np.array([4.0, 4.1, 3.9, 4.2, 3.8, 4.0, 4.1, 3.9, 4.0, 4.2, 1.0])
    data = pd.DataFrame({"product_id": 1, "g": g})
    data = pd.concat([data, pd.DataFrame({"product_id": 2, "g": g[-9:]})], ignore_index=True)
    flags = outlier_flags(data)
    median = np.median(g)
    mad = np.median(np.abs(g - median))
    assert flags[:11].tolist() == list(np.abs(g - median) > 3 * mad)
    assert flags[:11].sum() == 1 and flags[10]
    assert not flags[11:].any()  # fewer than 10 responses: not examined


def test_shared_network_prefix_or_fingerprint():
    data = pd.DataFrame(
        {
            "product_id": [1, 1, 1, 1, 2, 2, 3, 3, 3],
            "doctor_id": [1, 2, 3, 4, 5, 6, 7, 8, 9],
            "network_prefix": ["10.0.1", "10.0.1", "10.0.1", "10.9.9", "10.0.1", "10.0.1", None, None, None],
            "fingerprint": ["a", "b", "c", "d", "e", "e", "z", "z", "z"],
        }
    )
    flags = shared_network_flags(data)
    assert flags["shared_network"].tolist() == [True, True, True, False, False, False, False, False, False]
    assert flags["shared_fingerprint"].tolist() == [False] * 6 + [True] * 3
    assert flags["flag"].tolist() == [True, True, True, False, False, False, True, True, True]


def test_vendor_email_domain_and_other_links():
    data = pd.DataFrame(
        {
            "doctor_id": [1, 2, 3, 4, 5, 6],
            "vendor_id": [1, 1, 2, 1, 1, 2],
            "email": [
                "a@Doctolib.fr",
                "b@mail.doctolib.fr",
                "c@doctolib.fr",
                "d@notdoctolib.fr",
                None,
                "f@x.fr",
            ],
            "invited_by_vendor_id": [None, None, None, None, None, 2],
        }
    )
    domains = pd.DataFrame({"vendor_id": [1], "domain": ["doctolib.fr"]})
    assert vendor_domain_flags(data, domains).tolist() == [True, True, False, False, False, False]
    links = vendor_link_flags(data, domains, pd.DataFrame({"doctor_id": [3], "vendor_id": [2]}))
    assert links["declared_link"].tolist() == [False, False, True, False, False, False]
    assert links["vendor_invitation"].tolist() == [False] * 5 + [True]
    assert links["flag"].tolist() == [True, True, True, False, False, True]


def test_sensitivity_escalates_when_flagged_responses_move_the_score():
    honest = frame(1, [3] * 30)
    planted = frame(1, [5] * 10, flagged=True)
    few = frame(2, [3] * 30, flagged=[True] + [False] * 29)
    p = compute_scores(concat(honest, planted, few), params=Params(margins={})).products
    assert p.loc[1, "n_flagged"] == 10
    assert p.loc[1, "score_without_flagged"] == pytest.approx(3.0)
    assert p.loc[1, "doctor_score"] == pytest.approx(3.5)
    assert p.loc[1, "escalate"]
    assert p.loc[2, "n_flagged"] == 1 and not p.loc[2, "escalate"]
