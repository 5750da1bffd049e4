from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language_info

from cms import localized, navigation

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


@register.simple_tag(takes_context=True)
def site_sections(context):
    """Return the published section pages shown in the header (articles, reviews, methodology)."""
    return navigation.site_sections(context.get("request"))


@register.simple_tag(takes_context=True)
def reader_url(context, page):
    """Return a page's address on the reader's site (an untranslated page's under the active language)."""
    return localized.page_url(page, context.get("request"))


@register.simple_tag
def language_name(code):
    """Return a language's name in the reader's language ("French" on the English site)."""
    return get_language_info(code)["name_translated"]


@register.simple_tag(takes_context=True)
def legal_pages(context):
    """Return the published legal pages, for the footer (and the sign-up's link to the charter)."""
    return navigation.legal_pages(context.get("request"))


def _on_scale(value):
    """Return a 1–5 score's position on a 0–100 axis, clipped to it."""
    return round(min(max((float(value) - 1) / 4, 0.0), 1.0) * 100, 1)


@register.inclusion_tag("cms/includes/score_bar.html")
def score_bar(score, low, high):
    """A bar of the 1–5 scale with the 95% interval drawn on it and the score as a mark (for the eye only:
    the numbers beside it say the same to everyone)."""
    if score is None or low is None or high is None:
        return {"shown": False}
    start, end = _on_scale(low), _on_scale(high)
    return {"shown": True, "start": start, "width": max(end - start, 0.6), "mark": _on_scale(score)}
