"""Pages for refused requests: too many requests (django-ratelimit) and locked sign-in (django-axes)."""

from axes.helpers import get_cool_off
from django.shortcuts import render


def rate_limited(request, exception=None):
    """Answer 429 with a page saying to wait; settings.RATELIMIT_VIEW points here."""
    return render(request, "surveys/rate_limited.html", status=429)


def locked_out(request, original_response=None, credentials=None):
    """Answer 429 after too many failed sign-ins; fit for settings.AXES_LOCKOUT_CALLABLE."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return render(request, "surveys/locked_out.html", {"cool_off_minutes": minutes}, status=429)
