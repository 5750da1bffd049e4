"""The demo site's pages the page audits and the readers' journeys open, found in its database.

Run in the served site's own process environment (`manage.py shell -c`, see tests/browser/site.py), it
prints one JSON object: the reader's pages and the demo doctor's pages, by name.
"""

import json

from django.urls import reverse
from wagtail.models import Page

from analytics.published import current_snapshot, with_scores
from cms import localized
from ratings.models import Category, Product, Vendor
from surveys.demo.accounts import DEMO_DOCTOR_EMAIL
from surveys.models import Campaign, Doctor, Response


def _product_with(products, status):
    for product in products:
        if product.score_status == status:
            return product
    return None


def reader_pages():
    snapshot = current_snapshot()
    products = list(with_scores(Product.objects.listed().order_by("name"), snapshot))
    ranked = _product_with(products, "ok")
    pages = {
        "home": "/",
        "catalogue": reverse("cms:product_list"),
        "catalogue, sorted and paged": reverse("cms:product_list") + "?sort=name&page=2",
        "catalogue, filtered": reverse("cms:product_list") + "?min_score=3&status=ok",
        "product, ranked": ranked.get_absolute_url(),
        "product, for a doctor like me": ranked.get_absolute_url() + "?profil=practice_group:specialist",
        "vendor": reverse("cms:vendor_detail", args=[ranked.vendor.slug]),
        "rankings": reverse("cms:rankings"),
        "category ranking": reverse("cms:category_ranking", args=[ranked.category.slug]),
        "comparison, empty": reverse("cms:compare"),
        "search": reverse("cms:search") + "?q=agenda",
        "search, empty": reverse("cms:search"),
        "open data": reverse("cms:open_data"),
        "sign in": reverse("surveys:login"),
        "sign up": reverse("surveys:signup"),
        "password reset": reverse("surveys:password_reset"),
    }
    commented = Response.objects.with_published_comment().order_by("pk").first()
    if commented is not None:
        pages["comment report"] = reverse("surveys:report_comment", args=[commented.pk])
    for status, name in (("limited", "product, limited data"), ("insufficient", "product, no score")):
        product = _product_with(products, status)
        if product is not None:
            pages[name] = product.get_absolute_url()
    for category in Category.objects.order_by("name"):
        slugs = list(category.products.listed().order_by("name").values_list("slug", flat=True)[:3])
        if len(slugs) == 3:
            pages["comparison of three tools"] = (
                reverse("cms:compare") + "?" + "&".join(f"p={s}" for s in slugs)
            )
            pages["comparison, general practitioners"] = (
                pages["comparison of three tools"] + "&profil=practice_group:gp"
            )
            break
    # The original pages (French); the audits open their English twins at "/en" + the French address.
    for page in localized.originals(Page.objects.live().public().specific().filter(depth__gt=2)).order_by(
        "path"
    ):
        kind = type(page).__name__
        if kind == "LegalPage":
            kind = f"LegalPage {page.kind}"
        pages.setdefault(kind, page.url)
    return pages


def doctor_pages():
    doctor = Doctor.objects.get(user__email__iexact=DEMO_DOCTOR_EMAIL)
    pages = {
        "account": reverse("surveys:account"),
        "my ratings": reverse("surveys:my_ratings"),
        "survey": reverse("surveys:survey"),
        "conflicts of interest": reverse("surveys:conflicts"),
        "password change": reverse("surveys:password_change"),
        "account deletion": reverse("surveys:delete_account"),
    }
    campaign = Campaign.objects.open().order_by("-opens_on").first()
    if campaign is not None:
        pages["campaign"] = reverse("surveys:campaign", args=[campaign.slug])
        pages["tool picker"] = reverse("surveys:pick_tools", args=[campaign.slug])
        rated = doctor.responses.filter(campaign=campaign).select_related("product").first()
        product = rated.product if rated else None
        categories = campaign.categories.all()
        candidates = Product.objects.listed().order_by("name")
        product = (
            product or (candidates.filter(category__in=categories) if categories else candidates).first()
        )
        if product is not None:
            pages["rating form"] = reverse("surveys:rate_tool", args=[campaign.slug, product.slug])
    return pages


def main():
    print(json.dumps({"reader": reader_pages(), "doctor": doctor_pages(), "vendors": Vendor.objects.count()}))
