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

from . import localized
from .legal import FOOTER_ORDER
from .models import (
    ArticleIndexPage,
    ArticlePage,
    ExpertReviewPage,
    LegalPage,
    MethodologyPage,
    ReviewIndexPage,
)

SECTION_MODELS = (ReviewIndexPage, ArticleIndexPage, MethodologyPage)
LATEST = 3
CACHE_KEY = "published-pages:v2"


def _read(request):
    def listed(queryset, limit=None):
        return localized.in_active_language(localized.originals(queryset.live().public())[:limit])

    def url(page):
        return localized.page_url(page, request)

    sections = []
    for model in SECTION_MODELS:
        for page in listed(model.objects.all(), 1):
            sections.append({"title": page.title, "url": url(page)})
    reviews = listed(
        ExpertReviewPage.objects.select_related("product").order_by("-first_published_at"), LATEST
    )
    articles = listed(ArticlePage.objects.order_by("-date"), LATEST)
    legal = sorted(listed(LegalPage.objects.all()), key=lambda page: FOOTER_ORDER.index(page.kind))
    return {
        "legal": [{"kind": page.kind, "title": page.title, "url": url(page)} for page in legal],
        "sections": sections,
        "latest_reviews": [
            {"title": r.title, "url": url(r), "product": r.product.name, "test_date": r.test_date,
             "summary": r.summary}
            for r in reviews
        ],
        "latest_articles": [
            {"title": a.title, "url": url(a), "date": a.date, "summary": a.summary} for a in articles
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


def legal_pages(request=None):
    """Return [{kind, title, url}] of the published legal pages, in the footer's order."""
    return published_pages(request)["legal"]


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
