"""Create the legal pages a site must carry, with their first text, under each language's home page."""

from django.conf import settings
from django.db import transaction

from . import legal_texts, legal_texts_en, localized
from .models import HomePage, LegalPage
from .translations import publish_translation

FOOTER_ORDER = list(legal_texts.LEGAL_PAGES)
TEXTS = {"fr": legal_texts.LEGAL_PAGES, "en": legal_texts_en.LEGAL_PAGES}


def published_charter():
    """Return (version, URL) of the evaluator's charter in the reader's language, or None (surveys.charter asks)."""
    original = localized.originals(
        LegalPage.objects.live().public().filter(kind=LegalPage.Kind.CHARTER)
    ).first()
    if original is None:
        return None
    return original.version, localized.page_url(localized.translation_of(original))


@transaction.atomic
def ensure_legal_pages():
    """Add, published, every legal page the site lacks, in French and in each translation of the home page;
    return how many pages were created.

    Nothing happens before the site has a home page (the demo's, or one an editor made); editors then
    change the texts in Wagtail.
    """
    # Not through the shared cache (cms.localized): this runs after migrate, before its table may exist.
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path").first()
    if home is None:
        return 0
    created = 0
    existing = {page.kind: page for page in LegalPage.objects.child_of(home)}
    for kind, (slug, title, body) in legal_texts.LEGAL_PAGES.items():
        if kind not in existing:
            page = LegalPage(
                title=title, slug=slug, kind=kind, version=legal_texts.LEGAL_VERSION, body=body.strip()
            )
            home.add_child(instance=page)
            page.save_revision().publish()
            existing[kind] = page
            created += 1
    for translated_home in home.get_translations().select_related("locale"):
        language = translated_home.locale.language_code
        if language not in TEXTS:
            continue
        for kind, (slug, title, body) in TEXTS[language].items():
            original = existing[kind]
            if original.get_translation_or_none(translated_home.locale) is None:
                publish_translation(original, language=language, title=title, slug=slug, body=body.strip())
                created += 1
    return created
