"""'For a doctor like me' (METHODOLOGY §10) on the readers' pages.

A reader picks a profile (general practitioners, a practice setting, a region); the page shows that
subgroup's global and facet scores with their intervals, or says why not, and how the subgroup differs
from the other subgroups of the same dimension, tested and worded as §6 compares two products.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from analytics.core.subgroups import GLOBAL
from analytics.published.subgroups import (
    Profile,
    SubgroupFigures,
    parse_profile,
    subgroup_scores,
)
from ratings.models import FACET_SLUGS

from .reports.subgroup_lines import differences

PARAM = "profil"  # the address parameter naming the chosen profile ("?profil=region:84")


@dataclass(frozen=True)
class LikeMe:
    """The chosen profile's figures for one product: `overall` is None when fewer than the minimum answered."""

    profile: Profile
    overall: SubgroupFigures | None
    facets: list[tuple[str, SubgroupFigures | None]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def chosen_profile(request):
    """Return (Profile or None, error message or "") from the request's address."""
    raw = request.GET.get(PARAM, "")
    if not raw:
        return None, ""
    profile = parse_profile(raw)
    return profile, "" if profile else _("This profile does not exist; choose one in the list.")


def like_me(snapshot, product, profile):
    """Return the LikeMe of `product` for `profile` (every level of its dimension read in one query)."""
    levels = subgroup_scores(snapshot, [product.pk], profile.dimension)[product.pk]
    mine = levels.get(profile.value, {})
    return LikeMe(
        profile=profile,
        overall=mine.get(GLOBAL),
        facets=[(facet, mine.get(facet)) for facet in FACET_SLUGS],
        lines=differences(profile, levels) if GLOBAL in mine else [],
    )
