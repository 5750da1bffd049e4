"""Template filters of the report: figures in the reader's number format, "—" where none is shown."""

from django import template
from django.utils.formats import number_format

register = template.Library()

DASH = "—"


def _format(value, decimals):
    if value is None:
        return DASH
    return number_format(round(float(value), decimals), decimal_pos=decimals)


@register.filter
def score(value):
    """Return a score or a difference with 2 decimals."""
    return _format(value, 2)


@register.filter
def signed(value):
    """Return a difference with 2 decimals and its sign."""
    text = _format(value, 2)
    return text if value is None or text.startswith("-") else f"+{text}"


@register.filter
def decimal1(value):
    """Return a figure with 1 decimal (effective sizes, percentages)."""
    return _format(value, 1)


@register.filter
def whole(value):
    """Return a count or a rank bound as a whole number."""
    return _format(value, 0)


@register.filter
def share(value):
    """Return a 0–1 share as a percentage with 1 decimal."""
    return DASH if value is None else _format(100.0 * value, 1)
