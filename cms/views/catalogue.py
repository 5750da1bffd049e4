"""The catalogue: the filtered list of tools, a tool's page and a vendor's page."""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from analytics import charts, published
from cms.catalogue import DEFAULT_SORT, PER_PAGE, SORTS, CatalogueFilterSet
from cms.models import ExpertReviewPage
from ratings.models import Category, Facet, Product, Vendor
from surveys.models import Response

COMMENTS_PER_PAGE = 10


def product_list(request):
    snapshot = published.current_snapshot()
    products = published.with_scores(Product.objects.listed().select_related("vendor", "category"), snapshot)
    filterset = CatalogueFilterSet(request.GET or None, queryset=products)
    valid = not filterset.is_bound or filterset.is_valid()
    # Invalid values are shown on the form, with every tool listed meanwhile.
    chosen = filterset.qs if valid else products.order_by(*SORTS[DEFAULT_SORT][1])
    page = Paginator(chosen, PER_PAGE).get_page(request.GET.get("page"))
    scores = published.product_scores(snapshot, [p.pk for p in page]) if page.object_list else {}
    return render(
        request,
        "cms/product_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": [(product, scores.get(product.pk)) for product in page],
            "snapshot": snapshot,
            "categories": Category.objects.all(),
            "filtering": valid and filterset.is_filtering,
        },
    )


CHARTS_CACHE_SECONDS = 24 * 3600  # the key names the snapshot: a recompute draws new charts at once


def _product_charts(snapshot, product, score, facets, history):
    """The product page's charts, drawn once per snapshot and language and then read from the cache."""
    if snapshot is None:
        return []
    key = f"product-charts:{snapshot.pk}:{product.pk}:{get_language()}"

    def draw():
        distributions = published.distributions(snapshot, product) if score else {}
        return charts.product_charts(score, facets, distributions, history)

    return cache.get_or_set(key, draw, CHARTS_CACHE_SECONDS)


def product_detail(request, slug):
    product = get_object_or_404(Product.objects.listed().select_related("vendor", "category"), slug=slug)
    snapshot = published.current_snapshot()
    score = published.product_score(snapshot, product)
    facets = published.facet_scores(snapshot, [product.pk])[product.pk]
    history = published.score_history(product)
    context = {
        "product": product,
        "snapshot": snapshot,
        "score": score,
        "facet_scores": facets,
        "facet_names": {f.slug: f.name for f in Facet.objects.all()},
        "reviews": ExpertReviewPage.objects.live().public().filter(product=product).order_by("-test_date"),
        "reply": product.replies.published().first(),
        "charts": _product_charts(snapshot, product, score, facets, history),
        "change": published.score_change(snapshot, history),
        "comment_profiles": published.comment_profiles(snapshot, product),
        "comments": Paginator(
            Response.objects.with_published_comment()
            .filter(product=product)
            .select_related("doctor", "campaign")
            .order_by("-submitted_at", "-pk"),
            COMMENTS_PER_PAGE,
        ).get_page(request.GET.get("avis")),
    }
    return render(request, "cms/product_detail.html", context)


def vendor_detail(request, slug):
    vendor = get_object_or_404(Vendor, slug=slug)
    products = vendor.products.listed().select_related("category")
    snapshot = published.current_snapshot()
    scores = published.product_scores(snapshot, products)
    return render(
        request,
        "cms/vendor_detail.html",
        {
            "vendor": vendor,
            "rows": [(product, scores.get(product.pk)) for product in products],
            "vendor_score": published.vendor_score(snapshot, vendor),
            "snapshot": snapshot,
        },
    )
