"""The sitemap's sections: Wagtail's pages, then the catalogue's own views (lists, products, vendors)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as PagesSitemap

from analytics import published
from ratings.models import Category, Product, Vendor

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
