"""The catalogue: the filtered list of tools, a tool's page and a vendor's page."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from analytics import charts, published
from analytics.published.cache import names_key, remember
from analytics.published.subgroups import profile_choices
from analytics.published.switching import flows_into
from cms import localized, subgroups
from cms.catalogue import DEFAULT_SORT, PER_PAGE, SORTS, CatalogueFilterSet, catalogue_version
from cms.models import ExpertReviewPage
from ratings.models import Facet, Product, Vendor
from surveys.models import Response

COMMENTS_PER_PAGE = 10


def product_list(request):
    snapshot = published.current_snapshot()
    products = published.with_scores(
        Product.objects.listed().select_related("vendor", "category", "logo"), snapshot
    )
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
            "filtering": valid and filterset.is_filtering,
            # The filters' form is cached only while empty (cms/product_list.html).
            "filters_cache_seconds": 0 if filterset.is_bound else 86400,
            "catalogue_version": "" if filterset.is_bound else catalogue_version(),
        },
    )


def _product_figures(snapshot, product, facet_names):
    """What the product page shows of the snapshot: figures, history, charts; once per snapshot and language
    (and facet names, which the charts print)."""

    def read():
        score = published.product_score(snapshot, product)
        facets = published.facet_scores(snapshot, [product.pk])[product.pk]
        history = published.score_history(product)
        distributions = published.distributions(snapshot, product) if score and snapshot else {}
        return {
            "score": score,
            "facet_scores": facets,
            "charts": charts.product_charts(score, facets, distributions, history) if snapshot else [],
            "change": published.score_change(snapshot, history),
            "comment_profiles": published.comment_profiles(snapshot, product),
            "flows_in": flows_into(snapshot, product),
        }

    return remember(snapshot, figures_key(snapshot, product, facet_names), read)


def figures_key(snapshot, product, facet_names):
    """What the product's figures and their rendering depend on: the snapshot, the product's last edit (its
    name, logo, characteristics), its vendor's and category's names, the facet names."""
    edited = "-".join(
        str(t.timestamp())
        for t in (product.updated_at, product.vendor.updated_at, product.category.updated_at)
    )
    return f"product:{snapshot.version if snapshot else 0}:{product.pk}:{edited}:{names_key(facet_names)}"


def product_detail(request, slug):
    product = get_object_or_404(
        Product.objects.listed().select_related("vendor", "category", "logo"), slug=slug
    )
    snapshot = published.current_snapshot()
    facet_names = {f.slug: f.name for f in Facet.objects.all()}
    profile, profile_error = subgroups.chosen_profile(request)
    context = {
        "product": product,
        "snapshot": snapshot,
        **_product_figures(snapshot, product, facet_names),
        "figures_key": figures_key(snapshot, product, facet_names),
        "facet_names": facet_names,
        "reviews": localized.in_active_language(
            localized.originals(ExpertReviewPage.objects.live().public().filter(product=product)).order_by(
                "-test_date"
            )
        ),
        "profiles": profile_choices(),
        "profile": profile,
        "profile_error": profile_error,
        "like_me": _like_me(snapshot, product, profile),
        "reply": product.replies.published().first(),
        "comments": Paginator(
            Response.objects.with_published_comment()
            .filter(product=product)
            .select_related("doctor", "campaign")
            .order_by("-submitted_at", "-pk"),
            COMMENTS_PER_PAGE,
        ).get_page(request.GET.get("avis")),
    }
    return render(request, "cms/product_detail.html", context)


def _like_me(snapshot, product, profile):
    """The chosen profile's scores (§10), read once per snapshot, product, profile and language."""
    if profile is None or snapshot is None:
        return None
    return remember(
        snapshot, f"like-me:{product.pk}:{profile.key}", lambda: subgroups.like_me(snapshot, product, profile)
    )


def vendor_detail(request, slug):
    vendor = get_object_or_404(Vendor.objects.select_related("logo"), slug=slug)
    products = vendor.products.listed().select_related("category", "logo")
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
