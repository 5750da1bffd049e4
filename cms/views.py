"""Public pages of the catalogue: list with filters, product, vendor, rankings, comparison."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from analytics import charts
from analytics.export import MIN_BREAKDOWN, export_rows, write_csv
from analytics.trends import change_since_previous
from ratings.filters import ProductFilterSet
from ratings.models import Category, Facet, Product, Vendor, VendorReply
from ratings.services import ReplyRefused, submit_vendor_reply
from surveys.models import Response

from . import scores
from .models import ExpertReviewPage, MethodologyPage

MAX_COMPARED = 4
REPLY_MAX_LENGTH = 3000
COMMENTS_PER_PAGE = 10


class VendorReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your public reply"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Shown on the product page beside the scores, once a moderator has read it."),
    )


def product_list(request):
    products = Product.objects.listed().select_related("vendor", "category")
    filterset = ProductFilterSet(request.GET or None, queryset=products)
    products = filterset.qs if filterset.is_bound and filterset.is_valid() else products
    snapshot = scores.current_snapshot()
    score_by_product = scores.product_scores(snapshot)
    rows = [(product, score_by_product.get(product.pk)) for product in products]
    return render(
        request,
        "cms/product_list.html",
        {"filter": filterset, "rows": rows, "snapshot": snapshot, "categories": Category.objects.all()},
    )


def product_detail(request, slug):
    product = get_object_or_404(Product.objects.listed().select_related("vendor", "category"), slug=slug)
    snapshot = scores.current_snapshot()
    score = scores.product_scores(snapshot, [product]).get(product.pk)
    reviews = ExpertReviewPage.objects.live().public().filter(product=product).order_by("-test_date")
    context = {
        "product": product,
        "snapshot": snapshot,
        "score": score,
        "facet_scores": scores.facet_scores(snapshot, [product.pk])[product.pk],
        "facet_names": {f.slug: f.name for f in Facet.objects.all()},
        "reviews": reviews,
        "reply": product.replies.published().first(),
        "charts": charts.product_charts(snapshot, product, score),
        "change": change_since_previous(snapshot, product),
        "comments": Paginator(
            Response.objects.with_published_comment()
            .filter(product=product)
            .select_related("doctor", "campaign")
            .order_by("-submitted_at", "-pk"),
            COMMENTS_PER_PAGE,
        ).get_page(request.GET.get("avis")),
    }
    return render(request, "cms/product_detail.html", context)


def vendor_detail(request, slug):
    vendor = get_object_or_404(Vendor, slug=slug)
    products = vendor.products.listed().select_related("category")
    snapshot = scores.current_snapshot()
    score_by_product = scores.product_scores(snapshot, products)
    return render(
        request,
        "cms/vendor_detail.html",
        {
            "vendor": vendor,
            "rows": [(p, score_by_product.get(p.pk)) for p in products],
            "vendor_score": scores.vendor_score(snapshot, vendor),
            "snapshot": snapshot,
        },
    )


def rankings(request):
    snapshot = scores.current_snapshot()
    score_by_product = scores.product_scores(snapshot)
    products = Product.objects.listed().select_related("vendor", "category")
    by_category = {}
    for product in products:
        score = score_by_product.get(product.pk)
        if score is None:
            continue
        entry = by_category.setdefault(product.category, {"ranked": [], "limited": []})
        if score.status == "ok":
            entry["ranked"].append((product, score))
        elif score.status == "limited":
            entry["limited"].append((product, score))
    sections = []
    for category in Category.objects.all():
        entry = by_category.get(category)
        if entry:
            entry["ranked"].sort(key=lambda pair: pair[1].rank or 0)
            entry["limited"].sort(key=lambda pair: -(pair[1].global_score or 0))
            # "Tied for first" only means something when two or more tools could hold rank 1.
            tied = sum(1 for _, score in entry["ranked"] if score.tied_first) > 1
            sections.append((category, entry["ranked"], entry["limited"], tied))
    return render(request, "cms/rankings.html", {"sections": sections, "snapshot": snapshot})


def compare(request):
    slugs = [s for s in request.GET.getlist("p") if s][:MAX_COMPARED]
    products = list(Product.objects.listed().filter(slug__in=slugs).select_related("vendor", "category"))
    products.sort(key=lambda p: slugs.index(p.slug))
    error = None
    if request.GET and len(products) < 2:
        error = _("Choose between 2 and %(max)s tools to compare.") % {"max": MAX_COMPARED}
    snapshot = scores.current_snapshot()
    score_by_product = scores.product_scores(snapshot, products)
    facets_by_product = scores.facet_scores(snapshot, [p.pk for p in products])
    facets = list(Facet.objects.all())
    facet_rows = []
    for facet in facets:
        cells = []
        for product in products:
            cell = next((f for f in facets_by_product[product.pk] if f.facet == facet.slug), None)
            cells.append(cell)
        facet_rows.append((facet, cells))
    return render(
        request,
        "cms/compare.html",
        {
            "products": products,
            "columns": [(p, score_by_product.get(p.pk)) for p in products],
            "facet_rows": facet_rows,
            "all_products": Product.objects.listed().select_related("category").order_by("category", "name"),
            "selected": slugs,
            "error": error,
            "max_compared": MAX_COMPARED,
            "snapshot": snapshot,
            "chart": charts.comparison_chart(snapshot, products),
        },
    )


def methodology_redirect(request):
    page = MethodologyPage.objects.live().public().first()
    if page is None:
        raise Http404(_("The methodology page has not been published yet."))
    return redirect(page.url)


def _vendors_for(user):
    """Return the vendors whose reports `user` may read: their own, or all of them for staff."""
    if user.is_staff:
        return Vendor.objects.all()
    return Vendor.objects.filter(memberships__user=user)


@login_required
def vendor_reports(request):
    vendors = _vendors_for(request.user)
    if not vendors.exists():
        raise PermissionDenied(_("Only vendor accounts and staff can read vendor reports."))
    snapshot = scores.current_snapshot()
    products = Product.objects.filter(vendor__in=vendors).select_related("vendor", "category")
    score_by_product = scores.product_scores(snapshot, products)
    facets_by_product = scores.facet_scores(snapshot, [p.pk for p in products])
    return render(
        request,
        "cms/vendor_reports.html",
        {
            "vendors": vendors,
            "rows": [(p, score_by_product.get(p.pk), facets_by_product[p.pk]) for p in products],
            "facet_names": {f.slug: f.name for f in Facet.objects.all()},
            "snapshot": snapshot,
            "min_breakdown": MIN_BREAKDOWN,
            "replies": {r.product_id: r for r in VendorReply.objects.filter(product__in=products)},
            "reply_form": VendorReplyForm(),
        },
    )


@login_required
@require_POST
def vendor_reply(request, slug):
    product = get_object_or_404(Product.objects.filter(vendor__in=_vendors_for(request.user)), slug=slug)
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
    return redirect(f"{reverse('vendor_reports')}#p-{product.slug}")


@login_required
def vendor_report_export(request, slug):
    vendor = get_object_or_404(_vendors_for(request.user), slug=slug)
    snapshot = scores.current_snapshot()
    if snapshot is None:
        raise Http404(_("No scores have been computed yet."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="scores-{vendor.slug}-{snapshot.campaign.slug}.csv"'
    )
    write_csv(export_rows(snapshot, vendor=vendor), response)
    return response
