"""Writes to the catalogue. Views, commands, the CMS and the tests call these, never `objects.create`."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from operations.audit import record

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
def save_methodology_edit(*, edited):
    """Save an admin's edit of a methodology (weights and strata included); return the version saved.

    `edited` is the stored version with the edit applied but not saved. A version already used for
    scores is left as it was, so that published scores stay reproducible: the edit becomes the next
    version instead.
    """
    locked = Methodology.objects.select_for_update().filter(pk=edited.pk, locked_at__isnull=False).exists()
    if not locked:
        edited.save()
        return edited
    new, _ = edited.copy_cluster(exclude_fields=["version", "locked_at"])
    # Locking the latest row (PostgreSQL refuses FOR UPDATE on an aggregate) numbers concurrent edits apart.
    new.version = Methodology.objects.select_for_update().order_by("-version").first().version + 1
    new.save()
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
    """The reply or decision does not apply; the message says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _locked_reply(reply):
    return VendorReply.objects.select_for_update().get(pk=reply.pk)


@transaction.atomic
def submit_vendor_reply(*, product, author, text):
    """Write the vendor's next version of its reply about `product`, to be moderated; return it.

    Only members of the product's vendor write it (staff and superusers too must be members): the
    reply speaks for the vendor. A published version stays shown until a moderator publishes the new
    one; sending again before that edits the version that waits.
    """
    if not (
        author.is_active
        and VendorMembership.objects.filter(user=author, vendor_id=product.vendor_id).exists()
    ):
        raise ReplyRefused(_("Only members of the product's vendor may answer for it."))
    text = text.strip()
    if not text:
        raise ReplyRefused(_("A reply cannot be empty."))
    # The product row serialises two members sending at once: one pending version, never two.
    Product.objects.select_for_update().filter(pk=product.pk).first()
    reply = VendorReply.objects.select_for_update().filter(product=product).pending().first()
    if reply is None:
        return VendorReply.objects.create(product=product, author=author, text=text)
    reply.author = author
    reply.text = text
    reply.save(update_fields=["author", "text", "updated_at"])
    return reply


@transaction.atomic
def publish_vendor_reply(*, reply, by=None):
    """Publish a pending version of a reply (moderator `by`); the version it replaces is kept as superseded."""
    reply = _locked_reply(reply)
    if reply.status != VendorReply.Status.PENDING:
        raise ReplyRefused(_("Only a version awaiting moderation can be published."))
    VendorReply.objects.filter(product_id=reply.product_id).published().update(
        status=VendorReply.Status.SUPERSEDED, updated_at=timezone.now()
    )
    reply.status = VendorReply.Status.PUBLISHED
    reply.refusal_reason = ""
    reply.published_at = timezone.now()
    reply.save(update_fields=["status", "refusal_reason", "published_at", "updated_at"])
    record(instance=reply, action="ratings.reply.publish", user=by)
    return reply


@transaction.atomic
def refuse_vendor_reply(*, reply, reason, by=None):
    """Refuse a pending version (the published one stays) or withdraw the published one, for `reason`."""
    reason = (reason or "").strip()
    if not reason:
        raise ReplyRefused(_("A refusal needs a reason."))
    reply = _locked_reply(reply)
    if reply.status not in (VendorReply.Status.PENDING, VendorReply.Status.PUBLISHED):
        raise ReplyRefused(_("This version can no longer be refused."))
    reply.status = VendorReply.Status.REFUSED
    reply.refusal_reason = reason
    reply.published_at = None
    reply.save(update_fields=["status", "refusal_reason", "published_at", "updated_at"])
    record(instance=reply, action="ratings.reply.refuse", user=by, reason=reason)
    return reply
