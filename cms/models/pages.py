"""The Wagtail site: home, articles, expert reviews and the methodology page."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from analytics import published
from cms import localized
from cms.blocks import BodyBlock
from ratings.models import Category, Facet, Methodology, Product, weighted_facet_mean

from .translation import TranslatedPageMixin


class HomePage(TranslatedPageMixin, Page):
    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    # One home per language: the French original and its translations, each heading its language's tree.
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ArticleIndexPage", "cms.ReviewIndexPage", "cms.MethodologyPage", "cms.LegalPage"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from cms.navigation import published_pages

        pages = published_pages(request)
        context["categories"] = Category.objects.all()
        context["latest_reviews"] = pages["latest_reviews"]
        context["latest_articles"] = pages["latest_articles"]
        context["product_count"] = Product.objects.listed().count()
        context["leaders"] = published.category_leaders(published.current_snapshot())
        return context


class ArticleIndexPage(TranslatedPageMixin, Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]

    class Meta:
        verbose_name = _("article index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index = self.original_or_none() or self
        context["articles"] = localized.in_active_language(
            ArticlePage.objects.child_of(index).live().public().order_by("-date")
        )
        return context


class ArticlePage(TranslatedPageMixin, Page):
    date = models.DateField(_("publication date"))
    summary = models.TextField(_("summary"), max_length=400)
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    author = models.CharField(_("author"), max_length=160, blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("author")]),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")


class ReviewIndexPage(TranslatedPageMixin, Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ExpertReviewPage"]

    class Meta:
        verbose_name = _("expert review index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index = self.original_or_none() or self
        context["reviews"] = localized.in_active_language(
            ExpertReviewPage.objects.child_of(index)
            .live()
            .public()
            .select_related("product", "product__vendor", "product__category")
            .order_by("-test_date")
        )
        return context


class ExpertReviewPage(TranslatedPageMixin, Page):
    """An expert review of one product: facet scores with their justification, pros, cons, verdict."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.CharField(_("reviewer"), max_length=160)
    test_date = models.DateField(_("test date"))
    summary = models.TextField(_("summary"), max_length=400)
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    pros = models.TextField(_("pros"), help_text=_("One per line."))
    cons = models.TextField(_("cons"), help_text=_("One per line."))
    verdict = RichTextField(_("verdict"), features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [
        FieldPanel("product"),
        FieldRowPanel([FieldPanel("reviewer"), FieldPanel("test_date")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel(
            "facet_scores", heading=_("Score per facet"), label=_("facet score"), min_num=1, max_num=8
        ),
        MultiFieldPanel(
            [FieldPanel("pros"), FieldPanel("cons"), FieldPanel("verdict")], heading=_("Verdict")
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("product"),
    ]
    parent_page_types = ["cms.ReviewIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("expert review")

    def pros_list(self):
        return [line.strip() for line in self.pros.splitlines() if line.strip()]

    def cons_list(self):
        return [line.strip() for line in self.cons.splitlines() if line.strip()]

    def scored_page(self):
        """Return the page whose facet scores count: the original; a translation carries only the text."""
        return self.original_or_none() or self

    def expert_score(self):
        """Return the weighted mean of the facet scores with the current methodology's weights."""
        methodology = Methodology.objects.current()
        weights = methodology.weights_for(self.product.category) if methodology else {}
        return weighted_facet_mean(
            weights, {s.facet.slug: s.score for s in self.scored_page().facet_scores.all()}
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        scores = list(self.scored_page().facet_scores.select_related("facet").order_by("facet__sort_order"))
        if self.scored_page() is not self:
            justifications = {s.facet_id: s.justification for s in self.facet_scores.all()}
            for score in scores:
                score.justification = justifications.get(score.facet_id, score.justification)
        context["facet_scores"] = scores
        return context


class ExpertReviewFacetScore(Orderable):
    page = ParentalKey(ExpertReviewPage, on_delete=models.CASCADE, related_name="facet_scores")
    facet = models.ForeignKey(Facet, verbose_name=_("facet"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    justification = models.TextField(_("justification"))

    panels = [FieldRowPanel([FieldPanel("facet"), FieldPanel("score")]), FieldPanel("justification")]

    class Meta(Orderable.Meta):
        verbose_name = _("facet score")
        constraints = [
            models.UniqueConstraint(fields=["page", "facet"], name="cms_reviewfacetscore_unique"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="cms_reviewfacetscore_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.facet}: {self.score}"


class MethodologyPage(TranslatedPageMixin, Page):
    """Explains how scores are made; weights and thresholds come live from the current methodology."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("methodology page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        methodology = Methodology.objects.current()
        context["methodology"] = methodology
        if methodology is not None:
            facets = list(Facet.objects.all())
            defaults = methodology.weights_for(None)
            overrides = {}
            for w in methodology.facet_weights.filter(category__isnull=False).select_related(
                "category", "facet"
            ):
                overrides.setdefault(w.category, {})[w.facet.slug] = w.weight
            context["facets"] = [(f, defaults.get(f.slug, 1)) for f in facets]
            context["category_weights"] = [
                (category, [(f, weights.get(f.slug, defaults.get(f.slug, 1))) for f in facets])
                for category, weights in overrides.items()
            ]
            context["strata"] = methodology.strata.all()
            context["alpha_pct"] = round(float(methodology.alpha) * 100)
        return context
