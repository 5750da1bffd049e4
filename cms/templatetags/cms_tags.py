from django import template
from django.utils.formats import number_format

from cms.models import ArticleIndexPage, MethodologyPage, ReviewIndexPage

register = template.Library()


@register.filter
def score_fmt(value):
    """Format a score on the 1–5 scale with two decimals in the reader's locale, or an em dash."""
    if value is None or value == "":
        return "—"
    return number_format(value, decimal_pos=2)


@register.filter
def get_item(mapping, key):
    """Return mapping[key], or the key itself (a label falls back to its slug)."""
    return mapping.get(key, key) if mapping else key


@register.filter
def entry(mapping, key):
    """Return mapping[key], or None."""
    return mapping.get(key) if mapping else None


@register.simple_tag
def site_sections():
    """Return the published section pages shown in the header (articles, reviews, methodology)."""
    pages = []
    for model in (ReviewIndexPage, ArticleIndexPage, MethodologyPage):
        page = model.objects.live().public().first()
        if page is not None:
            pages.append(page)
    return pages
