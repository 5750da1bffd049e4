import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import (
    ArticleIndexPage,
    ArticlePage,
    ExpertReviewFacetScore,
    ExpertReviewPage,
    HomePage,
    LegalPage,
    MethodologyPage,
    ReviewIndexPage,
)
from cms.models.review_drafts import DEFAULT_ANSWER_DAYS
from cms.review_drafts import send_review_draft
from ratings.models import Facet, FacetWeight, Methodology
from ratings.services import create_product, get_or_create_category, get_or_create_vendor


class CmsPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        cls.home = HomePage(title="Accueil", slug="accueil-test", introduction="Bienvenue")
        root.add_child(instance=cls.home)
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": cls.home, "port": 80}
        )
        cls.reviews = ReviewIndexPage(title="Tests", slug="tests")
        cls.home.add_child(instance=cls.reviews)
        cls.articles = ArticleIndexPage(title="Articles", slug="articles")
        cls.home.add_child(instance=cls.articles)
        vendor = get_or_create_vendor(slug="visio", name="VisioSoin SA")
        category = get_or_create_category(slug="teleconsultation", name="Téléconsultation")
        cls.product = create_product(name="VisioSoin", vendor=vendor, category=category)
        # A member of the editor role, not a superuser: the role's page permissions are what is tested.
        cls.editor = get_user_model().objects.create_user(
            username="editor", email="editor@example.org", password="pw", is_staff=True
        )
        cls.editor.groups.add(Group.objects.get(name="editor"))

    def setUp(self):
        self.client.force_login(self.editor)

    def test_page_tree_rules(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage, {ArticleIndexPage, ReviewIndexPage, MethodologyPage, LegalPage}
        )
        self.assertAllowedParentPageTypes(ExpertReviewPage, {ReviewIndexPage})
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})
        self.assertAllowedSubpageTypes(ExpertReviewPage, set())

    def test_home_and_indexes_render(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(self.reviews)
        self.assertPageIsRenderable(self.articles)

    def test_editor_creates_an_article(self):
        self.assertCanCreate(
            self.articles,
            ArticlePage,
            nested_form_data(
                {
                    "title": "Téléconseil payant",
                    "slug": "teleconseil",
                    "date": "2026-09-14",
                    "author": "La rédaction",
                    "summary": "Ce qu'il faut savoir.",
                    "body": streamfield([("paragraph", rich_text("<p>Bonjour</p>"))]),
                }
            ),
        )
        article = ArticlePage.objects.get(slug="teleconseil")
        self.assertPageIsRenderable(article)

    def test_editor_publishes_an_expert_review_and_it_shows_on_the_site(self):
        facets = list(Facet.objects.all())
        data = nested_form_data(
            {
                "title": "VisioSoin à l'essai",
                "slug": "visiosoin",
                "product": self.product.pk,
                "reviewer": "Dr Test",
                "test_date": "2026-07-08",
                "summary": "Simple et sûr.",
                "body": streamfield([("paragraph", rich_text("<p>Quatre semaines d'essai.</p>"))]),
                "pros": "Simple\nSûr",
                "cons": "Cher",
                "verdict": rich_text("<p>Recommandé.</p>"),
                "facet_scores": inline_formset(
                    [
                        {"facet": facets[0].pk, "score": 5, "justification": "Très simple."},
                        {"facet": facets[1].pk, "score": 2, "justification": "Coupures."},
                    ]
                ),
            }
        )
        data["action-publish"] = "publish"
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=("cms", "expertreviewpage", self.reviews.pk)), data
        )
        self.assertEqual(response.status_code, 302)
        review = ExpertReviewPage.objects.get(slug="visiosoin")
        # Never sent to the vendor (NF X50-005): it stays a draft until it is sent and answered or expired.
        self.assertFalse(review.live)
        sent_long_ago = timezone.now() - datetime.timedelta(days=DEFAULT_ANSWER_DAYS + 1)
        send_review_draft(page=review, user=self.editor, now=sent_long_ago)
        review.get_latest_revision().publish(user=self.editor)
        review.refresh_from_db()
        self.assertTrue(review.live)
        # The catalogue keeps a copy of the scores for analytics.
        assessment = self.product.expert_assessments.get()
        self.assertEqual(assessment.weighted_score(Methodology.objects.current()), 3.5)
        page = self.client.get(review.url)
        self.assertContains(page, "VisioSoin à l&#x27;essai")
        self.assertContains(page, "Coupures.")
        product_page = self.client.get(reverse("cms:product_detail", args=[self.product.slug]))
        self.assertContains(product_page, "VisioSoin à l&#x27;essai")
        # Unpublishing withdraws the expert scores.
        review.unpublish()
        self.assertFalse(self.product.expert_assessments.exists())

    def test_invalid_review_shows_the_field_errors(self):
        data = nested_form_data(
            {
                "title": "Sans produit",
                "slug": "sans-produit",
                "reviewer": "",
                "test_date": "pas une date",
                "summary": "",
                "body": streamfield([]),
                "pros": "",
                "cons": "",
                "verdict": rich_text(""),
                "facet_scores": inline_formset(
                    [{"facet": Facet.objects.first().pk, "score": 9, "justification": "x"}]
                ),
            }
        )
        data["action-publish"] = "publish"
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=("cms", "expertreviewpage", self.reviews.pk)), data
        )
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        for field in ("product", "reviewer", "test_date"):
            self.assertIn(field, form.errors)
        self.assertFalse(ExpertReviewPage.objects.filter(slug="sans-produit").exists())

    def test_methodology_page_renders_the_live_weights(self):
        page = MethodologyPage(title="Méthode", slug="methode")
        self.home.add_child(instance=page)
        self.assertPageIsRenderable(page)
        methodology = Methodology.objects.current()
        FacetWeight.objects.filter(methodology=methodology, facet__slug="support").update(weight=2.5)
        methodology.alpha = 0.45
        methodology.save()
        response = self.client.get(page.url)
        self.assertContains(response, "2,50")
        self.assertContains(response, "45")
        self.assertContains(response, "60900")

    def test_methodology_page_states_the_ranking_small_group_and_raking_rules_with_live_thresholds(self):
        page = MethodologyPage(title="Méthode", slug="methode")
        self.home.add_child(instance=page)
        Methodology.objects.filter(pk=Methodology.objects.current().pk).update(min_respondents=7)
        html = self.client.get(page.url).content.decode()
        self.assertIn("un niveau choisi par moins de 7 médecins n'est jamais montré seul", html)
        self.assertIn("Quand cet ordre n", html)
        self.assertIn("pondération simplifiée", html)

    def test_expert_review_score_is_the_weighted_facet_mean(self):
        review = ExpertReviewPage(
            title="R",
            slug="r",
            product=self.product,
            reviewer="X",
            test_date=datetime.date(2026, 1, 1),
            summary="s",
            body=[],
            pros="a",
            cons="b",
            verdict="<p>v</p>",
        )
        review.facet_scores = [
            ExpertReviewFacetScore(facet=Facet.objects.get(slug="support"), score=1, justification="j"),
            ExpertReviewFacetScore(facet=Facet.objects.get(slug="features"), score=4, justification="j"),
        ]
        self.reviews.add_child(instance=review)
        FacetWeight.objects.filter(facet__slug="support").update(weight=2)
        self.assertAlmostEqual(review.expert_score(), (2 * 1 + 1 * 4) / 3)
        self.assertPageIsRenderable(review)
