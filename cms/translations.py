"""Make a page's translation (the demo's and the legal pages' English versions; editors use the admin)."""

from django.db import transaction
from wagtail.models import Locale


@transaction.atomic
def publish_translation(page, *, language, edit=None, **fields):
    """Create or update the translation of `page` into `language` with `fields`, publish it and return it.

    `edit(translation)`, when given, changes more before the translation is saved (its inline rows).
    The page's parent must already have its translation (a home page's parent, the root, needs none).
    """
    locale = Locale.objects.get(language_code=language)
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale)
    translation = translation.specific
    for name, value in fields.items():
        setattr(translation, name, value)
    if edit is not None:
        edit(translation)
    translation.save_revision().publish()
    return translation
