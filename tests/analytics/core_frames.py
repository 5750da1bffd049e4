"""Small response frames for the analytics core tests (the data contract of `compute_scores`)."""

import numpy as np
import pandas as pd

from analytics.core import FACETS

END = pd.Timestamp("2025-06-30", tz="UTC")


def frame(
    product_id,
    answers,
    *,
    doctor_id=None,
    practice_group="gp",
    campaign_id=1,
    campaign_end=END,
    recommend=np.nan,
    flagged=False,
    category_id=1,
    vendor_id=None,
    region=None,
):
    """Return a responses frame; `answers` is one level per row (all facets) or an (n, 8) array."""
    product_id = np.atleast_1d(np.asarray(product_id, dtype=np.int64))
    answers = np.asarray(answers, dtype=np.float64)
    n = max(product_id.size, answers.shape[0] if answers.ndim else 1)
    product_id = np.broadcast_to(product_id, n)
    if answers.ndim < 2:
        answers = np.repeat(np.broadcast_to(answers, n)[:, None], len(FACETS), axis=1)
    out = pd.DataFrame(
        {
            "doctor_id": np.arange(1, n + 1) if doctor_id is None else np.broadcast_to(doctor_id, n),
            "product_id": product_id,
            "campaign_id": np.broadcast_to(campaign_id, n),
            "vendor_id": product_id if vendor_id is None else np.broadcast_to(vendor_id, n),
            "category_id": np.broadcast_to(category_id, n),
        }
    ).astype(np.int64)
    ends = pd.Series(pd.to_datetime(np.broadcast_to(np.asarray(campaign_end, dtype=object), n), utc=True))
    out["campaign_end"] = ends
    out["submitted_at"] = ends - pd.Timedelta(days=2)
    out["practice_group"] = np.broadcast_to(np.asarray(practice_group, dtype=object), n)
    out["region"] = np.broadcast_to(np.asarray(region, dtype=object), n)
    for f, name in enumerate(FACETS):
        out[name] = answers[:, f]
    out["recommend"] = np.broadcast_to(np.asarray(recommend, dtype=np.float64), n)
    out["flagged"] = np.broadcast_to(np.asarray(flagged, dtype=bool), n)
    return out


def concat(*frames):
    """Concatenate frames, renumbering doctors so that each frame has its own doctors."""
    parts, offset = [], 0
    for part in frames:
        part = part.copy()
        part["doctor_id"] = part["doctor_id"] + offset
        offset = int(part["doctor_id"].max())
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
