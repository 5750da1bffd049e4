"""The §6 lines between subgroups of doctors of one product (METHODOLOGY §10): "general practitioners rate it
higher than specialists (difference +0.4, 95 % interval +0.2 to +0.6)", or "cannot be told apart"."""

from __future__ import annotations

import numpy as np
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from scipy import stats

from analytics.core.subgroups import GLOBAL
from analytics.published.subgroups import level_labels

from .comparison import FAMILY_ALPHA, INTERVAL_LEVEL, holm
from .formatting import signed_number


def differences(profile, levels):
    """Return the §6 lines comparing the profile's global score with each other level that has one.

    d = x1 - x2, se = sqrt(se1² + se2²), Holm's correction over the comparisons at 5 %; the group rated
    higher is named first.
    """
    labels = level_labels(profile.dimension)
    mine = levels[profile.value][GLOBAL]
    return _lines(
        (profile.label, mine, labels.get(value, value), measures[GLOBAL])
        for value, measures in sorted(levels.items())
        if value != profile.value and GLOBAL in measures
    )


def all_differences(dimension, levels):
    """Return the §6 lines of every pair of levels of `dimension` with a global score (Holm over the pairs)."""
    labels = level_labels(dimension)
    shown = [(value, measures[GLOBAL]) for value, measures in sorted(levels.items()) if GLOBAL in measures]
    return _lines(
        (labels.get(a, a), fig_a, labels.get(b, b), fig_b)
        for i, (a, fig_a) in enumerate(shown)
        for b, fig_b in shown[i + 1 :]
    )


def _lines(pairs):
    """The §6 sentence of each (label, figures, label, figures) pair, tested together with Holm's correction."""
    z = stats.norm.ppf(0.5 + INTERVAL_LEVEL / 2)
    tests = []
    for a, fig_a, b, fig_b in pairs:
        if not (fig_a.se and fig_b.se):
            continue
        d = fig_a.score - fig_b.score
        se = float(np.sqrt(fig_a.variance + fig_b.variance))
        tests.append((str(a), str(b), d, se, float(2 * stats.norm.sf(abs(d) / se))))
    lines = []
    for (a, b, d, se, _p), p_holm in zip(tests, holm([t[4] for t in tests]), strict=True):
        if p_holm > FAMILY_ALPHA:
            lines.append(
                capfirst(_("%(a)s and %(b)s cannot be told apart on the global score") % {"a": a, "b": b})
            )
            continue
        if d < 0:
            a, b, d = b, a, -d
        lines.append(
            capfirst(
                _("%(a)s rate it higher than %(b)s (difference %(d)s, 95 %% interval %(low)s to %(high)s)")
                % {
                    "a": a,
                    "b": b,
                    "d": signed_number(d, 2),
                    "low": signed_number(d - z * se, 2),
                    "high": signed_number(d + z * se, 2),
                }
            )
        )
    return lines
