"""Site search (/recherche/): tools, vendors and the site's pages (expert reviews, articles, methodology)."""

import re

from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from ratings.models import Product, Vendor

MAX_QUERY = 200
PER_SECTION = 20


@require_safe
def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY]
    # Words only, lower case: quotes, brackets and AND/OR/NOT would be the full-text engines' own syntax.
    words = " ".join(re.sub(r"[^\w-]+", " ", query).lower().split())
    products = vendors = pages = []
    if words:
        backend = get_search_backend()
        listed = Product.objects.filter(is_listed=True).select_related("vendor", "category")
        products = list(backend.search(words, listed)[:PER_SECTION])
        vendors = list(backend.search(words, Vendor.objects.all())[:PER_SECTION])
        public = Page.objects.live().public().exclude(depth__lte=2).specific()
        pages = list(backend.search(words, public)[:PER_SECTION])
    return render(
        request,
        "cms/search.html",
        {
            "query": query,
            "products": products,
            "vendors": vendors,
            "pages": pages,
            "found": len(products) + len(vendors) + len(pages),
        },  # fmt: skip
    )
