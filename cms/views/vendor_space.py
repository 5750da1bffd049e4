"""The vendor space: a vendor's reports, its scores as CSV and its right of reply (NF X50-005)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from analytics import published
from analytics.export import export_rows, write_csv
from cms.admin_reports import send_report_file
from cms.decorators import vendor_files, vendor_space
from cms.reply_forms import reply_forms
from cms.report_delivery import released_files
from ratings.models import Facet, Product, VendorMembership, VendorReply
from ratings.services import ReplyRefused, submit_vendor_reply


def _newest_versions(products):
    """Return {product id: the newest version of its reply that is not superseded} (the one worked on)."""
    return {
        r.product_id: r
        for r in VendorReply.objects.filter(product__in=products)
        .exclude(status=VendorReply.Status.SUPERSEDED)
        .prefetch_related("commitments")
        .order_by("created_at", "pk")
    }


@vendor_space
def vendor_reports(request):
    snapshot = published.current_snapshot()
    products = Product.objects.filter(vendor__in=request.vendors).select_related("vendor", "category")
    scores = published.product_scores(snapshot, products)
    facets = published.facet_scores(snapshot, [p.pk for p in products])
    replies = _newest_versions(products)
    facets_list = list(Facet.objects.all())
    return render(
        request,
        "cms/vendor_reports.html",
        {
            "vendors": request.vendors,
            "rows": [(p, scores.get(p.pk), facets[p.pk]) for p in products],
            "facet_names": {f.slug: f.name for f in facets_list},
            "snapshot": snapshot,
            # The newest version of each product's reply (the one the vendor works on), and the one readers see.
            "replies": replies,
            "published_replies": {
                r.product_id: r for r in VendorReply.objects.published().filter(product__in=products)
            },
            "reply_status": VendorReply.Status,
            "report_files": released_files(request.vendors),
            "reply_forms": {p.pk: reply_forms(p, replies.get(p.pk), facets=facets_list) for p in products},
        },
    )


@vendor_space
@require_http_methods(["GET", "POST"])
def vendor_reply(request, slug):
    """The reply about one product and its commitments: its form, and where a form with mistakes comes back."""
    product = get_object_or_404(
        Product.objects.filter(vendor__in=request.vendors).select_related("vendor"), slug=slug
    )
    # Staff read every vendor's space, but a reply speaks for the vendor: its members only.
    if not VendorMembership.objects.filter(user=request.user, vendor_id=product.vendor_id).exists():
        raise PermissionDenied(_("Only members of the product's vendor may answer for it."))
    version = _newest_versions([product]).get(product.pk)
    form, commitments = reply_forms(product, version, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and commitments.is_valid():
        try:
            submit_vendor_reply(
                product=product,
                author=request.user,
                text=form.cleaned_data["text"],
                commitments=commitments.commitments(),
            )
        except ReplyRefused as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        messages.success(
            request, _("Your reply was sent; it will be published once a moderator has read it.")
        )
        return redirect(f"{reverse('cms:vendor_reports')}#p-{product.slug}")
    if request.method == "POST":
        messages.error(request, _("Your reply was not sent: correct the fields marked below."))
    return render(
        request,
        "cms/vendor_reply.html",
        {
            "product": product,
            "reply": version,
            "shown": product.replies.published().prefetch_related("commitments__facet").first(),
            "reply_status": VendorReply.Status,
            "form": form,
            "commitments": commitments,
        },
    )


@vendor_files
def vendor_report_export(request, slug):
    vendor = get_object_or_404(request.vendors, slug=slug)
    snapshot = published.current_snapshot()
    if snapshot is None:
        raise Http404(_("No scores have been computed yet."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="scores-{vendor.slug}-{snapshot.campaign.slug}.csv"'
    )
    write_csv(export_rows(snapshot, vendor=vendor), response)
    return response


@vendor_files
def vendor_report_file(request, pk):
    """Send one file of a released report of the user's vendors; any other report answers 404."""
    return send_report_file(get_object_or_404(released_files(request.vendors), pk=pk))
