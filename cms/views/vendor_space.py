"""The vendor space: a vendor's reports, its scores as CSV and its right of reply (NF X50-005)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from analytics import published
from analytics.export import export_rows, write_csv
from cms.admin_reports import send_report_file
from cms.decorators import vendor_files, vendor_space
from cms.report_delivery import released_files
from ratings.models import Facet, Product, VendorReply
from ratings.services import ReplyRefused, submit_vendor_reply

REPLY_MAX_LENGTH = 3000


class VendorReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your public reply"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Shown on the product page beside the scores, once a moderator has read it."),
    )


@vendor_space
def vendor_reports(request):
    snapshot = published.current_snapshot()
    products = Product.objects.filter(vendor__in=request.vendors).select_related("vendor", "category")
    scores = published.product_scores(snapshot, products)
    facets = published.facet_scores(snapshot, [p.pk for p in products])
    return render(
        request,
        "cms/vendor_reports.html",
        {
            "vendors": request.vendors,
            "rows": [(p, scores.get(p.pk), facets[p.pk]) for p in products],
            "facet_names": {f.slug: f.name for f in Facet.objects.all()},
            "snapshot": snapshot,
            # The newest version of each product's reply: the one the vendor is working on.
            # The newest version of each product's reply (the one the vendor works on), and the one readers see.
            "replies": {
                r.product_id: r
                for r in VendorReply.objects.filter(product__in=products)
                .exclude(status=VendorReply.Status.SUPERSEDED)
                .order_by("created_at", "pk")
            },
            "published_replies": {
                r.product_id: r for r in VendorReply.objects.published().filter(product__in=products)
            },
            "reply_status": VendorReply.Status,
            "report_files": released_files(request.vendors),
            "reply_form": VendorReplyForm(),
        },
    )


@vendor_space
@require_POST
def vendor_reply(request, slug):
    product = get_object_or_404(Product.objects.filter(vendor__in=request.vendors), slug=slug)
    form = VendorReplyForm(request.POST)
    if form.is_valid():
        try:
            submit_vendor_reply(product=product, author=request.user, text=form.cleaned_data["text"])
        except ReplyRefused as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        messages.success(
            request, _("Your reply was sent; it will be published once a moderator has read it.")
        )
    else:
        messages.error(
            request, _("Your reply was not sent: %(errors)s") % {"errors": " ".join(form.errors["text"])}
        )
    return redirect(f"{reverse('cms:vendor_reports')}#p-{product.slug}")


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
