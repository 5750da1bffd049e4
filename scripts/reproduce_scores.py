#!/usr/bin/env python3
"""Recompute every published score of a campaign from its open data, and say how far the site's figures are.

    python reproduce_scores.py FOLDER_OR_URL [--tolerance 1e-6]

FOLDER_OR_URL is a campaign's open-data folder (scores.csv, sufficient_statistics.csv and
methodology.json) or the address those files are downloaded from (e.g.
https://<site>/donnees/automne-2026/). Needs Python 3.10+, pandas and scipy, nothing else.

For every row of sufficient_statistics.csv (one product x measure), from the weighted sums:
  ybar = sum_wy / sum_w, ybar2 = sum_wy2 / sum_w, n_eff = sum_w^2 / sum_w2,
  the 95 % "Dirichlet-Beta" interval of the methodology (§4): prior pseudo-counts a over the levels,
  A = n_eff + sum(a), m = (n_eff*ybar + sum(a*s)) / A, M2 = (n_eff*ybar2 + sum(a*s^2)) / A,
  V = (M2 - m^2) / (A + 1), a Beta of mean (m - L)/(U - L) and variance V/(U - L)^2, its 2.5 and 97.5
  percentiles, widened to contain ybar (and [.., U] when every answer is U, [L, ..] when every one is L);
  on `global` rows the published score G = alpha*e + (1 - alpha)*ybar with its interval shifted alike
  when an expert score e is published (§5).
Rows of subgroup_statistics.csv (scores within a subgroup of doctors), when the folder has it, are
recomputed from their own sums the same way and compared with their score, ci_low and ci_high.
It compares them, and each row's n, with the doctor_*, global_*, <facet>_* and count columns of
scores.csv (a figure shown there without its sums counts as a failure), prints the largest difference,
and exits with 1 when it is above the tolerance (a figure of scores.csv has 6 decimals).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats


def read(source: str, name: str) -> bytes:
    if source.startswith(("http://", "https://")):
        url = source.rstrip("/") + "/" + name
        # The user names the site to read from (http or https only, checked above).
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310  # nosec B310
            return response.read()
    return (Path(source) / name).read_bytes()


def interval(sums: pd.DataFrame, method: dict) -> pd.DataFrame:
    """Mean and 95 % interval of each row of sufficient statistics (vectorised over the rows)."""
    levels = np.asarray(method["levels"], dtype=float)
    prior = np.asarray(method["prior_pseudo_counts"], dtype=float)
    low_level, high_level = levels.min(), levels.max()
    sw, sw2 = sums["sum_w"].to_numpy(float), sums["sum_w2"].to_numpy(float)
    ybar = sums["sum_wy"].to_numpy(float) / sw
    ybar2 = sums["sum_wy2"].to_numpy(float) / sw
    n_eff = sw**2 / sw2
    big_a = n_eff + prior.sum()
    m = (n_eff * ybar + (prior * levels).sum()) / big_a
    m2 = (n_eff * ybar2 + (prior * levels**2).sum()) / big_a
    v = np.maximum(m2 - m**2, 0.0) / (big_a + 1.0)
    span = high_level - low_level
    u, var = (m - low_level) / span, v / span**2
    kappa = u * (1 - u) / var - 1
    tail = (1 - method["confidence"]) / 2
    low = low_level + span * stats.beta.ppf(tail, u * kappa, (1 - u) * kappa)
    high = low_level + span * stats.beta.ppf(1 - tail, u * kappa, (1 - u) * kappa)
    low, high = np.minimum(low, ybar), np.maximum(high, ybar)
    # y <= U for every answer, so ybar = U only when every answer is U (and likewise for L).
    high = np.where(np.isclose(ybar, high_level, rtol=0, atol=1e-12), high_level, high)
    low = np.where(np.isclose(ybar, low_level, rtol=0, atol=1e-12), low_level, low)
    return pd.DataFrame({"score": ybar, "ci_low": low, "ci_high": high}, index=sums.index)


def recompute(source: str) -> pd.DataFrame:
    """Return one row per compared figure: product, column, published, recomputed, difference."""
    scores = pd.read_csv(io.BytesIO(read(source, "scores.csv")), dtype={"product": str})
    sums = pd.read_csv(io.BytesIO(read(source, "sufficient_statistics.csv")), dtype={"product": str})
    method = json.loads(read(source, "methodology.json"))
    computed = pd.concat(
        [sums[["product", "measure", "n", "expert_score", "alpha"]], interval(sums, method)], axis=1
    )
    published = scores.set_index("product")
    out = []
    for row in computed.itertuples(index=False):
        if row.measure == "global":
            figures = {"doctor_score": row.score, "doctor_ci_low": row.ci_low, "doctor_ci_high": row.ci_high}
            # G = alpha*e + (1 - alpha)*mu, the interval shifted alike; no expert score: G = mu (§5).
            e, alpha = (row.expert_score, row.alpha) if pd.notna(row.expert_score) else (0.0, 0.0)
            figures |= {
                f"global_{name}": alpha * e + (1 - alpha) * value
                for name, value in (("score", row.score), ("ci_low", row.ci_low), ("ci_high", row.ci_high))
            }
        else:
            figures = {f"{row.measure}_score": row.score, f"{row.measure}_ci_low": row.ci_low,
                       f"{row.measure}_ci_high": row.ci_high}  # fmt: skip
        count = "n_respondents" if row.measure == "global" else f"{row.measure}_n"
        figures[count] = row.n
        for column, value in figures.items():
            shown = published.at[row.product, column]
            out.append((row.product, column, shown, value, abs(shown - value) if pd.notna(shown) else np.inf))
    # Every figure scores.csv shows must have been recomputed: one without its sums is a failure too.
    checked = {(product, column) for product, column, *_ in out}
    figure_columns = [c for c in published.columns if c.startswith(("doctor_", "global_")) or c.endswith(
        ("_score", "_ci_low", "_ci_high")) and c != "expert_score"]  # fmt: skip
    for product, values in published[figure_columns].iterrows():
        for column, shown in values.items():
            if pd.notna(shown) and (product, column) not in checked:
                out.append((product, column, shown, np.nan, np.inf))
    out.extend(_subgroups(source, method))
    return pd.DataFrame(out, columns=["product", "column", "published", "recomputed", "difference"])


def _subgroups(source: str, method: dict) -> list:
    """The subgroup rows (a doctor like me) of subgroup_statistics.csv, each recomputed from its own sums."""
    try:
        content = read(source, "subgroup_statistics.csv")
    except (OSError, ValueError):  # older campaigns' folders have no such file
        return []
    sums = pd.read_csv(io.BytesIO(content), dtype={"product": str, "value": str})
    if sums.empty:
        return []
    computed = interval(sums, method)
    out = []
    for (_, row), (_, mine) in zip(sums.iterrows(), computed.iterrows(), strict=True):
        label = f"{row.dimension}={row.value}/{row.measure}"
        for column in ("score", "ci_low", "ci_high"):
            out.append(
                (
                    row["product"],
                    f"{label} {column}",
                    row[column],
                    mine[column],
                    abs(row[column] - mine[column]),
                )
            )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a campaign's open-data folder or its download address")
    parser.add_argument("--tolerance", type=float, default=1e-6)
    args = parser.parse_args(argv)
    result = recompute(args.source)
    if result.empty:
        print("No figure to check: sufficient_statistics.csv has no row.")
        return 1
    worst = result.loc[result["difference"].idxmax()]
    print(
        f"{len(result)} figures of {result['product'].nunique()} products recomputed; largest difference "
        f"{worst['difference']:.3g} ({worst['product']}, {worst['column']}: published {worst['published']}, "
        f"recomputed {worst['recomputed']:.9f})."
    )
    if worst["difference"] > args.tolerance:
        print(f"Above the tolerance of {args.tolerance:g}: these figures do not match.", file=sys.stderr)
        print(result[result["difference"] > args.tolerance].to_string(index=False), file=sys.stderr)
        return 1
    print(f"Every figure matches within {args.tolerance:g}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
