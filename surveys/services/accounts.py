"""Doctor accounts: sign-up, e-mail confirmation, verification, conflicts of interest, export and deletion."""

import secrets

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from surveys.emails import send_doctor_email
from surveys.models import ConflictOfInterest, Doctor, ModerationEvent, Response, ResponseFlag
from surveys.services.directory import find_directory_match
from surveys.signals import scores_invalidated

DOCTOR_GROUP = "doctor"

EMAIL_CONFIRMATION_SALT = "surveys.email-confirmation"
# A week: doctors read their mail between consultations, not always the same day.
EMAIL_CONFIRMATION_MAX_AGE = 7 * 24 * 3600

# An anonymised doctor keeps a unique placeholder in `rpps`: a letter then 10 random characters, so it
# can never equal a real RPPS number (11 digits) nor be traced back to one.
ANONYMOUS_RPPS_PREFIX = "X"


class AccountError(Exception):
    """A refused account operation; `message` is shown to the person."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def normalise_email(email):
    return (email or "").strip().lower()


def _free_username(email):
    """Return `email` as the username when it fits and is free, else a generated one."""
    User = get_user_model()
    if (
        len(email) <= User._meta.get_field("username").max_length
        and not User.objects.filter(username__iexact=email).exists()
    ):
        return email
    return f"doctor-{secrets.token_hex(8)}"


@transaction.atomic
def sign_up_doctor(
    *, email, password, rpps, last_name, first_name, specialty, practice_mode, region="", charter_version=""
):
    """Create a user and its doctor profile, pending until the e-mail is confirmed; return the doctor.

    The doctor accepted the evaluator's charter of `charter_version` ("" without a charter page) now.
    """
    User = get_user_model()
    email = normalise_email(email)
    rpps = (rpps or "").replace(" ", "").strip()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(_("An account already uses this e-mail address."), field="email")
    if Doctor.objects.filter(rpps=rpps).exists():
        raise AccountError(
            _("An account already exists for this RPPS number. If it is yours, please contact us."),
            field="rpps",
        )
    user = User(
        username=_free_username(email),
        email=email,
        first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150],
    )
    user.set_password(password)
    doctor = Doctor(
        rpps=rpps,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        specialty=specialty,
        practice_mode=practice_mode,
        region=region or "",
        charter_version=charter_version or "",
        charter_accepted_at=timezone.now(),
    )
    doctor.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    try:
        # Two sign-ups racing on the same e-mail or RPPS: the database decides, the loser gets a message.
        with transaction.atomic():
            user.save()
            doctor.user = user
            doctor.save()
    except IntegrityError as exc:
        raise AccountError(_("An account already exists for this e-mail address or RPPS number.")) from exc
    group, _created = Group.objects.get_or_create(name=DOCTOR_GROUP)
    user.groups.add(group)
    return doctor


def email_confirmation_token(user):
    """Return a signed token confirming `user`'s current e-mail address."""
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=EMAIL_CONFIRMATION_SALT)


def send_confirmation_email(*, doctor, confirm_url):
    """E-mail `doctor` the link `confirm_url` that confirms their address."""
    return send_doctor_email(
        doctor=doctor,
        subject=gettext_lazy("Confirm your e-mail address"),
        template="surveys/emails/confirm_email.txt",
        context={"confirm_url": confirm_url, "max_age_days": EMAIL_CONFIRMATION_MAX_AGE // 86400},
    )


@transaction.atomic
def confirm_email(*, token):
    """Confirm the address the `token` was made for, then verify the doctor; return the doctor.

    A doctor whose RPPS number and last name match the public directory is verified at once; the others
    wait for a person.
    """
    try:
        data = signing.loads(token, salt=EMAIL_CONFIRMATION_SALT, max_age=EMAIL_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise AccountError(_("This confirmation link has expired: ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise AccountError(_("This confirmation link is not valid.")) from exc
    doctor = (
        Doctor.objects.select_for_update()
        .filter(user__pk=data.get("u"), user__email__iexact=data.get("e", ""), anonymised_at__isnull=True)
        .first()
    )
    if doctor is None:
        raise AccountError(_("This confirmation link is not valid."))
    if doctor.email_confirmed_at is None:
        doctor.email_confirmed_at = timezone.now()
        doctor.save(update_fields=["email_confirmed_at", "updated_at"])
    verify_through_directory(doctor=doctor)
    return doctor


@transaction.atomic
def verify_through_directory(*, doctor):
    """Mark a pending `doctor` verified when the directory lists their RPPS and last name; return it."""
    if doctor.verification_status != Doctor.Status.PENDING:
        return doctor
    if find_directory_match(rpps=doctor.rpps, last_name=doctor.last_name) is None:
        return doctor
    doctor.verification_status = Doctor.Status.VERIFIED
    doctor.verified_by = Doctor.VerifiedBy.DIRECTORY
    doctor.verified_at = timezone.now()
    doctor.rejection_reason = ""
    doctor.save(
        update_fields=["verification_status", "verified_by", "verified_at", "rejection_reason", "updated_at"]
    )
    return doctor


def _counts_changed(doctor):
    # A doctor's verification decides whether their submitted responses count.
    if doctor.responses.submitted().exists():
        scores_invalidated.send(sender=Doctor, reason="verification")


@transaction.atomic
def approve_doctor(*, doctor, by):
    """Verify `doctor` by a staff decision of `by`, tell them by e-mail; return the doctor."""
    doctor = Doctor.objects.select_for_update().get(pk=doctor.pk)
    if doctor.anonymised_at is not None:
        raise AccountError(_("This account was deleted."))
    was_verified = doctor.is_verified
    doctor.verification_status = Doctor.Status.VERIFIED
    doctor.verified_by = Doctor.VerifiedBy.STAFF
    doctor.verified_at = timezone.now()
    doctor.rejection_reason = ""
    doctor.save(
        update_fields=["verification_status", "verified_by", "verified_at", "rejection_reason", "updated_at"]
    )
    log(instance=doctor, action="surveys.doctor.approve", user=by)
    if not was_verified:
        _counts_changed(doctor)
        send_doctor_email(
            doctor=doctor,
            subject=gettext_lazy("Your account is verified"),
            template="surveys/emails/doctor_approved.txt",
        )
    return doctor


@transaction.atomic
def reject_doctor(*, doctor, by, reason):
    """Refuse `doctor`'s verification for `reason` (shown to them), tell them by e-mail; return the doctor."""
    reason = (reason or "").strip()
    if not reason:
        raise AccountError(_("Say why the account is refused: the doctor will read it."), field="reason")
    doctor = Doctor.objects.select_for_update().get(pk=doctor.pk)
    if doctor.anonymised_at is not None:
        raise AccountError(_("This account was deleted."))
    was_verified = doctor.is_verified
    doctor.verification_status = Doctor.Status.REJECTED
    doctor.verified_by = ""
    doctor.verified_at = None
    doctor.rejection_reason = reason
    doctor.save(
        update_fields=["verification_status", "verified_by", "verified_at", "rejection_reason", "updated_at"]
    )
    log(instance=doctor, action="surveys.doctor.reject", user=by)
    if was_verified:
        _counts_changed(doctor)
    send_doctor_email(
        doctor=doctor,
        subject=gettext_lazy("Your account could not be verified"),
        template="surveys/emails/doctor_rejected.txt",
        context={"reason": reason},
    )
    return doctor


@transaction.atomic
def declare_conflict(*, doctor, vendor, description):
    """Record (or update) `doctor`'s link with `vendor`; return the ConflictOfInterest."""
    description = (description or "").strip()
    if not description:
        raise AccountError(_("Describe the link in a few words."), field="description")
    conflict, _created = ConflictOfInterest.objects.update_or_create(
        doctor=doctor, vendor=vendor, defaults={"description": description[:255]}
    )
    return conflict


@transaction.atomic
def remove_conflict(*, doctor, conflict_id):
    """Delete one of `doctor`'s declared links; return True when there was one."""
    deleted, _details = ConflictOfInterest.objects.filter(doctor=doctor, pk=conflict_id).delete()
    return bool(deleted)


def _dt(value):
    return value.isoformat() if value else None


def export_personal_data(*, user):
    """Return everything the site holds about `user` as JSON-ready data (GDPR right of access)."""
    doctor = getattr(user, "doctor", None)
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _dt(user.date_joined),
            "last_login": _dt(user.last_login),
        },
        "doctor": None,
        "conflicts_of_interest": [],
        "responses": [],
    }
    if doctor is None:
        return data
    data["doctor"] = {
        "rpps": doctor.rpps,
        "last_name": doctor.last_name,
        "first_name": doctor.first_name,
        "specialty": doctor.specialty,
        "practice_mode": doctor.practice_mode,
        "region": doctor.region,
        "verification_status": doctor.verification_status,
        "verified_by": doctor.verified_by,
        "verified_at": _dt(doctor.verified_at),
        "rejection_reason": doctor.rejection_reason,
        "email_confirmed_at": _dt(doctor.email_confirmed_at),
        "charter_version": doctor.charter_version,
        "charter_accepted_at": _dt(doctor.charter_accepted_at),
        "pro_sante_connect_linked_at": _dt(doctor.psc_linked_at),
        "created_at": _dt(doctor.created_at),
    }
    data["conflicts_of_interest"] = [
        {"vendor": c.vendor.slug, "vendor_name": c.vendor.name, "description": c.description}
        for c in doctor.conflicts.select_related("vendor")
    ]
    responses = doctor.responses.select_related("product", "campaign", "previous_product").order_by(
        "created_at", "pk"
    )
    data["responses"] = [
        {
            "product": r.product.slug,
            "product_name": r.product.name,
            "campaign": r.campaign.slug,
            "status": r.status,
            "answers": r.answers,
            "recommend": r.recommend,
            "time_in_use": r.time_in_use,
            "comment": r.comment,
            "practice_setting": r.practice_setting,
            "price_paid_per_month": str(r.price_paid) if r.price_paid is not None else None,
            "price_increased": r.price_increased,
            "commitment_months": r.commitment_months,
            "considering_switch": r.considering_switch,
            "previous_product": r.previous_product.slug if r.previous_product_id else None,
            "previous_product_other": r.previous_product_other,
            "comment_status": r.comment_status,
            "comment_rejection_reason": r.comment_rejection_reason,
            "excluded_from_scores": r.excluded,
            "submitted_at": _dt(r.submitted_at),
            "created_at": _dt(r.created_at),
            "updated_at": _dt(r.updated_at),
            # Kept to detect fraud (METHODOLOGY.md §7); they are personal data, so they are shown here.
            "network_prefix": r.network_prefix,
            "browser_fingerprint": r.fingerprint,
        }
        for r in responses
    ]
    return data


def _anonymous_rpps():
    while True:
        token = ANONYMOUS_RPPS_PREFIX + secrets.token_hex(5)
        if not Doctor.objects.filter(rpps=token).exists():
            return token


@transaction.atomic
def delete_account(*, user):
    """Delete `user` and irreversibly anonymise their doctor profile; return the anonymised doctor or None.

    What is erased: the user account (e-mail, password, names), the sign-in history kept by django-axes,
    the doctor's names and RPPS number (replaced by a random placeholder that no real number can equal),
    the comments and what moderators wrote about them, the details of fraud flags, the network prefix, browser fingerprint and
    invitation code of every response, the wording of declared conflicts, and every draft.

    What is kept, tied to nobody: the doctor row with its coarse profile (specialty, practice mode,
    region: the strata the scores are weighted on), its verification status, the declared vendors (a
    conflicted rating must stay out of the scores) and the answers of submitted responses, so that
    published scores do not shift when a rater leaves. Nothing links these rows back to a person: no key,
    no hash of the RPPS number (an 11-digit space is small enough to brute-force any hash of it).
    """
    doctor = Doctor.objects.select_for_update().filter(user=user).first()
    emails = {user.email, user.get_username()}
    if doctor is not None:
        responses = Response.objects.filter(doctor=doctor)
        responses.filter(status=Response.Status.DRAFT).delete()
        ModerationEvent.objects.filter(response__doctor=doctor).update(reason_text="")
        # Flag details may quote the e-mail domain or the wording of a declared link.
        ResponseFlag.objects.filter(response__doctor=doctor).update(detail="")
        responses.update(
            comment="",
            comment_status=Response.CommentStatus.NONE,
            comment_rejection_reason="",
            network_prefix="",
            fingerprint="",
            invitation_code="",
            updated_at=timezone.now(),
        )
        doctor.conflicts.update(description="")
        doctor.user = None
        doctor.rpps = _anonymous_rpps()
        doctor.last_name = ""
        doctor.first_name = ""
        doctor.email_confirmed_at = None
        doctor.anonymised_at = timezone.now()
        doctor.save()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=emails).delete()
    user.delete()
    if doctor is not None:
        scores_invalidated.send(sender=Doctor, reason="account_deleted")
    return doctor
