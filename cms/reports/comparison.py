"""A product's facets against its category (METHODOLOGY §6): difference, interval, Holm's correction.

The reference of a facet is the precision-weighted mean of the other ranked products of the
category; the difference d = x − x_ref has se = √(se₁² + se_ref²), and the product's facets are
tested together with Holm's step-down correction at 5 %.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from scipy import stats

from .formatting import signed_number

# Family-wise error rate of the facets of one product (§6).
FAMILY_ALPHA = 0.05
# The difference's interval is the plain 95 % interval the sentence prints.
INTERVAL_LEVEL = 0.95


class Verdict(models.TextChoices):
    HIGHER = "higher", _("rated higher than the category")
    LOWER = "lower", _("rated lower than the category")
    TIED = "tied", _("cannot be told apart from the category")
    NOT_ENOUGH = "not_enough", _("not enough answers")


@dataclass(frozen=True)
class Reference:
    """The precision-weighted mean of a facet over the other ranked products, with its variance."""

    score: float
    variance: float
    n_products: int


@dataclass(frozen=True)
class Comparison:
    facet: str
    verdict: str
    reference: float | None = None
    difference: float | None = None
    difference_low: float | None = None
    difference_high: float | None = None
    p_value: float | None = None
    p_holm: float | None = None


def reference(others):
    """Return the Reference of (score, variance) pairs, or None without a usable one."""
    cells = [(x, v) for x, v in others if x is not None and v is not None and v > 0]
    if not cells:
        return None
    x = np.array([c[0] for c in cells], dtype=float)
    precision = 1.0 / np.array([c[1] for c in cells], dtype=float)
    return Reference(
        score=float(np.sum(precision * x) / np.sum(precision)),
        variance=float(1.0 / np.sum(precision)),
        n_products=len(cells),
    )


def holm(p_values):
    """Return Holm's adjusted p-values (step-down, monotone, capped at 1), in the given order."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    result = np.empty(m)
    result[order] = adjusted
    return result


def compare_facets(product_cells, references):
    """Return a Comparison per facet of `product_cells` ({facet: (score, variance)}), in its order.

    `references` is {facet: Reference or None}; a facet without a product score, a variance or a
    reference is "not enough answers".
    """
    z = stats.norm.ppf(0.5 + INTERVAL_LEVEL / 2)
    tested = {}
    for facet, (score, variance) in product_cells.items():
        ref = references.get(facet)
        if score is None or variance is None or ref is None:
            continue
        d = score - ref.score
        se = float(np.sqrt(variance + ref.variance))
        p = float(2 * stats.norm.sf(abs(d) / se)) if se > 0 else (0.0 if d else 1.0)
        tested[facet] = (ref.score, d, se, p)
    adjusted = dict(zip(tested, holm([t[3] for t in tested.values()]), strict=True))
    result = []
    for facet in product_cells:
        if facet not in tested:
            result.append(Comparison(facet=facet, verdict=Verdict.NOT_ENOUGH))
            continue
        ref_score, d, se, p = tested[facet]
        p_holm = float(adjusted[facet])
        if p_holm <= FAMILY_ALPHA:
            verdict = Verdict.HIGHER if d > 0 else Verdict.LOWER
        else:
            verdict = Verdict.TIED
        result.append(
            Comparison(
                facet=facet,
                verdict=verdict,
                reference=ref_score,
                difference=d,
                difference_low=d - z * se,
                difference_high=d + z * se,
                p_value=p,
                p_holm=p_holm,
            )
        )
    return result


def sentence(comparison, facet_name):
    """Return the plain-language line of §6 for one facet."""
    values = {"facet": facet_name}
    if comparison.verdict in (Verdict.HIGHER, Verdict.LOWER):
        values.update(
            d=signed_number(comparison.difference, 1),
            low=signed_number(comparison.difference_low, 1),
            high=signed_number(comparison.difference_high, 1),
        )
        if comparison.verdict == Verdict.HIGHER:
            return (
                _(
                    "rated higher than the category on %(facet)s (difference %(d)s, 95 %% interval %(low)s to %(high)s)"
                )
                % values
            )
        return (
            _(
                "rated lower than the category on %(facet)s (difference %(d)s, 95 %% interval %(low)s to %(high)s)"
            )
            % values
        )
    if comparison.verdict == Verdict.TIED:
        return _("cannot be told apart from the category on %(facet)s") % values
    return _("not enough answers on %(facet)s") % values


@dataclass(frozen=True)
class PairLine:
    """One pair of tools on one row of the comparison page (§6): who is higher, or tied, or not enough."""

    first: str
    second: str
    verdict: str
    difference: float | None = None
    difference_low: float | None = None
    difference_high: float | None = None
    p_holm: float | None = None
    sentence: str = ""


def compare_pairs(values, row_name):
    """Return the §6 lines of one row: `values` is [(tool name, score or None, se or None)] in page order.

    Every pair is tested (d = x1 - x2, se = sqrt(se1² + se2²)) with Holm's correction over the row's
    k(k-1)/2 pairs at 5 %; a pair where a side has no score (fewer than 5 answers) says so instead.
    """
    z = stats.norm.ppf(0.5 + INTERVAL_LEVEL / 2)
    pairs = [(i, j) for i in range(len(values)) for j in range(i + 1, len(values))]
    tested = []
    for i, j in pairs:
        (_, x_a, se_a), (_, x_b, se_b) = values[i], values[j]
        if None in (x_a, se_a, x_b, se_b):
            continue
        d = x_a - x_b
        se = float(np.sqrt(se_a**2 + se_b**2))
        p = float(2 * stats.norm.sf(abs(d) / se)) if se > 0 else (0.0 if d else 1.0)
        tested.append(((i, j), d, se, p))
    adjusted = holm([t[3] for t in tested])
    results = {
        pair: (d, se, float(p_holm)) for (pair, d, se, _p), p_holm in zip(tested, adjusted, strict=True)
    }
    lines = []
    for i, j in pairs:
        (name_a, _, _), (name_b, x_b, se_b) = values[i], values[j]
        if (i, j) not in results:
            missing = name_b if x_b is None or se_b is None else name_a
            text = gettext("not enough answers on %(row)s for %(tool)s") % {"row": row_name, "tool": missing}
            lines.append(PairLine(name_a, name_b, Verdict.NOT_ENOUGH, sentence=text))
            continue
        d, se, p_holm = results[i, j]
        if p_holm > FAMILY_ALPHA:
            text = gettext("%(a)s and %(b)s cannot be told apart on %(row)s") % {
                "a": name_a,
                "b": name_b,
                "row": row_name,
            }
            lines.append(PairLine(name_a, name_b, Verdict.TIED, d, d - z * se, d + z * se, p_holm, text))
            continue
        if d < 0:  # the higher-rated tool is named first
            name_a, name_b, d = name_b, name_a, -d
        text = gettext(
            "%(a)s is rated higher than %(b)s on %(row)s (difference %(d)s, 95 %% interval %(low)s to %(high)s)"
        ) % {
            "a": name_a,
            "b": name_b,
            "row": row_name,
            "d": signed_number(d, 1),
            "low": signed_number(d - z * se, 1),
            "high": signed_number(d + z * se, 1),
        }
        lines.append(PairLine(name_a, name_b, Verdict.HIGHER, d, d - z * se, d + z * se, p_holm, text))
    return lines
