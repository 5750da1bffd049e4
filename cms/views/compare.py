"""Side-by-side comparison of 2 to 4 tools, facet by facet."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analytics import charts, published
from analytics.published.cache import names_key, remember
from cms.catalogue import catalogue_version
from cms.reports.comparison import compare_pairs
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
    if request.GET and len(products) < 2:
        notices.append(_("Choose between 2 and %(max)s tools to compare.") % {"max": MAX_COMPARED})
    snapshot = published.current_snapshot()
    facet_list = list(Facet.objects.all())
    # Product and facet names are printed in the lines and the chart: a rename is a new key.
    names = {f.slug: f.name for f in facet_list} | {str(p.pk): p.name for p in products}
    key = "compare:{}:{}".format(",".join(str(p.pk) for p in products), names_key(names))
    figures = remember(snapshot, key, lambda: _comparison(snapshot, products, facet_list))
    return render(
        request,
        "cms/compare.html",
        {
            "products": products,
            "columns": [(p, figures["scores"].get(p.pk)) for p in products],
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


def _comparison(snapshot, products, facet_list):
    """The figures, §6 lines and chart of one comparison, drawn once per snapshot (analytics.published.cache)."""
    scores = published.product_scores(snapshot, products)
    facets = published.facet_scores(snapshot, [p.pk for p in products])
    cells = {(cell.product_id, cell.facet): cell for rows in facets.values() for cell in rows}
    lines = {}
    if len(products) >= 2:
        alpha = snapshot.alpha if snapshot else 0.0
        global_values = []
        for p in products:
            score = scores.get(p.pk)
            shown = score is not None and score.is_shown and score.display_score is not None
            se = None
            if shown and score.se is not None:
                se = score.se * (1 - alpha) if score.expert_score is not None else score.se
            global_values.append((p.name, score.display_score if shown else None, se))
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
        "lines": lines,
        "chart": charts.comparison_chart(products, facets),
    }
