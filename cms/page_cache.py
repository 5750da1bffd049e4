"""The anonymous readers' page cache: whole public pages kept in the shared cache, served without rendering.

Most requests are readers who are not signed in, reading pages that change only when the scores are
recomputed or when someone changes the catalogue or the site's content. `AnonymousPageCacheMiddleware`
keeps the final bytes of those pages (compressed or not, as the client asked) in the default cache
(Redis in production, shared by every web process) and answers the next reader with them before
sessions, authentication, CSRF and the view run.

What is cached: GET requests without a session cookie, to the public pages of `CACHED_VIEWS`, answered
200 with no cookie set, no CSRF token handed out and nothing marking them private. A reader who signs
in (and so has a session cookie) always gets freshly rendered pages.

When it is dropped: every key carries a generation number; `bump()` moves it on, which makes every
stored page unreachable at once (they then expire). It is called when a score snapshot, the catalogue,
a Wagtail page, image or document changes, when anything is written to the admin's history (staff
decisions: comments, replies, exclusions, releases, recomputes...), and when a response carrying a
comment changes. `PAGE_CACHE_SECONDS` (10 minutes by default) bounds what a change made some other
way (a raw SQL update) could leave visible.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

GENERATION_KEY = "page-cache:generation"
# The readers' pages: names of URL patterns (Wagtail's serve view covers the CMS pages).
CACHED_VIEWS = frozenset(
    {
        "wagtail_serve",
        "product_list",
        "product_detail",
        "vendor_detail",
        "rankings",
        "category_ranking",
        "compare",
        "open_data",
        "review_feed",
        "article_feed",
        "badge",
        "sitemap",
    }
)
# Where django.contrib.messages keeps a message for a reader without a session.
MESSAGES_COOKIE = CookieStorage.cookie_name
# Longer query strings are answered but not stored (nobody links to them; they would only fill the cache).
MAX_QUERY_LENGTH = 200
# Headers that must not be replayed to another reader (none of these is on a page we store, but the
# rule is kept here, not left to chance).
PRIVATE_HEADERS = frozenset({"set-cookie"})
# What readers see, by model. Receivers are connected to these models only: a post_delete receiver on
# a model stops Django from deleting its rows in bulk (it then loads each row to send the signal), so
# large tables whose rows readers never see one by one (a snapshot's scores, responses' deletions, page
# renditions, Wagtail's reference index) are left out; the row that stands for them is watched instead
# (a snapshot, a campaign, a response's comment).
WATCHED_APPS = frozenset({"ratings"})
WATCHED_MODELS = frozenset(
    {
        "analytics.scoresnapshot",
        "surveys.campaign",
        "cms.expertreviewfacetscore",
        "wagtailcore.site",
        "wagtailcore.locale",
        "wagtailcore.pagelogentry",
        "wagtailcore.modellogentry",
        "wagtailimages.image",
        "wagtaildocs.document",
        "wagtailredirects.redirect",
        "admin.logentry",
    }
)
# Saved only (deleting responses in bulk must stay fast): a response whose comment came, changed or went.
COMMENTED = "surveys.response"


def timeout():
    return settings.PAGE_CACHE_SECONDS


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def bump():
    """Make every cached page unreachable (the next reader of each gets it rendered anew)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet, or the cache was emptied: start one past any old key
        cache.add(GENERATION_KEY, 2, timeout=None)


def _bump_after_commit():
    """Bump once the change is committed: before that, a reader could store the old page again.

    robust: a cache that cannot be reached (the cache table not made yet, during the first migrate)
    must not undo or stop the work that was just committed.
    """
    transaction.on_commit(bump, robust=True)


def _key(request, gzip, number):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page-cache:{number}:{'gz' if gzip else 'id'}:{path}"


def _accepts_gzip(request):
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _storable(request, response):
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    cache_control = response.get("Cache-Control", "").lower()
    return (
        match is not None
        and match.url_name in CACHED_VIEWS
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token (a form)
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and (user is None or not user.is_authenticated)
    )


class AnonymousPageCacheMiddleware:
    """Answer readers who are not signed in from the page cache; store the public pages they are sent.

    Placed after WhiteNoise (static files never reach it) and before compression, sessions and the rest:
    a page served from the cache skips them, and the security headers are still added on the way out
    by the middleware above it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method != "GET"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.COOKIES.get(MESSAGES_COOKIE)  # a message waits to be shown on this page
            or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH
            or timeout() <= 0
        ):
            return self.get_response(request)
        gzip = _accepts_gzip(request)
        key = _key(request, gzip, generation())
        stored = cache.get(key)
        if stored is not None:
            status, content, headers = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if _storable(request, response):
            patch_vary_headers(response, ["Accept-Encoding"])
            headers = [(n, v) for n, v in response.items() if n.lower() not in PRIVATE_HEADERS]
            cache.set(key, (response.status_code, response.content, headers), timeout())
        return response


def _bump_on_change(sender, instance=None, **kwargs):
    if settings.PAGE_CACHE_SECONDS > 0:
        _bump_after_commit()


def _bump_on_comment(sender, instance, **kwargs):
    if settings.PAGE_CACHE_SECONDS > 0 and instance.comment_status != "none":
        _bump_after_commit()


def watched_models():
    """The models whose every write can change a public page (Wagtail's pages, the catalogue, ...)."""
    from wagtail.models import Page

    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in WATCHED_APPS
        or model._meta.label_lower in WATCHED_MODELS
        or issubclass(model, Page)
    ]


def _bump_after_migrate(**kwargs):
    """After `migrate` (data migrations write through historical models, which no receiver watches)."""
    if settings.PAGE_CACHE_SECONDS > 0:
        try:
            bump()
        except DatabaseError:  # the database cache's table is not made yet: no page was ever stored
            pass


def connect():
    """Drop the cached pages whenever something readers can see is written (called by CmsConfig.ready)."""
    for model in watched_models():
        for signal in (post_save, post_delete):
            signal.connect(_bump_on_change, sender=model, dispatch_uid=f"page-cache-{signal is post_save}")
    post_save.connect(_bump_on_comment, sender=apps.get_model(COMMENTED), dispatch_uid="page-cache-comment")
    post_migrate.connect(
        _bump_after_migrate, sender=apps.get_app_config("cms"), dispatch_uid="page-cache-migrate"
    )
