from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject

from .localized import language_version


def vendor_access(request):
    """Tell the layout whether to link to the vendor reports."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"has_vendor_reports": False}
    return {"has_vendor_reports": user.is_staff or user.vendor_memberships.exists()}


def language_versions(request):
    """The page in each language of the site: the switcher's links and the head's hreflang alternates.

    French is at the root and English under /en/ (config/urls.py); a page keeps its query string, so a
    reader switching language stays on the same page, filters and all.
    """
    if request is None or request.path.startswith(("/admin/", "/django-admin/", "/api/")):
        return {}

    def versions():
        full_path = request.get_full_path()
        return [
            language_version(request, code, translate_url(full_path, code))
            for code, _name in settings.LANGUAGES
        ]

    return {"language_versions": SimpleLazyObject(versions)}
