"""Pages in the reader's language: lists of pages and their links, on the English site or the French one.

Lists are made of the original (French) pages, in the French tree's order; each is swapped for its live
translation in the active language where there is one. An untranslated page keeps its original content
but is linked under the active language's prefix (`/en/…`), where cms.models.translation serves it.
"""

from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale, Page

LOCALE_CACHE_KEY = "wagtail-locale:v1"
LOCALE_CACHE_SECONDS = 3600


def language_name(code):
    """Return a language's name in that language ("français", "English")."""
    return get_language_info(code)["name_local"]


def language_version(request, code, url, **extra):
    """Return one entry of the language switcher (and of the head's hreflang links): `url` in `code`."""
    return {
        "code": code,
        "name": language_name(code),
        "url": url,
        "absolute_url": request.build_absolute_uri(url),
        "current": code == get_language(),
        **extra,
    }


def _locales():
    """Return {language code: Locale id}, kept in the shared cache: every list of pages asks, and locales
    hardly ever change."""
    return cache.get_or_set(
        LOCALE_CACHE_KEY,
        lambda: dict(Locale.objects.values_list("language_code", "pk")),
        LOCALE_CACHE_SECONDS,
    )


def forget_locales(**kwargs):
    """Drop the cached locales (a locale added or removed in the admin)."""
    cache.delete(LOCALE_CACHE_KEY)


def locale_id(code=None):
    """Return the id of the Locale of `code` (the active language by default), or else the default one's."""
    locales = _locales()
    return locales.get(code or get_language()) or locales.get(settings.LANGUAGE_CODE)


def language_of(page):
    """Return the language code of a page's locale."""
    return next((code for code, pk in _locales().items() if pk == page.locale_id), settings.LANGUAGE_CODE)


def originals(queryset):
    """Return the queryset restricted to the original (default-language) pages."""
    return queryset.filter(locale_id=locale_id(settings.LANGUAGE_CODE))


def in_active_language(pages):
    """Return `pages` (originals) with each replaced by its live translation in the active language."""
    pages = list(pages)
    active = locale_id()
    if not pages or all(page.locale_id == active for page in pages):
        return pages
    model = type(pages[0])
    translations = {
        page.translation_key: page
        for page in model.objects.live()
        .public()
        .filter(locale_id=active, translation_key__in=[page.translation_key for page in pages])
    }
    return [translations.get(page.translation_key, page) for page in pages]


def page_url(page, request=None):
    """Return the page's address on the reader's site: its own, or its original's under the active prefix."""
    url = page.get_url(request)
    if url is not None and page.locale_id != locale_id():
        active = get_language()
        with translation.override(language_of(page)):  # translate_url reads the address in this language
            url = translate_url(url, active)
    return url


def translation_of(page):
    """Return the live translation of `page` in the active language, or `page` itself."""
    if page is None or page.locale_id == locale_id():
        return page
    translation = (
        Page.objects.live()
        .public()
        .filter(translation_key=page.translation_key, locale_id=locale_id())
        .first()
    )
    return translation.specific if translation is not None else page
