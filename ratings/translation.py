"""The catalogue's names in every language of the site (django-modeltranslation).

`name` reads the active language's column (`name_fr`, `name_en`) and falls back to French, so pages,
exports and reports keep reading `category.name`; the admin edits each language's column.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, Facet


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Facet)
class FacetTranslation(TranslationOptions):
    fields = ("name", "question", "description")


def translated_panels(field_name, **kwargs):
    """Return one admin panel per language for a translated field (`name_fr`, `name_en`, …)."""
    from django.conf import settings
    from wagtail.admin.panels import FieldPanel

    return [FieldPanel(f"{field_name}_{code}", **kwargs) for code, _name in settings.LANGUAGES]
