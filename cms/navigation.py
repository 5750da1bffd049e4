"""What the site's pages show of the Wagtail pages, read once and then from the cache: the header's section
links (expert reviews, articles, methodology) and the home page's latest reviews and articles.

Every public page shows the sections, and finding them costs a dozen queries (each page, its view
restrictions, its URL); all of it changes only when an editor publishes, unpublishes, moves or deletes a
page, which drops it from the shared cache (`connect()`).
"""

from django.core.cache import cache
from django.db.models.signals import post_delete
from django.utils.translation import get_language
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .models import ArticleIndexPage, ArticlePage, ExpertReviewPage, MethodologyPage, ReviewIndexPage

SECTION_MODELS = (ReviewIndexPage, ArticleIndexPage, MethodologyPage)
LATEST = 3
CACHE_KEY = "published-pages:v1"


def _read(request):
    sections = []
    for model in SECTION_MODELS:
        page = model.objects.live().public().first()
        if page is not None:
            sections.append({"title": page.title, "url": page.get_url(request)})
    reviews = (
        ExpertReviewPage.objects.live()
        .public()
        .select_related("product")
        .order_by("-first_published_at")[:LATEST]
    )
    articles = ArticlePage.objects.live().public().order_by("-date")[:LATEST]
    return {
        "sections": sections,
        "latest_reviews": [
            {"title": r.title, "url": r.get_url(request), "product": r.product.name, "test_date": r.test_date,
             "summary": r.summary}
            for r in reviews
        ],
        "latest_articles": [
            {"title": a.title, "url": a.get_url(request), "date": a.date, "summary": a.summary} for a in articles
        ],
    }  # fmt: skip


def published_pages(request=None):
    """Return {sections, latest_reviews, latest_articles}: lists of dicts with each page's title and URL."""
    memo = getattr(request, "_published_pages", None)  # the header and the home page both ask
    if memo is not None:
        return memo
    key = f"{CACHE_KEY}:{get_language()}"
    pages = cache.get(key)
    if pages is None:
        pages = _read(request)
        cache.set(key, pages, timeout=None)
    if request is not None:
        request._published_pages = pages
    return pages


def site_sections(request=None):
    """Return [{title, url}] of the published section pages, in the header's order."""
    return published_pages(request)["sections"]


def forget_site_sections(**kwargs):
    from django.conf import settings

    cache.delete_many([f"{CACHE_KEY}:{code}" for code, _name in settings.LANGUAGES])


def connect():
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(forget_site_sections, dispatch_uid=f"cms_sections_{signal}")
    post_delete.connect(forget_site_sections, sender=Page, dispatch_uid="cms_sections_deleted")
    for model in SECTION_MODELS:
        post_delete.connect(forget_site_sections, sender=model, dispatch_uid=f"cms_sections_deleted_{model}")
