"""Atom feeds of the expert reviews and the articles, newest first; each page's <head> links them."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import localized
from .models import ArticlePage, ExpertReviewPage

FEED_LENGTH = 30


class PageFeed(Feed):
    """A feed of live, public Wagtail pages of one type; subclasses say which and how items are described."""

    feed_type = Atom1Feed
    page_model = None

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def pages(self):
        """The original pages, newest first; each item is shown in the reader's language where translated."""
        return localized.originals(self.page_model.objects.live().public()).order_by(
            "-first_published_at", "-pk"
        )

    def items(self):
        return localized.in_active_language(self.pages()[:FEED_LENGTH])

    def link(self):
        """The index page the pages sit under (the site's root before the first one is published)."""
        newest = self.pages().first()
        if newest is None:
            return "/"
        return self.request.build_absolute_uri(
            localized.page_url(localized.translation_of(newest.get_parent()))
        )

    def item_title(self, page):
        return page.title

    def item_link(self, page):
        return self.request.build_absolute_uri(localized.page_url(page, self.request))

    def item_pubdate(self, page):
        return page.first_published_at

    def item_updateddate(self, page):
        return page.last_published_at or page.first_published_at


class ExpertReviewFeed(PageFeed):
    page_model = ExpertReviewPage
    title = _("Expert reviews — Observatoire des logiciels médicaux")
    subtitle = _("The association's expert reviews of e-health software, newest first.")

    def pages(self):
        return super().pages().select_related("product")

    def item_description(self, page):
        return page.summary

    def item_author_name(self, page):
        return page.reviewer


class ArticleFeed(PageFeed):
    page_model = ArticlePage
    title = _("Articles — Observatoire des logiciels médicaux")
    subtitle = _("The association's articles on e-health software, newest first.")

    def item_description(self, page):
        return page.summary

    def item_author_name(self, page):
        return page.author or None
