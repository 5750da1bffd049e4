"""The sitemap's sections: Wagtail's pages, then the catalogue's own views (lists, products, vendors).

Every page is listed in French (at the root) and in English (under /en/), each with its alternate in the
other language (`hreflang`), as the pages' heads say.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse
from django.utils import translation
from wagtail.contrib.sitemaps import Sitemap as WagtailPagesSitemap

from analytics import published
from ratings.models import Category, Product, Vendor


class Sitemap(DjangoSitemap):
    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(WagtailPagesSitemap):
    """Wagtail's pages, once per language of the site."""

    def get_urls(self, page=1, site=None, protocol=None):
        codes = [code for code, _name in settings.LANGUAGES]
        per_language = []
        for code in codes:
            with translation.override(code):
                per_language.append(super().get_urls(page=page, site=site, protocol=protocol))
        # The same pages come in the same order in every language: each gets its alternates.
        for versions in zip(*per_language, strict=True):
            alternates = [
                {"lang_code": code, "location": url["location"]}
                for code, url in zip(codes, versions, strict=True)
            ]
            alternates.append({"lang_code": "x-default", "location": versions[0]["location"]})
            for url in versions:
                url["alternates"] = alternates
        return [url for urls in per_language for url in urls]


# The public pages that are views rather than Wagtail pages.
LIST_VIEWS = ("cms:product_list", "cms:rankings", "cms:compare", "cms:open_data")


class ListViewsSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return list(LIST_VIEWS)

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        snapshot = published.current_snapshot()
        return snapshot.computed_at if snapshot else None


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Product.objects.listed().order_by("slug").only("slug", "updated_at")

    def lastmod(self, product):
        return product.updated_at


class VendorSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return (
            Vendor.objects.filter(products__is_listed=True)
            .distinct()
            .order_by("slug")
            .only("slug", "updated_at")
        )

    def location(self, vendor):
        return reverse("cms:vendor_detail", args=[vendor.slug])

    def lastmod(self, vendor):
        return vendor.updated_at


class CategoryRankingSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Category.objects.filter(products__is_listed=True).distinct().order_by("slug").only("slug")

    def location(self, category):
        return reverse("cms:category_ranking", args=[category.slug])


SITEMAPS = {
    "pages": PagesSitemap,
    "lists": ListViewsSitemap,
    "products": ProductSitemap,
    "vendors": VendorSitemap,
    "rankings": CategoryRankingSitemap,
}
