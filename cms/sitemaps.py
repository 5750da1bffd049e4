"""The sitemap's sections: Wagtail's pages, then the catalogue's own views (lists, products, vendors).

Every page is listed in French (at the root) and in English (under /en/), each with its alternate in the
other language (`hreflang`), as the pages' heads say.
"""

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse
from wagtail.models import Site

from analytics import published
from cms import localized
from ratings.models import Category, Product, Vendor


class Sitemap(DjangoSitemap):
    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(Sitemap):
    """Wagtail's pages: each original (French) page, at its address in every language.

    In a language without a translation the address is the original's under that language's prefix,
    where the original is shown (cms.models.translation).
    """

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            return []
        pages = site.root_page.get_descendants(inclusive=True).live().public().order_by("path")
        return list(localized.originals(pages).specific())

    def location(self, page):
        return localized.page_url(localized.translation_of(page))

    def lastmod(self, page):
        return page.last_published_at


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
