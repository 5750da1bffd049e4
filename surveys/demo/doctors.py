"""Demo doctors: the directory sample's, and ~1,500 invented ones with Luhn-valid RPPS numbers."""

from pathlib import Path

from surveys.models import DirectoryEntry, Doctor, Region, Specialty
from surveys.rpps import luhn_check_digit
from surveys.services.directory import (
    PRACTICE_MODE_CODES,
    region_for_department,
    specialty_for_savoir_faire,
)

DIRECTORY_SAMPLE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "ps-libreacces-personne-activite-sample.txt"
)
N_DOCTORS = 1_500
GP_SHARE = 0.45  # below the population's 52%: the weighting has something to correct
# The directory sample's doctors have RPPS numbers starting so (the sample was generated that way).
SAMPLE_RPPS_PREFIX = "101900"
# Invented RPPS numbers of the demo doctors: "1019" (as the directory sample) then "8", a serial and the
# Luhn digit, so that they never collide with the sample's.
DEMO_RPPS_PREFIX = "10198"

DEMO_DOCTOR_RPPS = "10190010073"  # Anatole Quérel in the directory sample

LAST_NAMES = (
    "Aubertin Barrault Cazenave Darrieux Esnault Faucheux Gaillot Hennequin Isnard Jaffrès Kervella Lacombe "
    "Mabillon Noblet Olivier-Dorme Paillard Quéméner Rabier Salomé Teyssier Urvoy Vasseur Wolff Yver Zeller "
    "Abadie Bernadou Chassagne Delpech Estrade Fabre-Colin Garrigues Hamon Imbert Josselin Lagarde Maurel"
).split()
FIRST_NAMES = (
    "Agathe Bastien Céleste Damien Eugénie Félix Garance Hugo Inès Jules Katell Lucien Margaux Noé Odile "
    "Paul Romane Simon Tiphaine Ulysse Valentine Xavier Yasmine Zoé Aurélien Bérangère Corentin Daphné"
).split()
SPECIALISTS = [s for s in Specialty.values if s not in (Specialty.GENERAL_PRACTICE, Specialty.OTHER)]
REGIONS = [
    (Region.ILE_DE_FRANCE, 0.22),
    (Region.AUVERGNE_RHONE_ALPES, 0.14),
    (Region.OCCITANIE, 0.12),
    (Region.NOUVELLE_AQUITAINE, 0.11),
    (Region.PACA, 0.10),
    (Region.HAUTS_DE_FRANCE, 0.09),
    (Region.GRAND_EST, 0.08),
    (Region.BRETAGNE, 0.07),
    (Region.LA_REUNION, 0.03),
    ("", 0.04),
]


def demo_rpps(n):
    digits = f"{DEMO_RPPS_PREFIX}{n:05d}"
    return digits + luhn_check_digit(digits)


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def seed_doctors(rng, now):
    """Create the directory sample's doctors and the invented ones; return them as a list."""
    existing = set(Doctor.objects.values_list("rpps", flat=True))
    new = []
    sample = DirectoryEntry.objects.filter(rpps__startswith=SAMPLE_RPPS_PREFIX).order_by("rpps")
    for entry in sample:
        if entry.rpps in existing:
            continue
        new.append(
            Doctor(
                rpps=entry.rpps,
                last_name=entry.last_name.title(),
                first_name=entry.first_name,
                specialty=specialty_for_savoir_faire(entry.specialty_code),
                practice_mode=PRACTICE_MODE_CODES.get(entry.practice_mode_code, "liberal"),
                region=region_for_department(entry.department_code),
                verification_status=Doctor.Status.VERIFIED,
                verified_by=Doctor.VerifiedBy.DIRECTORY,
                verified_at=now,
            )
        )
    n_invented = N_DOCTORS - sample.count()
    for n in range(n_invented):
        # Drawn even for doctors already there, so the sequence (and the data) never shifts.
        is_gp = rng.random() < GP_SHARE
        specialty = Specialty.GENERAL_PRACTICE if is_gp else rng.choice(SPECIALISTS)
        region = _weighted(rng, REGIONS)
        last, first = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES)
        mode = "liberal" if rng.random() < 0.85 else "mixed"
        rpps = demo_rpps(n)
        if rpps in existing:
            continue
        new.append(
            Doctor(
                rpps=rpps,
                last_name=last,
                first_name=first,
                specialty=specialty,
                practice_mode=mode,
                region=region,
                verification_status=Doctor.Status.VERIFIED,
                verified_by=Doctor.VerifiedBy.IMPORT,
                verified_at=now,
            )
        )
    Doctor.objects.bulk_create(new, batch_size=500)
    return len(new)
