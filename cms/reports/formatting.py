"""Template filters of the report: figures in the reader's number format, "—" where none is shown."""

from django import template
from django.utils.formats import number_format

register = template.Library()

DASH = "—"


def _format(value, decimals):
    if value is None:
        return DASH
    # + 0.0 turns the -0.0 of a small negative value rounded away into 0.0: never "-0,00".
    return number_format(round(float(value), decimals) + 0.0, decimal_pos=decimals)


def signed_number(value, decimals=2):
    """Return `value` with `decimals` decimals and its sign ("+0,00" for nothing), or "—"."""
    text = _format(value, decimals)
    return text if value is None or text.startswith("-") else f"+{text}"


@register.filter
def score(value):
    """Return a score or a difference with 2 decimals."""
    return _format(value, 2)


@register.filter
def signed(value):
    """Return a difference with 2 decimals and its sign."""
    return signed_number(value, 2)


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


@register.filter
def interval(low, high):
    """Return "low – high" with 2 decimals, or "—" without an interval."""
    if low is None or high is None:
        return DASH
    return f"{score(low)} – {score(high)}"


@register.filter
def signed_interval(low, high):
    """Return "+low – +high" with signs, or "—" without an interval."""
    if low is None or high is None:
        return DASH
    return f"{signed(low)} – {signed(high)}"


@register.filter
def percent(value):
    """Return a 0–100 percentage with 1 decimal and its sign, or "—"."""
    return DASH if value is None else f"{_format(value, 1)} %"


@register.filter
def percent_interval(low, high):
    """Return "low – high %" with 1 decimal, or "—" without an interval."""
    if low is None or high is None:
        return DASH
    return f"{_format(low, 1)} – {_format(high, 1)} %"
