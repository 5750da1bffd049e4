"""The campaigns' titles in every language of the site (django-modeltranslation, as ratings/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Campaign


@register(Campaign)
class CampaignTranslation(TranslationOptions):
    fields = ("title",)
