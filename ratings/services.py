"""Writes to the catalogue. Views, commands, the CMS and the tests call these, never `objects.create`."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import (
    Category,
    ExpertAssessment,
    ExpertFacetScore,
    Facet,
    FacetWeight,
    Methodology,
    PopulationStratum,
    Product,
    Vendor,
    VendorMembership,
    VendorReply,
)


@transaction.atomic
def get_or_create_category(*, slug, name=None):
    """Return the category `slug`, creating it (named `name` or its slug) when unknown."""
    category, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name or slug})
    return category


@transaction.atomic
def get_or_create_vendor(*, slug, name=None, **fields):
    vendor, _ = Vendor.objects.get_or_create(slug=slug, defaults={"name": name or slug, **fields})
    return vendor


@transaction.atomic
def create_product(*, name, vendor, category, slug=None, **attributes):
    """Create and return a product; the slug comes from the name unless given."""
    product = Product(name=name, slug=slug or slugify(name), vendor=vendor, category=category, **attributes)
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def lock_methodology(*, methodology):
    """Mark `methodology` as used for scores, so that later changes make a new version."""
    if methodology.locked_at is None:
        methodology.locked_at = timezone.now()
        methodology.save(update_fields=["locked_at", "updated_at"])
    return methodology


@transaction.atomic
def create_methodology_version(*, based_on, notes="", **changes):
    """Return a new methodology version copying `based_on` (weights and strata) with `changes` applied."""
    latest = Methodology.objects.select_for_update().order_by("-version").first()
    fields = {
        f.name: getattr(based_on, f.name)
        for f in Methodology._meta.concrete_fields
        if f.name not in {"id", "version", "notes", "locked_at", "created_at", "updated_at"}
    }
    fields.update(changes)
    new = Methodology.objects.create(version=latest.version + 1, notes=notes, **fields)
    FacetWeight.objects.bulk_create(
        FacetWeight(methodology=new, category_id=w.category_id, facet_id=w.facet_id, weight=w.weight)
        for w in based_on.facet_weights.all()
    )
    PopulationStratum.objects.bulk_create(
        PopulationStratum(methodology=new, dimension=s.dimension, code=s.code, label=s.label, size=s.size)
        for s in based_on.strata.all()
    )
    return new


@transaction.atomic
def record_expert_assessment(*, product, source_page_id, title, reviewer, reviewed_on, scores):
    """Store the facet scores {facet slug: 1–5} of a published expert review, replacing earlier ones."""
    assessment, _ = ExpertAssessment.objects.update_or_create(
        source_page_id=source_page_id,
        defaults={"product": product, "title": title, "reviewer": reviewer, "reviewed_on": reviewed_on},
    )
    assessment.scores.all().delete()
    facets = Facet.objects.in_bulk(list(scores), field_name="slug")
    ExpertFacetScore.objects.bulk_create(
        ExpertFacetScore(assessment=assessment, facet=facets[slug], score=score)
        for slug, score in scores.items()
        if score is not None
    )
    return assessment


@transaction.atomic
def withdraw_expert_assessment(*, source_page_id):
    """Remove the scores of a review page that is no longer published."""
    ExpertAssessment.objects.filter(source_page_id=source_page_id).delete()


class ReplyRefused(Exception):
    """The user may not answer for this product."""


@transaction.atomic
def submit_vendor_reply(*, product, author, text):
    """Create or replace the vendor's reply about `product`; it waits for a moderator again."""
    if not (
        author.is_staff or VendorMembership.objects.filter(user=author, vendor=product.vendor_id).exists()
    ):
        raise ReplyRefused("Only the product's vendor may answer for it.")
    text = text.strip()
    if not text:
        raise ReplyRefused("A reply cannot be empty.")
    reply, _ = VendorReply.objects.update_or_create(
        product=product,
        defaults={
            "author": author,
            "text": text,
            "status": VendorReply.Status.PENDING,
            "refusal_reason": "",
            "published_at": None,
        },
    )
    return reply


@transaction.atomic
def publish_vendor_reply(*, reply):
    reply.status = VendorReply.Status.PUBLISHED
    reply.refusal_reason = ""
    reply.published_at = timezone.now()
    reply.save(update_fields=["status", "refusal_reason", "published_at", "updated_at"])
    return reply


@transaction.atomic
def refuse_vendor_reply(*, reply, reason):
    if not reason.strip():
        raise ReplyRefused("A refusal needs a reason.")
    reply.status = VendorReply.Status.REFUSED
    reply.refusal_reason = reason.strip()
    reply.published_at = None
    reply.save(update_fields=["status", "refusal_reason", "published_at", "updated_at"])
    return reply
