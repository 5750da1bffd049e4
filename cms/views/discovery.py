"""What tells search engines, feed readers and other sites about the site: robots.txt and the score badges."""

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from analytics import published
from cms.badges import build_badge, render_badge
from ratings.models import Product

BADGE_CACHE_SECONDS = 24 * 3600  # the key names the snapshot: a recompute makes new badges at once
BADGE_MAX_AGE = 3600


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(
        render_to_string("cms/discovery/robots.txt", {"sitemap": sitemap}),
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def badge(request, slug):
    """The SVG badge of a listed product, cached per score snapshot and language."""
    product = get_object_or_404(Product.objects.listed(), slug=slug)
    snapshot = published.current_snapshot()
    key = f"badge:{snapshot.pk if snapshot else 0}:{product.pk}:{get_language()}"
    svg = cache.get(key)
    if svg is None:
        figures = published.product_score(snapshot, product) if snapshot else None
        svg = render_badge(
            build_badge(product, figures, snapshot, request.build_absolute_uri(product.get_absolute_url()))
        )
        cache.set(key, svg, BADGE_CACHE_SECONDS)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={BADGE_MAX_AGE}"
    # Other sites show it in an <img>: allow that, but nothing inside it runs.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
