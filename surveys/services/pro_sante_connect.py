"""Pro Santé Connect: who the national sign-in says a person is, and which account that makes them.

The OpenID Connect exchange itself (state, nonce, PKCE, the ID token's signature and times) is Authlib's,
in surveys/views/pro_sante_connect.py. What is decided here, from the claims the provider vouches for:
- `identity_from_claims`: the national identifier `SubjectNameID` ("8" + the 11-digit RPPS) and the
  professional situations `SubjectRefPro.exercices` (profession code "10" is a doctor); anyone else is
  refused with `NotADoctor`.
- `resolve`: the doctor already linked to this identity (sign in), the account with the same RPPS that
  its owner must confirm with their password before it is linked (never a second account), or a new
  doctor to create, verified at once: the State has identified them.
"""

import dataclasses

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import charter
from surveys.models import DirectoryEntry, Doctor, PracticeMode, Specialty
from surveys.rpps import luhn_checksum_ok

from .accounts import DOCTOR_GROUP, AccountError, _free_username, normalise_email
from .directory import region_for_department, specialty_for_savoir_faire

DOCTOR_PROFESSION = "10"
RPPS_IDENTIFIER_PREFIX = "8"
MODES = {"L": PracticeMode.LIBERAL, "S": PracticeMode.SALARIED}


def configured():
    """Whether the site offers Pro Santé Connect: its discovery URL, client id and secret are all set."""
    conf = settings.PRO_SANTE_CONNECT
    return bool(conf["DISCOVERY_URL"] and conf["CLIENT_ID"] and conf["CLIENT_SECRET"])


class IdentityRefused(Exception):
    """The provider's answer does not describe a doctor we can accept; `message` says why, for them."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotADoctor(IdentityRefused):
    pass


@dataclasses.dataclass(frozen=True)
class Identity:
    """What Pro Santé Connect vouches for about the person signing in."""

    subject: str
    rpps: str
    last_name: str
    first_name: str
    savoir_faire: str
    mode_code: str

    def as_session(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_session(cls, data):
        return (
            cls(**data)
            if isinstance(data, dict) and set(data) == {f.name for f in dataclasses.fields(cls)}
            else None
        )


def _exercices(claims):
    situations = claims.get("SubjectRefPro") or {}
    exercices = situations.get("exercices") if isinstance(situations, dict) else None
    return [e for e in exercices or [] if isinstance(e, dict)]


def identity_from_claims(claims):
    """Return the `Identity` of the userinfo `claims`, or raise `IdentityRefused` (`NotADoctor`)."""
    subject = str(claims.get("sub") or "")
    national = str(claims.get("SubjectNameID") or "")
    rpps = national[1:]
    if not subject or not (
        national.startswith(RPPS_IDENTIFIER_PREFIX)
        and len(rpps) == 11
        and rpps.isdigit()
        and luhn_checksum_ok(rpps)
    ):
        raise IdentityRefused(
            _(
                "Pro Santé Connect did not give an RPPS number for this sign-in, so we cannot tell who you are."
            )
        )
    exercices = _exercices(claims)
    as_doctor = [e for e in exercices if str(e.get("codeProfession")) == DOCTOR_PROFESSION]
    if not as_doctor:
        professions = sorted({str(e.get("codeProfession")) for e in exercices if e.get("codeProfession")})
        raise NotADoctor(
            _(
                "Pro Santé Connect lists you as a health professional who is not a doctor (profession code "
                "%(codes)s). Only doctors rate software here."
            )
            % {"codes": ", ".join(professions) or "—"}
        )
    first = as_doctor[0]
    activities = [a for a in first.get("activities") or [] if isinstance(a, dict)]
    return Identity(
        subject=subject,
        rpps=rpps,
        last_name=str(first.get("nomDexercice") or claims.get("family_name") or "")[:120],
        first_name=str(first.get("prenomDexercice") or claims.get("given_name") or "")[:120],
        savoir_faire=str(first.get("codeSavoirFaire") or ""),
        mode_code=str(activities[0].get("codeModeExercice") or "") if activities else "",
    )


@dataclasses.dataclass(frozen=True)
class Resolution:
    """What a sign-in leads to: `doctor` to sign in, `to_confirm` (an account to link), or a new doctor."""

    doctor: Doctor | None = None
    to_confirm: Doctor | None = None


def resolve(identity):
    """Find the doctor this identity belongs to (see the module's docstring)."""
    linked = Doctor.objects.select_related("user").filter(psc_subject=identity.subject).first()
    if linked is not None:
        if linked.anonymised_at is not None or linked.user is None or not linked.user.is_active:
            raise IdentityRefused(_("The account linked to this identity was deleted."))
        return Resolution(doctor=linked)
    same_rpps = Doctor.objects.select_related("user").filter(rpps=identity.rpps).first()
    if same_rpps is not None:
        if same_rpps.anonymised_at is not None:
            raise IdentityRefused(_("The account of this RPPS number was deleted."))
        if same_rpps.psc_subject:  # linked to another identity of the provider: never taken over
            raise IdentityRefused(
                _("This RPPS number is already linked to another Pro Santé Connect identity.")
            )
        if same_rpps.user is not None:
            return Resolution(to_confirm=same_rpps)
    return Resolution()


def directory_profile(identity):
    """Return (specialty, practice mode, region or "") from the directory, else from the provider's claims."""
    entry = DirectoryEntry.objects.filter(rpps=identity.rpps).first()
    savoir_faire = (entry.specialty_code if entry else "") or identity.savoir_faire
    mode = (entry.practice_mode_code if entry else "") or identity.mode_code
    region = region_for_department(entry.department_code) if entry and entry.department_code else ""
    return specialty_for_savoir_faire(savoir_faire), MODES.get(mode, PracticeMode.LIBERAL), region or ""


def _mark_verified(doctor, identity, now):
    doctor.psc_subject = identity.subject
    doctor.psc_linked_at = now
    if doctor.verification_status != Doctor.Status.VERIFIED:
        doctor.verification_status = Doctor.Status.VERIFIED
        doctor.verified_by = Doctor.VerifiedBy.PRO_SANTE_CONNECT
        doctor.verified_at = now
        doctor.rejection_reason = ""


@transaction.atomic
def link(*, doctor, identity):
    """Link `doctor` (its owner proved it with their password, or is signed in) to the identity; verify it."""
    if doctor.rpps != identity.rpps:
        raise AccountError(_("This Pro Santé Connect identity has another RPPS number than your account."))
    doctor = Doctor.objects.select_for_update().get(pk=doctor.pk)
    if doctor.psc_subject and doctor.psc_subject != identity.subject:
        raise AccountError(_("Your account is already linked to another Pro Santé Connect identity."))
    _mark_verified(doctor, identity, timezone.now())
    doctor.save()
    return doctor


@transaction.atomic
def create_doctor(*, identity, email, region="", accepts_charter):
    """Create the account and the doctor, verified, for a first sign-in with Pro Santé Connect.

    Signing in is by Pro Santé Connect: the account has no usable password until the doctor sets one.
    """
    if not accepts_charter:
        raise AccountError(_("Accept the evaluator's charter to rate tools."))
    if resolve(identity) != Resolution():
        raise AccountError(_("An account already exists for this RPPS number."))
    email = normalise_email(email)
    users = get_user_model().objects
    if users.filter(email__iexact=email).exists():
        raise AccountError(
            _("An account already uses this e-mail address. Sign in with it, then link Pro Santé Connect.")
        )
    specialty, mode, directory_region = directory_profile(identity)
    now = timezone.now()
    user = users.create_user(
        username=_free_username(email),
        email=email,
        first_name=identity.first_name,
        last_name=identity.last_name,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    user.groups.add(Group.objects.get_or_create(name=DOCTOR_GROUP)[0])
    doctor = Doctor(
        user=user,
        rpps=identity.rpps,
        last_name=identity.last_name,
        first_name=identity.first_name,
        specialty=specialty or Specialty.GENERAL_PRACTICE,
        practice_mode=mode,
        region=directory_region or region,
        charter_version=charter.current()[0],
        charter_accepted_at=now,
    )
    _mark_verified(doctor, identity, now)
    try:
        with transaction.atomic():
            doctor.save()
    except IntegrityError as exc:  # the same person finishing twice at once: one account only
        raise AccountError(_("An account already exists for this RPPS number.")) from exc
    return doctor


@transaction.atomic
def unlink(*, doctor):
    """Forget the doctor's Pro Santé Connect identity (they sign in with their e-mail and password)."""
    if doctor.user is None or not doctor.user.has_usable_password():
        raise AccountError(_("Choose a password first: without Pro Santé Connect, it is how you sign in."))
    Doctor.objects.filter(pk=doctor.pk).update(psc_subject="", psc_linked_at=None)
