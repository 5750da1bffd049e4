"""Site search (/recherche/): tools, vendors and the site's pages (expert reviews, articles, methodology)."""

import re

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms import localized
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
        pages = _pages_in_reading_language(backend, words)
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


def _pages_in_reading_language(backend, words):
    """Return the pages matching `words`, each once, in the reader's language where translated.

    Both the reader's language and the originals are searched: a page found in either is shown in the
    reader's language when it has a live translation, else as its original.
    """
    active, default = localized.locale_id(), localized.locale_id(settings.LANGUAGE_CODE)
    public = Page.objects.live().public().exclude(depth__lte=2)
    found = list(
        backend.search(words, public.filter(locale_id__in={active, default}).specific())[: 2 * PER_SECTION]
    )
    keys = list(dict.fromkeys(page.translation_key for page in found))[:PER_SECTION]
    shown = {page.translation_key: page for page in found if page.locale_id == default}
    shown |= {page.translation_key: page for page in found if page.locale_id == active}
    shown |= {
        page.translation_key: page
        for page in public.filter(translation_key__in=keys, locale_id=active).specific()
    }
    return [shown[key] for key in keys]
