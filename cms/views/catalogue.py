"""The catalogue: the filtered list of tools, a tool's page and a vendor's page."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from analytics import charts, published
from cms.models import ExpertReviewPage
from ratings.filters import ProductFilterSet
from ratings.models import Category, Facet, Product, Vendor
from surveys.models import Response

COMMENTS_PER_PAGE = 10


def product_list(request):
    products = Product.objects.listed().select_related("vendor", "category")
    filterset = ProductFilterSet(request.GET or None, queryset=products)
    products = filterset.qs if filterset.is_bound and filterset.is_valid() else products
    snapshot = published.current_snapshot()
    scores = published.product_scores(snapshot)
    return render(
        request,
        "cms/product_list.html",
        {
            "filter": filterset,
            "rows": [(product, scores.get(product.pk)) for product in products],
            "snapshot": snapshot,
            "categories": Category.objects.all(),
        },
    )


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
        "charts": charts.product_charts(
            score, facets, published.distributions(snapshot, product) if score else {}, history
        ),
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
