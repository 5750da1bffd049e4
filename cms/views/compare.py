"""Side-by-side comparison of 2 to 4 tools, facet by facet."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from analytics import charts, published
from ratings.models import Facet, Product

MAX_COMPARED = 4


def compare(request):
    slugs = [s for s in request.GET.getlist("p") if s][:MAX_COMPARED]
    products = list(Product.objects.listed().filter(slug__in=slugs).select_related("vendor", "category"))
    products.sort(key=lambda p: slugs.index(p.slug))
    error = None
    if request.GET and len(products) < 2:
        error = _("Choose between 2 and %(max)s tools to compare.") % {"max": MAX_COMPARED}
    snapshot = published.current_snapshot()
    scores = published.product_scores(snapshot, products)
    facets = published.facet_scores(snapshot, [p.pk for p in products])
    cells = {(cell.product_id, cell.facet): cell for rows in facets.values() for cell in rows}
    return render(
        request,
        "cms/compare.html",
        {
            "products": products,
            "columns": [(p, scores.get(p.pk)) for p in products],
            "facet_rows": [
                (facet, [cells.get((p.pk, facet.slug)) for p in products]) for facet in Facet.objects.all()
            ],
            "all_products": Product.objects.listed().select_related("category").order_by("category", "name"),
            "selected": slugs,
            "error": error,
            "max_compared": MAX_COMPARED,
            "snapshot": snapshot,
            "chart": charts.comparison_chart(products, facets),
        },
    )
