"""Rankings per category (METHODOLOGY §6), read from the published snapshot."""

from django.shortcuts import get_object_or_404, render

from analytics import published
from ratings.models import Category, Product


def rankings(request):
    snapshot = published.current_snapshot()
    products = Product.objects.listed().select_related("vendor", "category")
    return render(
        request,
        "cms/rankings.html",
        {"sections": published.rankings(snapshot, products), "snapshot": snapshot},
    )


def category_ranking(request, slug):
    """One category's ranking, at a URL of its own."""
    category = get_object_or_404(Category, slug=slug)
    snapshot = published.current_snapshot()
    products = Product.objects.listed().filter(category=category).select_related("vendor", "category")
    sections = published.rankings(snapshot, products)
    return render(
        request,
        "cms/category_ranking.html",
        {"category": category, "section": sections[0] if sections else None, "snapshot": snapshot},
    )
