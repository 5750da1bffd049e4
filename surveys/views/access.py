"""Who may see the doctors' pages, and how often requests are accepted."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from surveys.services.responses import browser_fingerprint, network_prefix, rater_refusal

from .errors import rate_limited


def rate_limit(*, key, rate, method="POST"):
    """Refuse requests beyond `rate` per `key` with the 429 page.

    django-ratelimit's own decorator raises Ratelimited (a 403) unless its middleware is installed;
    answering here keeps the view self-contained.
    """

    def decorator(view):
        limited = ratelimit(key=key, rate=rate, method=method, block=True)(view)

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return limited(request, *args, **kwargs)
            except Ratelimited as exc:
                return rate_limited(request, exc)

        return wrapper

    return decorator


def current_doctor(request):
    return getattr(request.user, "doctor", None) if request.user.is_authenticated else None


def doctor_required(view):
    """Let through signed-in users with a doctor profile; send the others to their account page."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        doctor = current_doctor(request)
        if doctor is None:
            messages.error(request, _("This page is for doctors' accounts."))
            return redirect("surveys:account")
        return view(request, *args, doctor=doctor, **kwargs)

    return wrapper


def rater_required(view):
    """Let through doctors who may rate (e-mail confirmed, verified); tell the others why not."""

    @doctor_required
    @functools.wraps(view)
    def wrapper(request, *args, doctor, **kwargs):
        reason = rater_refusal(doctor)
        if reason:
            messages.error(request, reason)
            return redirect("surveys:account")
        return view(request, *args, doctor=doctor, **kwargs)

    return wrapper


def client_signals(request):
    """Return the fraud signals of a request: {"network_prefix", "fingerprint"} (never shown publicly)."""
    return {
        "network_prefix": network_prefix(request.META.get("REMOTE_ADDR", "")),
        "fingerprint": browser_fingerprint(
            request.META.get("HTTP_USER_AGENT", ""), request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        ),
    }
