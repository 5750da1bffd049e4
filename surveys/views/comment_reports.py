"""A reader reports a published comment for a moderator to look at; it stays published meanwhile."""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from surveys.models import Response
from surveys.services.moderation import report_comment as report_comment_service

from .access import rate_limit

# Per address: enough for a reader who flags several abusive comments, not for a bot flooding the
# moderators. Counted in the shared cache (settings CACHES), so every worker counts together.
REPORT_RATE = "10/h"


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is wrong with this comment?"), required=False, max_length=1000
    )


def _back(request, response, next_url):
    """Return `next_url` if it is a path of this site, else the product's page."""
    # Only a path of this site: `redirect()` would take any other text for a URL name.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, request.is_secure()
    ):
        return response.product.get_absolute_url()
    return next_url


@require_http_methods(["GET", "POST"])
@rate_limit(key="ip", rate=REPORT_RATE)
def report_comment(request, pk):
    """Show the comment and the report form; on POST, queue it for a moderator's look and go back.

    A page of its own rather than a form under each comment: the product pages then carry no CSRF token,
    so readers get them from the page cache (cms/page_cache.py).
    """
    response = get_object_or_404(Response.objects.with_published_comment().select_related("product"), pk=pk)
    if request.method == "GET":
        next_url = _back(request, response, request.GET.get("next", ""))
        return render(
            request,
            "surveys/report_comment.html",
            {"comment": response, "form": ReportForm(), "next_url": next_url},
        )
    form = ReportForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    report_comment_service(
        response=response,
        reason=reason,
        reporter_ip=request.META.get("REMOTE_ADDR", ""),
        reporter=request.user if request.user.is_authenticated else None,
    )
    # Same message whether or not this reader had already reported it: nothing to learn from it.
    messages.success(request, _("Thank you: a moderator will read this comment again."))
    return HttpResponseRedirect(_back(request, response, request.POST.get("next", "")))
