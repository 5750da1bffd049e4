"""Expert reviews before publication (NF X50-005): send, the vendor reads and answers, publish."""

import datetime
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms import localized
from cms.models import (
    ExpertReviewFacetScore,
    ExpertReviewPage,
    HomePage,
    ReviewIndexPage,
    ReviewSubmission,
    ReviewSubmissionEvent,
)
from cms.models.review_drafts import DEFAULT_ANSWER_DAYS, PublicationRefused
from cms.review_drafts import DraftReviewRefused, answer_review_draft, send_review_draft
from ratings.models import Facet, VendorMembership
from ratings.services import create_product, get_or_create_category, get_or_create_vendor
from tests.factories import DoctorFactory

Action = ReviewSubmissionEvent.Action
ANSWER = "Les lenteurs signalées ont été corrigées dans la version 4.2."


class ReviewDraftTests(WagtailTestUtils, TestCase):
    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        home = HomePage(title="Accueil", slug="accueil-test")
        root.add_child(instance=home)
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "port": 80}
        )
        cls.reviews = ReviewIndexPage(title="Tests", slug="tests")
        home.add_child(instance=cls.reviews)
        category = get_or_create_category(slug="teleconsultation", name="Téléconsultation")
        cls.vendor_a = get_or_create_vendor(slug="visio", name="VisioSoin SA")
        cls.vendor_b = get_or_create_vendor(slug="rival", name="Rival SAS")
        cls.product = create_product(name="VisioSoin", vendor=cls.vendor_a, category=category)
        User = get_user_model()
        # An editor as the role makes one: staff, page permissions from the group, not a superuser.
        cls.editor = User.objects.create_user(
            username="editor", email="editor@example.org", password="pw", is_staff=True
        )
        cls.editor.groups.add(Group.objects.get(name="editor"))
        cls.member_a = User.objects.create_user(username="a", email="a@visio.example", password="pw")
        VendorMembership.objects.create(user=cls.member_a, vendor=cls.vendor_a)
        cls.member_b = User.objects.create_user(username="b", email="b@rival.example", password="pw")
        VendorMembership.objects.create(user=cls.member_b, vendor=cls.vendor_b)
        cls.doctor = DoctorFactory().user

    def setUp(self):
        self.review = ExpertReviewPage(
            title="VisioSoin à l'essai",
            slug="visiosoin",
            product=self.product,
            reviewer="Dr Test",
            test_date=datetime.date(2026, 7, 8),
            summary="Simple et sûr.",
            body=[("paragraph", "<p>Quatre semaines d'essai.</p>")],
            pros="Prise en main immédiate",
            cons="Vidéo instable",
            verdict="<p>Recommandé.</p>",
            live=False,
        )
        self.review.facet_scores = [
            ExpertReviewFacetScore(
                facet=Facet.objects.get(slug="reliability"), score=2, justification="Coupures fréquentes."
            )
        ]
        self.reviews.add_child(instance=self.review)
        self.review.save_revision(user=self.editor)

    # -- helpers ---------------------------------------------------------------------------------

    def send(self, now=None):
        return send_review_draft(page=self.review, user=self.editor, now=now)

    def publish_in_admin(self):
        """Post the editor's Publish button of the page editor; return the response."""
        self.client.force_login(self.editor)
        review = ExpertReviewPage.objects.get(pk=self.review.pk)
        scores = list(review.facet_scores.all())
        data = nested_form_data(
            {
                "title": review.title,
                "slug": review.slug,
                "product": review.product_id,
                "reviewer": review.reviewer,
                "test_date": review.test_date.isoformat(),
                "summary": review.summary,
                "body": streamfield([("paragraph", rich_text("<p>Quatre semaines d'essai.</p>"))]),
                "pros": review.pros,
                "cons": review.cons,
                "verdict": rich_text(review.verdict),
                "facet_scores": inline_formset(
                    [
                        {"id": s.pk, "facet": s.facet_id, "score": s.score, "justification": s.justification}
                        for s in scores
                    ],
                    initial=len(scores),
                ),
            }
        )
        data["action-publish"] = "publish"
        return self.client.post(reverse("wagtailadmin_pages:edit", args=[review.pk]), data, follow=True)

    def is_live(self):
        return ExpertReviewPage.objects.get(pk=self.review.pk).live

    # -- the flow --------------------------------------------------------------------------------

    def test_send_read_answer_publish_and_the_answer_is_shown(self):
        self.client.force_login(self.editor)
        send_url = reverse("cms_review_drafts:send", args=[self.review.pk])
        form = self.client.get(send_url)
        self.assertEqual(form.status_code, 200)
        default_day = timezone.localdate() + datetime.timedelta(days=DEFAULT_ANSWER_DAYS)
        self.assertEqual(form.context["form"].initial["deadline"], default_day)
        self.client.post(send_url, {"deadline": default_day.isoformat()})
        submission = ReviewSubmission.objects.get(page=self.review)
        self.assertEqual(submission.vendor, self.vendor_a)
        self.assertEqual(submission.revision, self.review.get_latest_revision())
        self.assertEqual(
            timezone.localtime(submission.deadline).date(), default_day + datetime.timedelta(days=1)
        )

        # The editor changes the draft after sending it: the vendor reads the version that was sent.
        draft = ExpertReviewPage.objects.get(pk=self.review.pk)
        draft.summary = "Résumé réécrit après l'envoi."
        draft.save_revision(user=self.editor)

        self.client.force_login(self.member_a)
        listing = self.client.get(reverse("cms:review_drafts"))
        self.assertContains(listing, reverse("cms:review_draft", args=[submission.pk]))
        url = reverse("cms:review_draft", args=[submission.pk])
        page = self.client.get(url)
        self.assertContains(page, "VisioSoin à l&#x27;essai")
        self.assertContains(page, "Coupures fréquentes.")
        self.assertContains(page, "Prise en main immédiate")
        self.assertContains(page, "Simple et sûr.")
        self.assertNotContains(page, "Résumé réécrit")
        self.client.get(url)
        submission.refresh_from_db()
        self.assertIsNotNone(submission.first_viewed_at)
        self.assertEqual(submission.events.filter(action=Action.VIEWED).get().user, self.member_a)

        response = self.client.post(
            reverse("cms:review_draft_answer", args=[submission.pk]), {"text": ANSWER, "publish_answer": "on"}
        )
        self.assertRedirects(response, url)
        submission.refresh_from_db()
        self.assertEqual(submission.status, ReviewSubmission.Status.ANSWERED)
        self.assertTrue(submission.publish_answer)
        self.assertEqual(submission.answered_by, self.member_a)
        # One answer only.
        again = self.client.post(
            reverse("cms:review_draft_answer", args=[submission.pk]), {"text": "Autre"}, follow=True
        )
        self.assertContains(again, "déjà répondu")
        submission.refresh_from_db()
        self.assertEqual(submission.answer, ANSWER)

        # The editor sees the answer in the admin, in the listing filtered by status and in the detail.
        self.client.force_login(self.editor)
        answered = self.client.get(reverse("cms_review_drafts:index"), {"state": "answered"})
        self.assertContains(answered, "Les lenteurs signalées")
        awaiting = self.client.get(reverse("cms_review_drafts:index"), {"state": "awaiting"})
        self.assertNotContains(awaiting, "Les lenteurs signalées")
        detail = self.client.get(reverse("cms_review_drafts:detail", args=[submission.pk]))
        self.assertContains(detail, ANSWER)
        self.assertContains(detail, str(self.member_a))

        self.publish_in_admin()
        self.assertTrue(self.is_live())
        published = submission.events.get(action=Action.PUBLISHED)
        self.assertEqual(published.user, self.editor)
        self.assertEqual(
            list(submission.events.values_list("action", flat=True)),
            [Action.SENT, Action.VIEWED, Action.ANSWERED, Action.PUBLISHED],
        )
        self.client.logout()
        public = self.client.get(ExpertReviewPage.objects.get(pk=self.review.pk).url)
        self.assertContains(public, ANSWER)
        self.assertContains(public, "VisioSoin SA")

    def test_an_answer_the_vendor_keeps_private_is_not_published(self):
        submission = self.send()
        answer_review_draft(submission=submission, user=self.member_a, text=ANSWER, publish_answer=False)
        self.review.get_latest_revision().publish(user=self.editor)
        public = self.client.get(ExpertReviewPage.objects.get(pk=self.review.pk).url)
        self.assertEqual(public.status_code, 200)
        self.assertNotContains(public, "Les lenteurs signalées")

    # -- the publication rule ----------------------------------------------------------------------

    def test_a_review_never_sent_cannot_be_published(self):
        response = self.publish_in_admin()
        self.assertFalse(self.is_live())
        self.assertContains(response, "jamais été envoyé")
        with self.assertRaises(PublicationRefused):
            self.review.get_latest_revision().publish()
        self.assertFalse(self.is_live())

    def test_a_review_created_and_published_at_once_stays_a_draft(self):
        self.client.force_login(self.editor)
        data = nested_form_data(
            {
                "title": "Autre test",
                "slug": "autre-test",
                "product": self.product.pk,
                "reviewer": "Dr Test",
                "test_date": "2026-07-08",
                "summary": "Résumé.",
                "body": streamfield([("paragraph", rich_text("<p>Texte.</p>"))]),
                "pros": "Simple",
                "cons": "Cher",
                "verdict": rich_text("<p>Bien.</p>"),
                "facet_scores": inline_formset(
                    [{"facet": Facet.objects.first().pk, "score": 4, "justification": "Bien."}]
                ),
            }
        )
        data["action-publish"] = "publish"
        self.client.post(
            reverse("wagtailadmin_pages:add", args=("cms", "expertreviewpage", self.reviews.pk)), data
        )
        created = ExpertReviewPage.objects.get(slug="autre-test")
        self.assertFalse(created.live)
        self.assertFalse(self.product.expert_assessments.exists())

    def test_publication_is_refused_before_the_deadline_and_allowed_after_it(self):
        sent_at = timezone.now()
        submission = self.send(now=sent_at)
        self.assertEqual(submission.deadline, sent_at + datetime.timedelta(days=DEFAULT_ANSWER_DAYS))

        response = self.publish_in_admin()
        self.assertFalse(self.is_live())
        self.assertContains(response, "pas encore répondu")
        with self.assertRaises(PublicationRefused):
            self.review.get_latest_revision().publish(user=self.editor)
        self.assertFalse(self.is_live())

        after = submission.deadline + datetime.timedelta(minutes=1)
        self.assertIsNone(ReviewSubmission.objects.publication_refusal(self.review, now=after))
        with self.assertRaises(DraftReviewRefused):
            answer_review_draft(
                submission=submission, user=self.member_a, text=ANSWER, publish_answer=True, now=after
            )
        with mock.patch("django.utils.timezone.now", return_value=after):
            self.publish_in_admin()
        self.assertTrue(self.is_live())
        self.assertEqual(submission.events.get(action=Action.PUBLISHED).user, self.editor)

    def test_a_new_sending_waits_for_its_own_answer(self):
        self.send()
        with self.assertRaises(DraftReviewRefused):
            self.send()
        ReviewSubmission.objects.update(
            sent_at=timezone.now() - datetime.timedelta(days=DEFAULT_ANSWER_DAYS + 2),
            deadline=timezone.now() - datetime.timedelta(days=2),
        )
        self.assertIsNone(ReviewSubmission.objects.publication_refusal(self.review))
        second = self.send()
        self.assertIsNotNone(ReviewSubmission.objects.publication_refusal(self.review))
        answer_review_draft(submission=second, user=self.member_a, text=ANSWER, publish_answer=True)
        self.assertIsNone(ReviewSubmission.objects.publication_refusal(self.review))

    # -- access ------------------------------------------------------------------------------------

    def draft_urls(self, submission):
        return [
            ("get", reverse("cms:review_draft", args=[submission.pk])),
            ("post", reverse("cms:review_draft_answer", args=[submission.pk])),
        ]

    def test_anonymous_readers_get_404_on_a_draft_and_are_asked_to_sign_in_on_the_list(self):
        submission = self.send()
        for method, url in self.draft_urls(submission):
            response = getattr(self.client, method)(url, {"text": ANSWER})
            self.assertEqual(response.status_code, 404, url)
        response = self.client.get(reverse("cms:review_drafts"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("connexion", response["Location"])
        submission.refresh_from_db()
        self.assertEqual(submission.status, ReviewSubmission.Status.SENT)

    def test_another_vendor_and_a_doctor_get_404(self):
        submission = self.send()
        for user in (self.member_b, self.doctor):
            self.client.force_login(user)
            for method, url in self.draft_urls(submission):
                response = getattr(self.client, method)(url, {"text": ANSWER})
                self.assertEqual(response.status_code, 404, (user, url))
        self.client.force_login(self.doctor)
        self.assertEqual(self.client.get(reverse("cms:review_drafts")).status_code, 404)
        self.client.force_login(self.member_b)
        self.assertNotContains(self.client.get(reverse("cms:review_drafts")), "VisioSoin à l")
        submission.refresh_from_db()
        self.assertEqual(submission.status, ReviewSubmission.Status.SENT)
        self.assertIsNone(submission.first_viewed_at)

    def test_staff_who_are_not_members_read_but_cannot_answer(self):
        submission = self.send()
        self.client.force_login(self.editor)
        page = self.client.get(reverse("cms:review_draft", args=[submission.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertFalse(page.context["may_answer"])
        response = self.client.post(
            reverse("cms:review_draft_answer", args=[submission.pk]), {"text": ANSWER}
        )
        self.assertEqual(response.status_code, 403)
        submission.refresh_from_db()
        self.assertEqual(submission.status, ReviewSubmission.Status.SENT)
        # A staff reading is not the vendor's first reading.
        self.assertIsNone(submission.first_viewed_at)

    def test_the_admin_pages_are_for_those_who_publish(self):
        submission = self.send()
        self.client.force_login(self.member_a)
        for url in (
            reverse("cms_review_drafts:index"),
            reverse("cms_review_drafts:detail", args=[submission.pk]),
            reverse("cms_review_drafts:send", args=[self.review.pk]),
        ):
            self.assertNotEqual(self.client.get(url).status_code, 200, url)

    # -- the admin's other ways in ---------------------------------------------------------------

    def test_the_page_editor_offers_to_send_a_draft_review(self):
        self.client.force_login(self.editor)
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.review.pk]))
        self.assertContains(edit, reverse("cms_review_drafts:send", args=[self.review.pk]))
        home = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(home, reverse("cms_review_drafts:index"))

    def test_bulk_publishing_refuses_a_review_the_vendor_has_not_seen(self):
        self.client.force_login(self.editor)
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
        for target in (self.review, self.reviews):
            response = self.client.post(f"{url}?id={target.pk}", {"include_descendants": "on"}, follow=True)
            self.assertContains(response, "jamais été envoyé")
            self.assertFalse(self.is_live())

    def test_every_demo_review_was_sent_before_its_publication(self):
        from cms.demo import seed_pages
        from ratings.demo import seed_catalogue

        seed_catalogue()
        HomePage.objects.all().delete()
        seed_pages()
        live = localized.originals(ExpertReviewPage.objects.live())  # translations follow their original
        self.assertTrue(live.exists())
        for review in live:
            submission = ReviewSubmission.objects.latest_for(review)
            self.assertTrue(submission.is_expired())
            self.assertEqual(submission.events.filter(action=Action.PUBLISHED).count(), 1)
