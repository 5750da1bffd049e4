"""Rankings per category (METHODOLOGY §6), read from the published snapshot."""

from django.shortcuts import render

from analytics import published
from ratings.models import Product


def rankings(request):
    snapshot = published.current_snapshot()
    products = Product.objects.listed().select_related("vendor", "category")
    return render(
        request,
        "cms/rankings.html",
        {"sections": published.rankings(snapshot, products), "snapshot": snapshot},
    )
