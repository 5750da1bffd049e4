"""Side-by-side comparison of 2 to 4 tools, facet by facet."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analytics import charts, published
from analytics.core.subgroups import GLOBAL
from analytics.published.cache import names_key, remember
from analytics.published.subgroups import profile_choices, subgroup_scores
from cms.catalogue import catalogue_version
from cms.reports.comparison import compare_pairs
from cms.subgroups import chosen_profile
from ratings.models import Facet, Product

MAX_COMPARED = 4


def compare(request):
    asked = [s for s in request.GET.getlist("p") if s]
    unique = list(dict.fromkeys(asked))
    found = {
        p.slug: p
        for p in Product.objects.listed().filter(slug__in=unique[:50]).select_related("vendor", "category")
    }
    known = [slug for slug in unique if slug in found]
    products = [found[slug] for slug in known[:MAX_COMPARED]]
    left_out = [found[slug].name for slug in known[MAX_COMPARED:]]
    unknown = [slug for slug in unique if slug not in found]
    notices = []
    if unknown:
        notices.append(
            ngettext(
                "No tool is called %(names)s: it was left out.",
                "No tools are called %(names)s: they were left out.",
                len(unknown),
            )
            % {"names": ", ".join(f"« {slug[:60]} »" for slug in unknown[:5])}
        )
    if left_out:
        notices.append(
            _("At most %(max)s tools are compared at once: %(names)s left out.")
            % {"max": MAX_COMPARED, "names": ", ".join(left_out)}
        )
    profile, profile_error = chosen_profile(request)
    if request.GET and len(products) < 2:
        notices.append(_("Choose between 2 and %(max)s tools to compare.") % {"max": MAX_COMPARED})
    snapshot = published.current_snapshot()
    facet_list = list(Facet.objects.all())
    # Product and facet names are printed in the lines and the chart: a rename is a new key.
    names = {f.slug: f.name for f in facet_list} | {str(p.pk): p.name for p in products}
    key = "compare:{}:{}:{}".format(
        ",".join(str(p.pk) for p in products), names_key(names), profile.key if profile else ""
    )
    figures = remember(snapshot, key, lambda: _comparison(snapshot, products, facet_list, profile))
    return render(
        request,
        "cms/compare.html",
        {
            "products": products,
            "columns": [(p, figures["scores"].get(p.pk)) for p in products],
            "global_cells": figures["global_cells"],
            "share_rows": _share_rows(products, figures["scores"]),
            "profiles": profile_choices(),
            "profile": profile,
            "profile_error": profile_error,
            "global_lines": figures["lines"].get("global", []),
            "facet_rows": [
                (
                    facet,
                    [figures["cells"].get((p.pk, facet.slug)) for p in products],
                    figures["lines"].get(facet.slug, []),
                )
                for facet in facet_list
            ],
            "all_products": Product.objects.listed().select_related("category").order_by("category", "name"),
            "selected": [p.slug for p in products],
            "selected_key": ",".join(str(p.pk) for p in products),
            "catalogue_version": catalogue_version(),
            "notices": notices,
            "max_compared": MAX_COMPARED,
            "snapshot": snapshot,
            "chart": figures["chart"],
        },
    )


def _global_values(snapshot, products, scores):
    """(name, published global score G or None, its standard error) of each product, for the §6 lines."""
    alpha = snapshot.alpha if snapshot else 0.0
    values = []
    for p in products:
        score = scores.get(p.pk)
        shown = score is not None and score.is_shown and score.display_score is not None
        se = None
        if shown and score.se is not None:
            se = score.se * (1 - alpha) if score.expert_score is not None else score.se
        values.append((p.name, score.display_score if shown else None, se))
    return values


def _share_rows(products, scores):
    """§10's shares of the compared tools: [(label, [Share or None per tool])]."""
    shares = [scores[p.pk].contract_shares if p.pk in scores else None for p in products]
    return [
        (label, [row[i] if row else None for row in shares])
        for i, (_name, label) in enumerate(published.SHARES)
    ]


def _cell(score=None, low=None, high=None, limited=False, n=None):
    """One tool's global score on the page; n None: fewer than the minimum of doctors of the profile."""
    return {"score": score, "low": low, "high": high, "limited": limited, "n": n}


def _comparison(snapshot, products, facet_list, profile=None):
    """The figures, §6 lines and chart of one comparison, drawn once per snapshot (analytics.published.cache).

    With a profile (§10), the global and facet rows are that subgroup's doctors' scores, and the lines
    compare them; the chart, drawn from every doctor's answers, is left out.
    """
    scores = published.product_scores(snapshot, products)
    if profile is None:
        facets = published.facet_scores(snapshot, [p.pk for p in products])
        cells = {(cell.product_id, cell.facet): cell for rows in facets.values() for cell in rows}
        global_cells = [
            _cell(s.display_score, s.display_ci_low, s.display_ci_high, s.is_limited, s.n_respondents)
            if s and s.is_shown
            else _cell(n=s.n_respondents if s else 0)
            for s in (scores.get(p.pk) for p in products)
        ]
        global_values = _global_values(snapshot, products, scores)
    else:
        sub = subgroup_scores(snapshot, [p.pk for p in products], profile.dimension, profile.value)
        measures = {pid: levels.get(profile.value, {}) for pid, levels in sub.items()}
        cells = {(pid, m): f for pid, by in measures.items() for m, f in by.items() if m != GLOBAL}
        mine = [measures[p.pk].get(GLOBAL) for p in products]
        global_cells = [
            _cell(f.score, f.ci_low, f.ci_high, f.is_limited, f.n) if f else _cell() for f in mine
        ]
        global_values = [
            (p.name, f.score if f else None, f.se if f else None) for p, f in zip(products, mine, strict=True)
        ]
    lines = {}
    if len(products) >= 2:
        lines["global"] = compare_pairs(global_values, _("the global score"))
        for facet in facet_list:
            values = []
            for p in products:
                cell = cells.get((p.pk, facet.slug))
                shown = cell is not None and cell.is_shown
                values.append((p.name, cell.score if shown else None, cell.se if shown else None))
            lines[facet.slug] = compare_pairs(values, facet.name)
    return {
        "scores": scores,
        "cells": cells,
        "global_cells": global_cells,
        "lines": lines,
        "chart": charts.comparison_chart(products, facets) if profile is None else None,
    }
