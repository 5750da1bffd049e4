"""Pages in French and English (Wagtail's translatable pages, one tree per language).

French is the original: the site's root page is the French home, and its English translation heads
the English tree (`/en/…`). An editor translates a page with "Translate" (wagtail.contrib.simple_translation)
and edits the copy. Where a page has no live English translation, its English address shows the French
original, marked as such (`content_language`), rather than a 404.
"""

from django.conf import settings
from django.http import Http404
from django.urls import translate_url
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from cms import localized


class TranslatedPageMixin:
    """Route to the original where a translation is missing; tell the templates the content's language."""

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            original = self.original_or_none()
            if original is None:
                raise
            # The original's address: its translation where one is live (a translation given a slug of its
            # own), else the original itself.
            result = original.route(request, path_components)
            page, args, kwargs = (
                result if isinstance(result, tuple) else (result.page, result.args, result.kwargs)
            )
            return RouteResult(localized.translation_of(page), args, kwargs)

    def original_or_none(self):
        """Return the page this one translates (in the default language), or None for an original."""
        default = localized.locale_id(settings.LANGUAGE_CODE)
        if self.locale_id == default:
            return None
        original = Page.objects.filter(translation_key=self.translation_key, locale_id=default).first()
        return original.specific if original is not None else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        versions = page_language_versions(self, request)
        context["language_versions"] = versions
        context["content_language"] = next(v["content_language"] for v in versions if v["current"])
        return context


def page_language_versions(page, request):
    """Return the switcher's entries for a Wagtail page: its translation in each language, where one is live.

    A language without a live translation keeps the address being read, translated: it shows the original.
    """
    translations = {
        p.locale.language_code: p
        for p in Page.objects.filter(translation_key=page.translation_key).live().select_related("locale")
    }
    original = translations.get(settings.LANGUAGE_CODE, page)
    versions = []
    for code, _name in settings.LANGUAGES:
        translation = translations.get(code)
        url = translation.get_url(request) if translation is not None else None
        content_language = code if translation is not None else original.locale.language_code
        versions.append(
            localized.language_version(
                request,
                code,
                url or translate_url(request.get_full_path(), code),
                content_language=content_language,
            )
        )
    return versions
