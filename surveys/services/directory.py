"""The public directory (Annuaire Santé extract): streamed import and verification of sign-ups."""

import dataclasses
import unicodedata

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys.emails import send_doctor_email
from surveys.models import DirectoryEntry, Doctor, PracticeMode, Region, Response, Specialty
from surveys.rpps import rpps_error
from surveys.signals import scores_invalidated

# Header names of the extract `ps-libreacces-personne-activite.txt`. Columns are found by name: the
# publisher has added and moved columns over the years, never renamed these.
COL_ID_TYPE = "Type d'identifiant PP"
COL_ID = "Identifiant PP"
COL_LAST_NAME = "Nom d'exercice"
COL_FIRST_NAME = "Prénom d'exercice"
COL_PROFESSION = "Code profession"
COL_SAVOIR_FAIRE = "Code savoir-faire"
COL_PRACTICE_MODE = "Code mode exercice"
COL_DEPARTMENT = "Code Département (structure)"
COL_POSTCODE = "Code postal (coord. structure)"

REQUIRED_COLUMNS = (COL_ID_TYPE, COL_ID, COL_LAST_NAME, COL_PROFESSION)
OPTIONAL_COLUMNS = (COL_FIRST_NAME, COL_SAVOIR_FAIRE, COL_PRACTICE_MODE, COL_DEPARTMENT, COL_POSTCODE)

ID_TYPE_RPPS = "8"
PROFESSION_DOCTOR = "10"

# Rows written per INSERT … ON CONFLICT; large enough to amortise the round trip, small enough to
# keep memory flat on a file of millions of lines.
BATCH_SIZE = 5_000
# Malformed lines kept for the report; the rest are only counted (a broken file can have millions).
MAX_REPORTED_ISSUES = 1_000

UPSERT_FIELDS = [
    "last_name",
    "first_name",
    "profession_code",
    "specialty_code",
    "practice_mode_code",
    "department_code",
    "imported_at",
]


class DirectoryFormatError(ValueError):
    """The file cannot be read at all (no header, a required column missing)."""


@dataclasses.dataclass
class DirectoryImportReport:
    lines: int = 0
    doctors: int = 0
    created: int = 0
    updated: int = 0
    extra_activities: int = 0
    not_doctors: int = 0
    not_rpps: int = 0
    malformed: int = 0
    issues: list = dataclasses.field(default_factory=list)

    def add_issue(self, line_number, reason):
        self.malformed += 1
        if len(self.issues) < MAX_REPORTED_ISSUES:
            self.issues.append((line_number, reason))


def normalise_name(name):
    """Return `name` without case, accents or punctuation: 'Le Bœuf-Hérault' → 'le boeuf herault'."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    letters = letters.casefold().replace("œ", "oe").replace("æ", "ae")
    return " ".join("".join(c if c.isalnum() else " " for c in letters).split())


def find_directory_match(*, rpps, last_name):
    """Return the directory entry of `rpps` if its last name matches `last_name`, else None."""
    entry = DirectoryEntry.objects.filter(rpps=(rpps or "").strip()).first()
    if entry is None or not normalise_name(last_name):
        return None
    return entry if normalise_name(entry.last_name) == normalise_name(last_name) else None


@transaction.atomic
def verify_pending_doctors():
    """Verify (by the directory) the pending doctors whose RPPS and last name match; return their ids.

    Doctors with an account must have confirmed their e-mail first, as at sign-up; they are told by
    e-mail, since they were waiting for a person.
    """
    pending = list(
        Doctor.objects.filter(verification_status=Doctor.Status.PENDING, anonymised_at__isnull=True)
        .filter(Q(user__isnull=True) | Q(email_confirmed_at__isnull=False))
        .values_list("pk", "rpps", "last_name")
    )
    names = {}
    for start in range(0, len(pending), BATCH_SIZE):
        rpps_chunk = [rpps for _pk, rpps, _name in pending[start : start + BATCH_SIZE]]
        names.update(DirectoryEntry.objects.filter(rpps__in=rpps_chunk).values_list("rpps", "last_name"))
    matched = [
        pk
        for pk, rpps, last_name in pending
        if rpps in names
        and normalise_name(last_name)
        and normalise_name(names[rpps]) == normalise_name(last_name)
    ]
    now = timezone.now()
    for start in range(0, len(matched), BATCH_SIZE):
        Doctor.objects.filter(pk__in=matched[start : start + BATCH_SIZE]).update(
            verification_status=Doctor.Status.VERIFIED,
            verified_by=Doctor.VerifiedBy.DIRECTORY,
            verified_at=now,
            updated_at=now,
        )
    for doctor in Doctor.objects.filter(pk__in=matched, user__isnull=False).select_related("user").iterator():
        send_doctor_email(
            doctor=doctor,
            subject=gettext_lazy("Your account is verified"),
            template="surveys/emails/doctor_approved.txt",
        )
    if matched and Response.objects.filter(doctor__in=matched).exists():
        # Their submitted responses now count.
        scores_invalidated.send(sender=Response, reason="verification")
    return matched


def _cell(values, position, max_length):
    return values[position].strip()[:max_length] if position is not None else ""


def _department(values, index):
    department = values[index[COL_DEPARTMENT]].strip() if COL_DEPARTMENT in index else ""
    if department or COL_POSTCODE not in index:
        return department
    postcode = values[index[COL_POSTCODE]].strip()
    if len(postcode) != 5 or not postcode.isdigit():
        return ""
    # Overseas departments have three digits (971…976); Corsica's postcodes start with 20.
    return postcode[:3] if postcode.startswith("97") else postcode[:2]


def _parse_header(raw):
    try:
        header = raw.decode("utf-8-sig").rstrip("\r\n").split("|")
    except UnicodeDecodeError as exc:
        raise DirectoryFormatError(_("The header line is not UTF-8 text.")) from exc
    if header and header[-1] == "":
        header.pop()  # every line ends with a trailing "|"
    index = {name.strip(): position for position, name in enumerate(header)}
    missing = [name for name in REQUIRED_COLUMNS if name not in index]
    if missing:
        raise DirectoryFormatError(
            _("Column(s) missing from the header line: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return len(header), index


@transaction.atomic
def import_directory(*, path, batch_size=BATCH_SIZE, progress=None):
    """Upsert the doctors of the directory extract at `path` (streamed); return a DirectoryImportReport.

    One DirectoryEntry per RPPS number: a doctor with several practice activities is listed once, with
    the first activity line of the file. Malformed lines are reported with their number (the header is
    line 1) and skipped.
    """
    report = DirectoryImportReport()
    seen = set()
    batch = {}
    now = timezone.now()

    def flush():
        if not batch:
            return
        existing = set(DirectoryEntry.objects.filter(rpps__in=list(batch)).values_list("rpps", flat=True))
        DirectoryEntry.objects.bulk_create(
            batch.values(),
            update_conflicts=True,
            unique_fields=["rpps"],
            update_fields=UPSERT_FIELDS,
            batch_size=batch_size,
        )
        report.created += len(batch) - len(existing)
        report.updated += len(existing)
        batch.clear()

    with open(path, "rb") as stream:
        header_line = stream.readline()
        if not header_line:
            raise DirectoryFormatError(_("The file is empty."))
        if progress is not None:
            progress.update(len(header_line))
        n_columns, index = _parse_header(header_line)
        report.lines = 1
        col = {name: index.get(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
        for line_number, raw in enumerate(stream, start=2):
            report.lines = line_number
            if progress is not None:
                progress.update(len(raw))
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                report.add_issue(line_number, _("not UTF-8 text"))
                continue
            if not line.strip():
                continue
            values = line.split("|")
            if values[-1] == "":
                values.pop()
            if len(values) != n_columns:
                report.add_issue(
                    line_number,
                    _("%(found)s columns instead of %(expected)s")
                    % {"found": len(values), "expected": n_columns},
                )
                continue
            if values[col[COL_PROFESSION]].strip() != PROFESSION_DOCTOR:
                report.not_doctors += 1
                continue
            if values[col[COL_ID_TYPE]].strip() != ID_TYPE_RPPS:
                report.not_rpps += 1
                continue
            rpps = values[col[COL_ID]].strip()
            error = rpps_error(rpps)
            if error:
                report.add_issue(
                    line_number, _("bad RPPS number %(rpps)r: %(error)s") % {"rpps": rpps, "error": error}
                )
                continue
            last_name = values[col[COL_LAST_NAME]].strip()
            if not last_name:
                report.add_issue(line_number, _("no last name (Nom d'exercice)"))
                continue
            if rpps in seen:
                report.extra_activities += 1
                continue
            seen.add(rpps)
            batch[rpps] = DirectoryEntry(
                rpps=rpps,
                last_name=last_name[:120],
                first_name=_cell(values, col[COL_FIRST_NAME], 120),
                profession_code=PROFESSION_DOCTOR,
                specialty_code=_cell(values, col[COL_SAVOIR_FAIRE], 10),
                practice_mode_code=_cell(values, col[COL_PRACTICE_MODE], 4),
                department_code=_department(values, index)[:4],
                imported_at=now,
            )
            report.doctors += 1
            if len(batch) >= batch_size:
                flush()
        flush()
    return report


# Savoir-faire codes of the RPPS nomenclature (TRE-R38) mapped to the project's specialties. SM54 and the
# older SM53 are general practice (DOMAIN.md); codes not listed here map to "other".
SAVOIR_FAIRE_SPECIALTY = {
    "SM53": Specialty.GENERAL_PRACTICE,
    "SM54": Specialty.GENERAL_PRACTICE,
    "SM02": Specialty.ANESTHESIOLOGY,
    "SM04": Specialty.CARDIOLOGY,
    "SM15": Specialty.DERMATOLOGY,
    "SM16": Specialty.ENDOCRINOLOGY,
    "SM19": Specialty.GYNECOLOGY,
    "SM20": Specialty.GYNECOLOGY,
    "SM24": Specialty.GASTROENTEROLOGY,
    "SM32": Specialty.NEUROLOGY,
    "SM38": Specialty.OPHTHALMOLOGY,
    "SM39": Specialty.ENT,
    "SM40": Specialty.PEDIATRICS,
    "SM41": Specialty.PULMONOLOGY,
    "SM42": Specialty.PSYCHIATRY,
    "SM43": Specialty.PSYCHIATRY,
    "SM44": Specialty.RADIOLOGY,
    "SM47": Specialty.RHEUMATOLOGY,
}

PRACTICE_MODE_CODES = {"L": PracticeMode.LIBERAL, "S": PracticeMode.SALARIED}

# INSEE region of each department (2016 regions).
_REGION_DEPARTMENTS = {
    Region.GUADELOUPE: ["971"],
    Region.MARTINIQUE: ["972"],
    Region.GUYANE: ["973"],
    Region.LA_REUNION: ["974"],
    Region.MAYOTTE: ["976"],
    Region.ILE_DE_FRANCE: ["75", "77", "78", "91", "92", "93", "94", "95"],
    Region.CENTRE_VAL_DE_LOIRE: ["18", "28", "36", "37", "41", "45"],
    Region.BOURGOGNE_FRANCHE_COMTE: ["21", "25", "39", "58", "70", "71", "89", "90"],
    Region.NORMANDIE: ["14", "27", "50", "61", "76"],
    Region.HAUTS_DE_FRANCE: ["02", "59", "60", "62", "80"],
    Region.GRAND_EST: ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"],
    Region.PAYS_DE_LA_LOIRE: ["44", "49", "53", "72", "85"],
    Region.BRETAGNE: ["22", "29", "35", "56"],
    Region.NOUVELLE_AQUITAINE: ["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"],
    Region.OCCITANIE: ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"],
    Region.AUVERGNE_RHONE_ALPES: ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"],
    Region.PACA: ["04", "05", "06", "13", "83", "84"],
    Region.CORSE: ["2A", "2B", "20"],
}
DEPARTMENT_REGION = {dep: region for region, deps in _REGION_DEPARTMENTS.items() for dep in deps}


def specialty_for_savoir_faire(code):
    """Return the project specialty of an RPPS savoir-faire code ('other' when unknown)."""
    return SAVOIR_FAIRE_SPECIALTY.get((code or "").strip().upper(), Specialty.OTHER)


def region_for_department(code):
    """Return the INSEE region code of a department code, or '' when unknown."""
    code = (code or "").strip().upper()
    return DEPARTMENT_REGION.get(code.zfill(2) if code.isdigit() else code, "")
