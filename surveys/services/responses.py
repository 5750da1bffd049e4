"""The survey: which doctor may rate which tool, choosing tools, saving and submitting answers, closing."""

import dataclasses
import hashlib
import ipaddress

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ratings.models import FACET_SLUGS, Product, Vendor
from surveys.models import Campaign, Doctor, Response
from surveys.models.responses import SITUATION_ANSWERS
from surveys.services.flags import domain_matches, email_domain, flag_response_on_submit
from surveys.signals import scores_invalidated

COMMENT_MAX_LENGTH = 2000
# Fraud signals group responses by network: an IPv4 /24 or an IPv6 /48 is roughly one site or household.
IPV4_PREFIX = 24
IPV6_PREFIX = 48


class SurveyRefusal(Exception):
    """A refused survey operation; `message` says why, in words a doctor understands."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclasses.dataclass
class ToolSelection:
    added: list
    removed: list
    refused: dict  # product → reason


def network_prefix(ip):
    """Return the /24 (IPv4) or /48 (IPv6) network of the address `ip`, or "" when it is not one."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = IPV4_PREFIX if address.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def browser_fingerprint(user_agent, accept_language):
    """Return the SHA-256 of the user agent and accepted languages, or "" when both are empty."""
    if not user_agent and not accept_language:
        return ""
    return hashlib.sha256(f"{user_agent or ''}\n{accept_language or ''}".encode()).hexdigest()


def campaign_accepts_answers(campaign, *, today=None):
    """Return True while `campaign` is open and today lies between its opening and closing dates."""
    today = today or timezone.localdate()
    return campaign.status == Campaign.Status.OPEN and campaign.opens_on <= today <= campaign.closes_on


def campaign_products(campaign):
    """Return the listed products of the categories `campaign` covers (all categories when none is set)."""
    products = Product.objects.listed().select_related("category", "vendor")
    category_ids = list(campaign.categories.values_list("pk", flat=True))
    if category_ids:
        products = products.filter(category__in=category_ids)
    return products.order_by("category__sort_order", "category__name", "name")


def rater_refusal(doctor):
    """Return why `doctor` may not rate tools yet, or None when they may."""
    if doctor is None:
        return _("Only doctors with a verified account can rate tools.")
    if doctor.anonymised_at is not None or doctor.user_id is None:
        return _("This account was deleted.")
    if doctor.email_confirmed_at is None and not doctor.psc_subject:  # the State vouched for a PSC doctor
        return _("Confirm your e-mail address first: follow the link we sent you.")
    if doctor.verification_status == Doctor.Status.REJECTED:
        return _("Your account could not be verified: %(reason)s") % {"reason": doctor.rejection_reason}
    if doctor.verification_status != Doctor.Status.VERIFIED:
        return _(
            "Your account is awaiting verification: our team checks your RPPS number, usually within two "
            "working days."
        )
    return None


def conflict_reasons(doctor):
    """Return {vendor id: why `doctor` may not rate that vendor's products} (declared links, e-mail domain)."""
    reasons = {}
    for conflict in doctor.conflicts.select_related("vendor"):
        reasons[conflict.vendor_id] = _(
            "You declared a link with %(vendor)s: you may not rate its products."
        ) % {"vendor": conflict.vendor.name}
    domain = email_domain(doctor.user.email) if doctor.user_id else ""
    if domain:
        for vendor in Vendor.objects.exclude(email_domains=""):
            if vendor.pk not in reasons and domain_matches(domain, vendor.email_domain_list):
                reasons[vendor.pk] = _(
                    "Your e-mail address (@%(domain)s) belongs to %(vendor)s: its staff may not rate its products."
                ) % {"domain": domain, "vendor": vendor.name}
    return reasons


def conflict_refusal(*, doctor, product):
    """Return why `doctor` may not rate `product` because of a link with its vendor, or None."""
    return conflict_reasons(doctor).get(product.vendor_id)


def _require_rater(doctor):
    reason = rater_refusal(doctor)
    if reason:
        raise SurveyRefusal(reason, code="not_allowed")


def _require_open(campaign):
    # Read the status afresh: an analyst may have closed the campaign while the form was open.
    campaign = Campaign.objects.get(pk=campaign.pk)
    if not campaign_accepts_answers(campaign):
        raise SurveyRefusal(
            _("The campaign “%(campaign)s” is closed: answers can no longer be changed.")
            % {"campaign": campaign.title},
            code="campaign_closed",
        )
    return campaign


def _require_covered(campaign, product):
    if not campaign_products(campaign).filter(pk=product.pk).exists():
        raise SurveyRefusal(
            _("%(product)s is not part of this campaign.") % {"product": product.name}, code="not_covered"
        )


def _require_no_conflict(doctor, product):
    reason = conflict_refusal(doctor=doctor, product=product)
    if reason:
        raise SurveyRefusal(reason, code="conflict_of_interest")


def _response_for_update(*, doctor, product, campaign, signals):
    """Return the response of doctor × product × campaign, locked, creating a draft if there is none.

    The database's unique constraint settles two requests racing to create it: get_or_create retries
    the read when its insert loses, and the explicit retry covers a loser whose read came first.
    """
    lookup = {"doctor": doctor, "product": product, "campaign": campaign}
    try:
        response, _created = Response.objects.select_for_update().get_or_create(**lookup, defaults=signals)
    except IntegrityError:
        response = Response.objects.select_for_update().get(**lookup)
    return response


@transaction.atomic
def choose_tools(*, doctor, campaign, add=(), remove=(), network_prefix="", fingerprint=""):
    """Start a draft for each product of `add` and drop the drafts of `remove`; return a ToolSelection.

    Products of a vendor the doctor is linked to are refused, with the reason; submitted responses are
    never dropped here.
    """
    _require_rater(doctor)
    campaign = _require_open(campaign)
    covered = set(campaign_products(campaign).values_list("pk", flat=True))
    reasons = conflict_reasons(doctor)
    signals = {"network_prefix": network_prefix, "fingerprint": fingerprint}
    selection = ToolSelection(added=[], removed=[], refused={})
    for product in add:
        if product.pk not in covered:
            selection.refused[product] = _("This tool is not part of this campaign.")
        elif product.vendor_id in reasons:
            selection.refused[product] = reasons[product.vendor_id]
        else:
            _response_for_update(doctor=doctor, product=product, campaign=campaign, signals=signals)
            selection.added.append(product)
    drafts = Response.objects.filter(
        doctor=doctor, campaign=campaign, product__in=list(remove), status=Response.Status.DRAFT
    )
    selection.removed = [r.product for r in drafts.select_related("product")]
    drafts.delete()
    return selection


def _clean_answers(answers, recommend, time_in_use, comment):
    errors = {}
    values = {}
    for slug in FACET_SLUGS:
        value = answers.get(slug)
        if value is not None and (not isinstance(value, int) or not 1 <= value <= 5):
            errors[slug] = _("Choose an answer from 1 to 5, or “not applicable”.")
        values[slug] = value
    if recommend is not None and (not isinstance(recommend, int) or not 0 <= recommend <= 10):
        errors["recommend"] = _("Choose a number from 0 to 10.")
    if time_in_use and time_in_use not in Response.TimeInUse.values:
        errors["time_in_use"] = _("Choose one of the durations offered.")
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = _("At most %(n)s characters.") % {"n": COMMENT_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    return values


# What `save_response(situation=…)` may set: the optional answers of METHODOLOGY.md §10.
SITUATION_ATTRIBUTES = frozenset({*SITUATION_ANSWERS, "previous_product_id", "previous_product_other"})


@transaction.atomic
def save_response(
    *,
    doctor,
    product,
    campaign,
    answers,
    recommend=None,
    time_in_use="",
    comment="",
    submit=False,
    network_prefix="",
    fingerprint="",
    situation=None,
):
    """Save `doctor`'s answers about `product` in `campaign` as a draft or submitted; return the response.

    `answers` maps facet slugs to 1–5, or None for "not applicable". A submitted response stays
    submitted (saving it again re-submits it) and needs at least one facet answered. A new or changed
    comment goes to moderation when submitted.
    """
    _require_rater(doctor)
    campaign = _require_open(campaign)
    _require_covered(campaign, product)
    _require_no_conflict(doctor, product)
    comment = (comment or "").strip()
    values = _clean_answers(answers, recommend, time_in_use, comment)

    signals = {"network_prefix": network_prefix, "fingerprint": fingerprint}
    response = _response_for_update(doctor=doctor, product=product, campaign=campaign, signals=signals)
    submit = submit or response.status == Response.Status.SUBMITTED
    if submit and all(value is None for value in values.values()):
        raise ValidationError(
            {FACET_SLUGS[0]: _("Answer at least one question from 1 to 5 before submitting.")},
            code="no_answer",
        )

    previous_comment = response.comment
    for slug, value in values.items():
        setattr(response, slug, value)
    response.recommend = recommend
    response.time_in_use = time_in_use or ""
    response.comment = comment
    for name, value in (
        situation or {}
    ).items():  # practice, price, contract, switching (RatingForm.situation)
        if name not in SITUATION_ATTRIBUTES:
            raise ValueError(f"not an answer on the doctor's situation: {name}")
        setattr(response, name, value)
    if network_prefix or fingerprint:
        response.network_prefix = network_prefix
        response.fingerprint = fingerprint
    if submit:
        response.status = Response.Status.SUBMITTED
        response.submitted_at = timezone.now()
        if not comment:
            response.comment_status = Response.CommentStatus.NONE
            response.comment_rejection_reason = ""
        elif comment != previous_comment or response.comment_status == Response.CommentStatus.NONE:
            # A new or edited comment is read again before publication, even if an earlier one was approved.
            response.comment_status = Response.CommentStatus.PENDING
            response.comment_rejection_reason = ""
    response.save()
    if submit:
        flag_response_on_submit(response=response)
    return response


def campaign_progress(*, doctor, campaign):
    """Return (tools submitted, tools chosen) for `doctor` in `campaign`."""
    responses = Response.objects.filter(doctor=doctor, campaign=campaign)
    return responses.submitted().count(), responses.count()


@transaction.atomic
def close_campaign(*, campaign, by):
    """Close `campaign` (no more answers or edits), tell the scores to recompute; return the campaign."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.CLOSED:
        return campaign
    campaign.status = Campaign.Status.CLOSED
    campaign.save(update_fields=["status", "updated_at"])
    log(instance=campaign, action="surveys.campaign.close", user=by)
    scores_invalidated.send(sender=Campaign, reason="campaign_closed", campaign=campaign)
    return campaign
