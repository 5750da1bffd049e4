"""Writes to the catalogue. Views, commands, the CMS and the tests call these, never `objects.create`."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from operations.audit import record

from .models import (
    COMMITMENT_MAX_LENGTH,
    MAX_COMMITMENTS,
    Category,
    ExpertAssessment,
    ExpertFacetScore,
    Facet,
    FacetWeight,
    Methodology,
    PopulationStratum,
    Product,
    Vendor,
    VendorCommitment,
    VendorMembership,
    VendorReply,
)

# How far ahead a commitment may be due: further than this, no campaign would check it in time.
COMMITMENT_HORIZON_YEARS = 3


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


def commitment_horizon(today):
    """Return the latest due date a commitment written on `today` may have."""
    try:
        return today.replace(year=today.year + COMMITMENT_HORIZON_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + COMMITMENT_HORIZON_YEARS, day=28)


def commitment_problem(*, what, due_on, today):
    """Return (field, why) when a commitment cannot be made on `today`, else None (`why` translated)."""
    if not what.strip():
        return "what", _("Say what you commit to.")
    if len(what.strip()) > COMMITMENT_MAX_LENGTH:
        return "what", _("At most %(n)s characters.") % {"n": COMMITMENT_MAX_LENGTH}
    if due_on <= today:
        return "due_on", _("The date must be in the future.")
    if due_on > commitment_horizon(today):
        return "due_on", _("The date must be within %(n)s years.") % {"n": COMMITMENT_HORIZON_YEARS}
    return None


@transaction.atomic
def submit_vendor_reply(*, product, author, text, commitments=(), today=None):
    """Write the vendor's next version of its reply about `product`, to be moderated; return it.

    Only members of the product's vendor write it (staff and superusers too must be members): the
    reply speaks for the vendor. A published version stays shown until a moderator publishes the new
    one; sending again before that edits the version that waits. `commitments` are this version's
    promises, {"facet": Facet, "what": str, "due_on": date} each (at most MAX_COMMITMENTS), due after
    `today` (the day it is written, by default today) and within COMMITMENT_HORIZON_YEARS.
    """
    if not (
        author.is_active
        and VendorMembership.objects.filter(user=author, vendor_id=product.vendor_id).exists()
    ):
        raise ReplyRefused(_("Only members of the product's vendor may answer for it."))
    text = text.strip()
    if not text:
        raise ReplyRefused(_("A reply cannot be empty."))
    commitments = list(commitments)
    if len(commitments) > MAX_COMMITMENTS:
        raise ReplyRefused(_("A reply carries at most %(n)s commitments.") % {"n": MAX_COMMITMENTS})
    today = today or timezone.localdate()
    for commitment in commitments:
        problem = commitment_problem(what=commitment["what"], due_on=commitment["due_on"], today=today)
        if problem:
            raise ReplyRefused(problem[1])
    # The product row serialises two members sending at once: one pending version, never two.
    Product.objects.select_for_update().filter(pk=product.pk).first()
    reply = VendorReply.objects.select_for_update().filter(product=product).pending().first()
    if reply is None:
        reply = VendorReply.objects.create(product=product, author=author, text=text)
    else:
        reply.author = author
        reply.text = text
        reply.save(update_fields=["author", "text", "updated_at"])
        reply.commitments.all().delete()
    VendorCommitment.objects.bulk_create(
        VendorCommitment(reply=reply, facet=c["facet"], what=c["what"].strip(), due_on=c["due_on"])
        for c in commitments
    )
    return reply


@transaction.atomic
def publish_vendor_reply(*, reply, by=None, today=None):
    """Publish a pending version of a reply (moderator `by`); the version it replaces is kept as superseded.

    Its commitments are published with it: each is dated `today` (by default today), unless the
    version it replaces made the very same promise, whose date it keeps (METHODOLOGY §10's baseline).
    """
    reply = _locked_reply(reply)
    if reply.status != VendorReply.Status.PENDING:
        raise ReplyRefused(_("Only a version awaiting moderation can be published."))
    replaced = VendorReply.objects.filter(product_id=reply.product_id).published()
    earlier = list(VendorCommitment.objects.filter(reply__in=replaced))
    commitments = list(reply.commitments.all())
    for commitment in commitments:
        same = next((e for e in earlier if e.same_promise(commitment) and e.committed_on), None)
        commitment.committed_on = same.committed_on if same else (today or timezone.localdate())
    VendorCommitment.objects.bulk_update(commitments, ["committed_on"])
    replaced.update(status=VendorReply.Status.SUPERSEDED, updated_at=timezone.now())
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
