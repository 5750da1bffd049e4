"""Project-wide middleware."""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"
API_PREFIX = "/api/"


def _holds_nul(querydict):
    return any(NUL in key or any(NUL in value for value in values) for key, values in querydict.lists())


class RefuseNulBytesMiddleware:
    """Answer 400 to a request whose path, query string or posted form fields hold a NUL byte.

    Django's form fields refuse NUL, but a view that reads `request.GET` directly hands it to the
    database, and PostgreSQL refuses any string holding one: a 500 instead of a 400. No legitimate
    request carries one, so they are refused here once, before any view or the redirects lookup.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            reason = _("Bad request: the address or the form holds a NUL character.")
            if request.path.startswith(API_PREFIX):  # the API answers its errors in JSON, as its schema says
                return JsonResponse({"detail": reason}, status=400)
            return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request):
        if NUL in request.path or _holds_nul(request.GET):
            return True
        if request.method != "POST":
            return False
        # Reading POST here parses the body once, as CsrfViewMiddleware does for every POST anyway. Django
        # already strips unprintable characters from the names of uploaded files, not from field names.
        return _holds_nul(request.POST) or any(NUL in name for name in request.FILES)


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY with every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
