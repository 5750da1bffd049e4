"""Rankings per category (METHODOLOGY §6), read from the published snapshot."""

from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject

from analytics import published
from cms.catalogue import catalogue_version
from ratings.models import Category, Product


def rankings(request):
    snapshot = published.current_snapshot()
    products = Product.objects.listed().select_related("vendor", "category")
    # The tables are rendered once per snapshot and catalogue version (the template's cache block): the
    # sections are read only when it misses.
    return render(
        request,
        "cms/rankings.html",
        {
            "sections": SimpleLazyObject(lambda: published.rankings(snapshot, products)),
            "snapshot": snapshot,
            "catalogue_version": catalogue_version(),
        },
    )


def category_ranking(request, slug):
    """One category's ranking, at a URL of its own."""
    category = get_object_or_404(Category, slug=slug)
    snapshot = published.current_snapshot()
    products = Product.objects.listed().filter(category=category).select_related("vendor", "category")
    sections = SimpleLazyObject(lambda: published.rankings(snapshot, products) or [None])
    return render(
        request,
        "cms/category_ranking.html",
        {
            "category": category,
            "sections": sections,
            "snapshot": snapshot,
            "catalogue_version": catalogue_version(),
        },
    )
