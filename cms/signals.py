"""Keeps the catalogue's copy of expert scores in step with the published review pages."""

from wagtail.signals import page_published, page_unpublished

from ratings.services import record_expert_assessment, withdraw_expert_assessment

from .models import ExpertReviewPage


def review_published(sender, instance, **kwargs):
    if instance.original_or_none() is not None:
        return  # a translation: the scores are its original's (ExpertReviewPage.scored_page)
    record_expert_assessment(
        product=instance.product,
        source_page_id=instance.pk,
        title=instance.title,
        reviewer=instance.reviewer,
        reviewed_on=instance.test_date,
        scores={s.facet.slug: s.score for s in instance.facet_scores.select_related("facet")},
    )


def review_unpublished(sender, instance, **kwargs):
    withdraw_expert_assessment(source_page_id=instance.pk)  # nothing recorded for a translation


def connect():
    page_published.connect(review_published, sender=ExpertReviewPage, dispatch_uid="cms_review_published")
    page_unpublished.connect(
        review_unpublished, sender=ExpertReviewPage, dispatch_uid="cms_review_unpublished"
    )
