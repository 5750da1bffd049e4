"""Doctors, the public directory they are verified against, and the links they declare."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratings.models import TimestampedModel, Vendor
from surveys.rpps import validate_rpps


class Specialty(models.TextChoices):
    GENERAL_PRACTICE = "general_practice", _("general practice")
    CARDIOLOGY = "cardiology", _("cardiology")
    DERMATOLOGY = "dermatology", _("dermatology")
    PEDIATRICS = "pediatrics", _("pediatrics")
    PSYCHIATRY = "psychiatry", _("psychiatry")
    GYNECOLOGY = "gynecology", _("gynecology")
    RADIOLOGY = "radiology", _("radiology")
    OPHTHALMOLOGY = "ophthalmology", _("ophthalmology")
    ENT = "ent", _("ear, nose and throat")
    RHEUMATOLOGY = "rheumatology", _("rheumatology")
    GASTROENTEROLOGY = "gastroenterology", _("gastroenterology")
    ENDOCRINOLOGY = "endocrinology", _("endocrinology")
    NEUROLOGY = "neurology", _("neurology")
    PULMONOLOGY = "pulmonology", _("pulmonology")
    ANESTHESIOLOGY = "anesthesiology", _("anaesthesiology")
    SURGERY = "surgery", _("surgery")
    OTHER = "other", _("other specialty")

    @classmethod
    def practice_group(cls, specialty):
        """Return the population stratum of METHODOLOGY.md §3: 'gp' or 'specialist'."""
        return "gp" if specialty == cls.GENERAL_PRACTICE else "specialist"


class PracticeMode(models.TextChoices):
    LIBERAL = "liberal", _("self-employed")
    SALARIED = "salaried", _("salaried")
    MIXED = "mixed", _("mixed")


class Region(models.TextChoices):
    """INSEE region codes (2016 regions, overseas included)."""

    GUADELOUPE = "01", "Guadeloupe"
    MARTINIQUE = "02", "Martinique"
    GUYANE = "03", "Guyane"
    LA_REUNION = "04", "La Réunion"
    MAYOTTE = "06", "Mayotte"
    ILE_DE_FRANCE = "11", "Île-de-France"
    CENTRE_VAL_DE_LOIRE = "24", "Centre-Val de Loire"
    BOURGOGNE_FRANCHE_COMTE = "27", "Bourgogne-Franche-Comté"
    NORMANDIE = "28", "Normandie"
    HAUTS_DE_FRANCE = "32", "Hauts-de-France"
    GRAND_EST = "44", "Grand Est"
    PAYS_DE_LA_LOIRE = "52", "Pays de la Loire"
    BRETAGNE = "53", "Bretagne"
    NOUVELLE_AQUITAINE = "75", "Nouvelle-Aquitaine"
    OCCITANIE = "76", "Occitanie"
    AUVERGNE_RHONE_ALPES = "84", "Auvergne-Rhône-Alpes"
    PACA = "93", "Provence-Alpes-Côte d'Azur"
    CORSE = "94", "Corse"


rpps_field_validators = [
    RegexValidator(r"^\d{11}$", _("An RPPS number has exactly 11 digits.")),
    validate_rpps,
]


class DirectoryEntry(models.Model):
    """A practitioner of the public directory (Annuaire Santé extract), used to verify sign-ups."""

    rpps = models.CharField(_("RPPS"), max_length=11)
    last_name = models.CharField(_("last name"), max_length=120)
    first_name = models.CharField(_("first name"), max_length=120, blank=True)
    profession_code = models.CharField(_("profession code"), max_length=10, blank=True)
    specialty_code = models.CharField(_("savoir-faire code"), max_length=10, blank=True)
    practice_mode_code = models.CharField(_("practice mode code"), max_length=4, blank=True)
    department_code = models.CharField(_("department"), max_length=4, blank=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        ordering = ["rpps"]
        constraints = [models.UniqueConstraint(fields=["rpps"], name="surveys_directoryentry_rpps_unique")]

    def __str__(self):
        return f"{self.rpps} {self.last_name}"


class DoctorQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verification_status=Doctor.Status.VERIFIED)


class Doctor(TimestampedModel):
    """A rater. Identity fields are seen by staff only; everything public uses the coarse profile."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending verification")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    class VerifiedBy(models.TextChoices):
        DIRECTORY = "directory", _("public directory")
        STAFF = "staff", _("staff")
        IMPORT = "import", _("import")
        PRO_SANTE_CONNECT = "pro_sante_connect", _("Pro Santé Connect")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="doctor"
    )
    rpps = models.CharField(_("RPPS number"), max_length=11, validators=rpps_field_validators)
    last_name = models.CharField(_("last name"), max_length=120, blank=True)
    first_name = models.CharField(_("first name"), max_length=120, blank=True)
    specialty = models.CharField(_("specialty"), max_length=30, choices=Specialty.choices)
    practice_mode = models.CharField(
        _("practice mode"), max_length=20, choices=PracticeMode.choices, default=PracticeMode.LIBERAL
    )
    region = models.CharField(_("region"), max_length=3, choices=Region.choices, blank=True)
    # The evaluator's charter the doctor accepted at sign-up (surveys.charter), and when.
    charter_version = models.CharField(_("charter version accepted"), max_length=20, blank=True)
    charter_accepted_at = models.DateTimeField(_("charter accepted at"), null=True, blank=True)
    verification_status = models.CharField(
        _("verification"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    verified_by = models.CharField(_("verified by"), max_length=20, choices=VerifiedBy.choices, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Pro Santé Connect (surveys/services/pro_sante_connect.py): the provider's subject for this doctor,
    # once they have signed in with it, and since when.
    psc_subject = models.CharField(_("Pro Santé Connect identifier"), max_length=255, blank=True)
    psc_linked_at = models.DateTimeField(_("Pro Santé Connect linked at"), null=True, blank=True)
    # Sign-up and account deletion (surveys/services/accounts.py).
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        help_text=_("Set when the doctor deleted their account: identity erased, answers kept for scores."),
    )

    objects = DoctorQuerySet.as_manager()

    class Meta:
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["rpps"], name="surveys_doctor_rpps_unique"),
            models.UniqueConstraint(
                fields=["psc_subject"],
                condition=~models.Q(psc_subject=""),
                name="surveys_doctor_psc_subject_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(verification_status="rejected") | ~models.Q(rejection_reason=""),
                name="surveys_doctor_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return _("Doctor #%(id)s") % {"id": self.pk}

    @property
    def is_verified(self):
        return self.verification_status == self.Status.VERIFIED

    @property
    def practice_group(self):
        return Specialty.practice_group(self.specialty)

    @property
    def public_profile(self):
        """Return the coarse profile shown beside a verbatim: practice group only, never the person."""
        return _("general practitioner") if self.practice_group == "gp" else _("specialist")


class ConflictOfInterest(TimestampedModel):
    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="conflicts")
    vendor = models.ForeignKey(Vendor, verbose_name=_("vendor"), on_delete=models.CASCADE, related_name="+")
    description = models.CharField(_("nature of the link"), max_length=255)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        ordering = ["vendor"]
        constraints = [models.UniqueConstraint(fields=["doctor", "vendor"], name="surveys_conflict_unique")]

    def __str__(self):
        return f"{self.vendor}: {self.description}"
