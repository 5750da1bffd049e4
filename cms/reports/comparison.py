"""A product's facets against its category (METHODOLOGY §6): difference, interval, Holm's correction.

The reference of a facet is the precision-weighted mean of the other ranked products of the
category; the difference d = x − x_ref has se = √(se₁² + se_ref²), and the product's facets are
tested together with Holm's step-down correction at 5 %.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import models
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
