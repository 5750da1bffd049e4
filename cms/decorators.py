"""Access to the vendor space: members of a vendor read its reports; staff read every vendor's."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from ratings.models import Vendor


def readable_vendors(user):
    """Return the vendors whose reports `user` may read: their own, or all of them for staff."""
    if user.is_staff:
        return Vendor.objects.all()
    return Vendor.objects.filter(memberships__user=user)


def vendor_space(view):
    """Require a signed-in vendor member or staff; the view gets `request.vendors` (those it may read)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        vendors = readable_vendors(request.user)
        if not vendors.exists():
            raise PermissionDenied(_("Only vendor accounts and staff can read vendor reports."))
        request.vendors = vendors
        return view(request, *args, **kwargs)

    return wrapped


def vendor_files(view):
    """Like `vendor_space`, but anyone else gets 404: a report's URL tells nothing to who may not read it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        vendors = readable_vendors(request.user) if request.user.is_authenticated else Vendor.objects.none()
        if not vendors.exists():
            raise Http404
        request.vendors = vendors
        return view(request, *args, **kwargs)

    return wrapped
