from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from surveys.models import DirectoryEntry, Doctor
from surveys.rpps import luhn_check_digit
from surveys.services.directory import (
    find_directory_match,
    import_directory,
    region_for_department,
    verify_pending_doctors,
)
from tests.factories import DoctorFactory

pytestmark = pytest.mark.django_db

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "surveys"
    / "fixtures"
    / "ps-libreacces-personne-activite-sample.txt"
)


def rpps(prefix):
    return prefix + luhn_check_digit(prefix)


def run_command(path):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_rpps_directory", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def sample_lines():
    return SAMPLE.read_text(encoding="utf-8").splitlines()


def test_sample_imports_doctors_only_and_reports_malformed_lines_by_number():
    out, err = run_command(SAMPLE)
    lines = sample_lines()
    header = lines[0].split("|")
    doctor_rpps = {
        cells[1]
        for cells in (line.split("|") for line in lines[1:])
        if len(cells) == len(header) and cells[0] == "8" and cells[9] == "10" and cells[7]
    }
    doctor_rpps.discard("10190090019")  # the line with a wrong check digit
    assert set(DirectoryEntry.objects.values_list("rpps", flat=True)) == doctor_rpps
    assert DirectoryEntry.objects.count() == 28
    # Non-doctors (nurses, a pharmacist, a physiotherapist) and the ADELI identifier are skipped.
    assert not DirectoryEntry.objects.filter(last_name__in=["LEMARQUIS", "ROUSSILLAT", "VERNADET"]).exists()
    for number, text in ((33, "numéro RPPS"), (34, "nom absent"), (35, "18 colonnes au lieu de 52")):
        assert f"ligne {number} : " in err
        assert text in [line for line in err.splitlines() if line.startswith(f"ligne {number} :")][0]
    assert err.count("ligne ") == 3
    assert "28 médecin(s) (28 nouveau(x), 0 mis à jour)" in out
    assert "4 activité(s) d'exercice supplémentaire(s)" in out
    assert "3 ligne(s) mal formée(s)" in out


def test_doctor_with_two_activities_is_stored_once_with_the_first():
    run_command(SAMPLE)
    entry = DirectoryEntry.objects.get(last_name="QUÉREL")
    assert entry.first_name == "Anatole"
    assert entry.practice_mode_code == "L"
    assert entry.specialty_code == "SM54"
    assert entry.department_code == "75"
    assert region_for_department(entry.department_code) == "11"


def test_second_run_changes_nothing():
    run_command(SAMPLE)
    first = list(
        DirectoryEntry.objects.order_by("rpps").values_list(
            "rpps", "last_name", "first_name", "specialty_code"
        )
    )
    out, _err = run_command(SAMPLE)
    assert "28 médecin(s) (0 nouveau(x), 28 mis à jour)" in out
    assert (
        list(
            DirectoryEntry.objects.order_by("rpps").values_list(
                "rpps", "last_name", "first_name", "specialty_code"
            )
        )
        == first
    )


def test_columns_are_read_by_header_name(tmp_path):
    number = rpps("1019777777")
    header = "Code profession|Nom d'exercice|Autre colonne|Identifiant PP|Type d'identifiant PP|"
    path = tmp_path / "moved.txt"
    path.write_text(f"{header}\n10|Dupré-Ancel|x|{number}|8|\n60|Infirmière|x|{rpps('1019777778')}|8|\n")
    report = import_directory(path=path)
    assert report.doctors == 1 and report.not_doctors == 1
    assert DirectoryEntry.objects.get().last_name == "Dupré-Ancel"


def test_missing_required_column_is_one_clear_error(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("Identifiant PP|Nom d'exercice|\n12345678903|X|\n")
    with pytest.raises(CommandError, match="Type d'identifiant PP"):
        run_command(path)


def test_streaming_in_small_batches_gives_the_same_result():
    report = import_directory(path=SAMPLE, batch_size=3)
    assert report.doctors == 28 and report.created == 28
    assert DirectoryEntry.objects.count() == 28


def make_pending(number, last_name, **kwargs):
    return DoctorFactory(pending=True, rpps=number, last_name=last_name, **kwargs)


def test_find_directory_match_ignores_case_accents_and_punctuation():
    run_command(SAMPLE)
    entry = DirectoryEntry.objects.get(last_name="ESCOFFIER-LŒB")
    assert find_directory_match(rpps=entry.rpps, last_name="escoffier loeb") == entry
    assert find_directory_match(rpps=entry.rpps, last_name="Escoffier-Lœb") == entry
    assert find_directory_match(rpps=entry.rpps, last_name="Escoffier") is None
    assert find_directory_match(rpps=entry.rpps, last_name="") is None
    assert find_directory_match(rpps=rpps("1019888888"), last_name="Escoffier-Lœb") is None


def test_import_verifies_matching_pending_doctors_only():
    entry_rpps = "10190010073"  # QUÉREL in the sample
    matching = make_pending(entry_rpps, "Querel")
    wrong_name = make_pending("10190010008", "Somebody-Else")  # MORVAN-LESTRADE in the sample
    unknown = make_pending(rpps("1019555555"), "Inconnu")
    run_command(SAMPLE)
    matching.refresh_from_db()
    wrong_name.refresh_from_db()
    unknown.refresh_from_db()
    assert matching.verification_status == Doctor.Status.VERIFIED
    assert matching.verified_by == Doctor.VerifiedBy.DIRECTORY
    assert matching.verified_at is not None
    assert wrong_name.verification_status == Doctor.Status.PENDING
    assert unknown.verification_status == Doctor.Status.PENDING
    assert verify_pending_doctors() == []
    assert [m.to for m in mail.outbox] == [[matching.user.email]]


def test_unconfirmed_email_waits_and_doctors_without_account_are_verified():
    unconfirmed = make_pending("10190010073", "Quérel", email_confirmed_at=None)
    no_account = make_pending("10190010008", "Morvan-Lestrade", user=None, first_name="Élodie")
    run_command(SAMPLE)
    unconfirmed.refresh_from_db()
    no_account.refresh_from_db()
    assert unconfirmed.verification_status == Doctor.Status.PENDING
    assert no_account.verification_status == Doctor.Status.VERIFIED
    assert mail.outbox == []
