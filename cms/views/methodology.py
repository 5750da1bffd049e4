"""A stable address for the methodology page, wherever editors put it in the page tree."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cms import localized
from cms.models import MethodologyPage


def methodology_redirect(request):
    page = localized.originals(MethodologyPage.objects.live().public()).first()
    if page is None:
        raise Http404(_("The methodology page has not been published yet."))
    return redirect(localized.page_url(localized.translation_of(page), request))
