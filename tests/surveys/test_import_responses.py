import csv
import datetime
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratings.models import FACET_SLUGS, Category, Product, Vendor
from surveys.models import Campaign, Doctor, Response
from surveys.signals import scores_invalidated
from tests.factories import DoctorFactory, ProductFactory, ResponseFactory, valid_rpps

pytestmark = pytest.mark.django_db

HEADER = [
    "rpps",
    "specialty",
    "region",
    "product",
    "vendor",
    "category",
    "campaign",
    "submitted_at",
    *FACET_SLUGS,
    "recommend",
    "comment",
]


def row(n=1, *, product="medilogix-cabinet", vendor="", category="", campaign="printemps-2025", **cells):
    values = {
        "rpps": valid_rpps(700_000 + n),
        "specialty": "general_practice",
        "region": "84",
        "product": product,
        "vendor": vendor,
        "category": category,
        "campaign": campaign,
        "submitted_at": "2025-03-05T10:00:00+01:00",
        **dict.fromkeys(FACET_SLUGS, "4"),
        "recommend": "8",
        "comment": "",
    }
    values.update(cells)
    return values


def write_csv(path, rows, *, header=HEADER, bom=False):
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for values in rows:
            writer.writerow([values.get(name, "") for name in header])
    return path


def run(path, *options):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_responses", str(path), *options, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def product():
    return ProductFactory(
        slug="medilogix-cabinet", vendor__slug="medilogix", category__slug="logiciel-metier"
    )


def snapshot():
    """Every row of the tables an import writes, as plain values."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Response, Doctor, Campaign, Product, Vendor, Category)
    }


def test_valid_file_is_imported(tmp_path, product):
    rows = [
        row(1, comment="Très bien, mais la facturation plante parfois."),
        row(2, specialty="cardiology", region="", submitted_at="2025-04-30T18:00:00+02:00", support=""),
        row(
            3,
            product="nouvel-agenda",
            vendor="nouvel-editeur",
            category="agenda-en-ligne",
            submitted_at="2025-03-01T09:00:00Z",
        ),
        row(1, product="nouvel-agenda", submitted_at="2025-03-10T09:00:00+01:00"),  # its vendor given above
    ]
    out, err, failure = run(write_csv(tmp_path / "ok.csv", rows))
    assert failure is None, err
    assert "4 ligne(s) lue(s) : 4 valide(s), 0 erronée(s)" in out
    assert "4 créée(s), 0 mise(s) à jour, 0 inchangée(s)" in out
    assert Response.objects.count() == 4
    doctors = Doctor.objects.all()
    assert doctors.count() == 3
    assert {(d.verification_status, d.verified_by) for d in doctors} == {("verified", "import")}
    assert Doctor.objects.get(rpps=valid_rpps(700_002)).specialty == "cardiology"
    new = Product.objects.get(slug="nouvel-agenda")
    assert (new.name, new.vendor.slug, new.vendor.name, new.category.slug, new.category.name) == (
        "nouvel-agenda",
        "nouvel-editeur",
        "nouvel-editeur",
        "agenda-en-ligne",
        "agenda-en-ligne",
    )
    campaign = Campaign.objects.get(slug="printemps-2025")
    assert campaign.status == Campaign.Status.CLOSED
    assert (campaign.opens_on, campaign.closes_on) == (datetime.date(2025, 3, 1), datetime.date(2025, 4, 30))
    commented = Response.objects.get(doctor__rpps=valid_rpps(700_001), product=product)
    assert commented.status == Response.Status.SUBMITTED
    assert commented.comment_status == Response.CommentStatus.PENDING
    assert commented.submitted_at == datetime.datetime(2025, 3, 5, 9, tzinfo=datetime.UTC)
    no_support = Response.objects.get(doctor__rpps=valid_rpps(700_002))
    assert no_support.support is None and no_support.ease_of_use == 4
    assert no_support.comment_status == Response.CommentStatus.NONE


def test_bad_rows_are_all_reported_and_nothing_is_written(tmp_path, product):
    rows = [
        row(1),
        row(2, specialty="dentistry"),
        row(3, rpps="12345678901"),
        row(4, ease_of_use="6"),
        row(5, recommend="11"),
        row(6, submitted_at="2025-03-05T10:00:00"),
        row(7, **dict.fromkeys(FACET_SLUGS, "")),
        row(8, product="inconnu"),
        row(9, submitted_at="le 5 mars"),
        row(10, region="99"),
    ]
    out, err, failure = run(write_csv(tmp_path / "bad.csv", rows))
    assert failure is not None and "rien n'a été importé" in str(failure)
    expected = [
        (3, "specialty", "spécialité inconnue 'dentistry'"),
        (4, "rpps", "clé de contrôle"),
        (5, "ease_of_use", "n'est ni une valeur de 1 à 5"),
        (6, "recommend", "n'est ni une valeur de 0 à 10"),
        (7, "submitted_at", "pas de décalage UTC"),
        (8, "facets", "aucune facette renseignée"),
        (9, "product", "produit inconnu 'inconnu' : indiquez son éditeur et sa catégorie"),
        (10, "submitted_at", "n'est pas une date et heure ISO 8601"),
        (11, "region", "code de région INSEE inconnu"),
    ]
    reported = err.splitlines()
    assert len(reported) == len(expected)
    for (line, column, reason), text in zip(expected, reported, strict=True):
        assert text.startswith(f"ligne {line}, colonne {column} : ")
        assert reason in text
    assert "10 ligne(s) lue(s) : 1 valide(s), 9 erronée(s)" in out
    assert Response.objects.count() == Doctor.objects.count() == Campaign.objects.count() == 0


def test_every_problem_of_a_row_is_reported(tmp_path, product):
    _out, err, failure = run(
        write_csv(tmp_path / "bad.csv", [row(1, specialty="x", recommend="-1", features="0")])
    )
    assert failure is not None
    assert [line.split(" : ")[0] for line in err.splitlines()] == [
        "ligne 2, colonne specialty",
        "ligne 2, colonne features",
        "ligne 2, colonne recommend",
    ]


def test_missing_required_column_is_one_clear_error(tmp_path, product):
    header = [name for name in HEADER if name != "submitted_at"]
    _out, err, failure = run(write_csv(tmp_path / "h.csv", [row(1), row(2)], header=header))
    assert failure is not None
    assert "submitted_at" in str(failure) and "absente(s)" in str(failure)
    assert err == ""
    assert Response.objects.count() == 0


def test_row_with_the_wrong_number_of_fields(tmp_path, product):
    path = write_csv(tmp_path / "f.csv", [row(1)])
    with open(path, "a", encoding="utf-8") as out:
        out.write("1,2,3\n\n")  # a short row, then a blank line that is ignored
    _out, err, failure = run(path)
    assert failure is not None
    assert err.strip() == f"ligne 3 : 3 champs au lieu des {len(HEADER)} de l'en-tête"


def test_skip_invalid_imports_the_good_rows_and_lists_the_others(tmp_path, product):
    rows = [row(1), row(2, ease_of_use="9"), row(3)]
    out, err, failure = run(write_csv(tmp_path / "mixed.csv", rows), "--skip-invalid")
    assert failure is None
    assert "ligne 3, colonne ease_of_use" in err
    assert Response.objects.count() == 2
    assert not Doctor.objects.filter(rpps=valid_rpps(700_002)).exists()


def test_dry_run_writes_nothing(tmp_path, product):
    rows = [row(1), row(2, product="neuf", vendor="v", category="c")]
    out, _err, failure = run(write_csv(tmp_path / "ok.csv", rows), "--dry-run")
    assert failure is None
    assert "Simulation : rien n'a été écrit" in out and "2 médecin(s), 1 produit(s), 1 campagne(s)" in out
    assert Response.objects.count() == Doctor.objects.count() == Campaign.objects.count() == 0
    assert not Product.objects.filter(slug="neuf").exists()


def test_dry_run_of_a_bad_file_fails_without_writing(tmp_path, product):
    _out, err, failure = run(write_csv(tmp_path / "bad.csv", [row(1, recommend="x")]), "--dry-run")
    assert failure is not None and "ligne 2, colonne recommend" in err


def test_importing_the_same_file_twice_changes_nothing(tmp_path, product):
    rows = [
        row(1, comment="Bien."),
        row(2, product="neuf", vendor="v", category="c"),
        row(3, campaign="automne-2025", submitted_at="2025-10-02T08:00:00+02:00"),
    ]
    path = write_csv(tmp_path / "ok.csv", rows)
    assert run(path)[2] is None
    before = snapshot()
    out, _err, failure = run(path)
    assert failure is None
    assert "0 créée(s), 0 mise(s) à jour, 3 inchangée(s)" in out
    assert snapshot() == before


def test_scores_invalidated_is_sent_once_when_something_changed(tmp_path, product):
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs["reason"]))

    scores_invalidated.connect(receiver)
    try:
        path = write_csv(tmp_path / "ok.csv", [row(1)])
        run(path)
        run(path)
    finally:
        scores_invalidated.disconnect(receiver)
    assert received == [(Response, "import")]


def test_later_submitted_at_wins_within_the_file(tmp_path, product):
    rows = [
        row(1, submitted_at="2025-03-10T10:00:00+01:00", ease_of_use="5"),
        row(1, submitted_at="2025-03-05T10:00:00+01:00", ease_of_use="1"),
        row(1, submitted_at="2025-03-08T10:00:00+01:00", ease_of_use="2"),
    ]
    out, _err, failure = run(write_csv(tmp_path / "dup.csv", rows))
    assert failure is None
    assert "2 remplacée(s) par une ligne ultérieure" in out
    response = Response.objects.get()
    assert response.ease_of_use == 5


def test_later_submitted_at_wins_against_the_database(tmp_path, product):
    run(
        write_csv(tmp_path / "first.csv", [row(1, submitted_at="2025-03-10T10:00:00+01:00", ease_of_use="3")])
    )
    out, _err, _failure = run(
        write_csv(tmp_path / "older.csv", [row(1, submitted_at="2025-03-01T10:00:00+01:00", ease_of_use="1")])
    )
    assert "0 créée(s), 0 mise(s) à jour, 1 inchangée(s)" in out
    assert Response.objects.get().ease_of_use == 3
    out, _err, _failure = run(
        write_csv(tmp_path / "newer.csv", [row(1, submitted_at="2025-03-20T10:00:00+01:00", ease_of_use="5")])
    )
    assert "0 créée(s), 1 mise(s) à jour, 0 inchangée(s)" in out
    response = Response.objects.get()
    assert response.ease_of_use == 5
    assert response.submitted_at == datetime.datetime(2025, 3, 20, 9, tzinfo=datetime.UTC)


def test_replacing_a_response_keeps_moderation_unless_the_comment_changed(tmp_path, product):
    run(write_csv(tmp_path / "a.csv", [row(1, comment="Bien."), row(2, comment="Moyen.")]))
    Response.objects.update(comment_status=Response.CommentStatus.APPROVED, excluded=True)
    later = "2025-03-20T10:00:00+01:00"
    run(
        write_csv(
            tmp_path / "b.csv",
            [row(1, comment="Bien.", submitted_at=later), row(2, comment="Mauvais.", submitted_at=later)],
        )
    )
    same = Response.objects.get(doctor__rpps=valid_rpps(700_001))
    changed = Response.objects.get(doctor__rpps=valid_rpps(700_002))
    assert same.comment_status == Response.CommentStatus.APPROVED
    assert changed.comment_status == Response.CommentStatus.PENDING and changed.comment == "Mauvais."
    assert same.excluded and changed.excluded  # a moderator's exclusion stays


def test_existing_doctor_keeps_status_and_profile(tmp_path, product):
    doctor = DoctorFactory(pending=True, specialty="psychiatry", region="")
    run(write_csv(tmp_path / "a.csv", [row(1, rpps=doctor.rpps, specialty="general_practice", region="11")]))
    doctor.refresh_from_db()
    assert doctor.verification_status == Doctor.Status.PENDING
    assert doctor.specialty == "psychiatry"
    assert doctor.region == "11"  # only an empty region is filled in
    assert Response.objects.get().doctor == doctor


def test_a_later_import_widens_the_campaign_it_created(tmp_path, product):
    run(write_csv(tmp_path / "a.csv", [row(1, submitted_at="2025-03-05T10:00:00+01:00")]))
    run(write_csv(tmp_path / "b.csv", [row(2, submitted_at="2025-05-02T10:00:00+02:00")]))
    campaign = Campaign.objects.get()
    assert (campaign.opens_on, campaign.closes_on) == (datetime.date(2025, 3, 5), datetime.date(2025, 5, 2))


def test_import_into_an_existing_draft_response(tmp_path, product):
    draft = ResponseFactory(
        product=product, status=Response.Status.DRAFT, submitted_at=None, campaign__slug="c1"
    )
    run(write_csv(tmp_path / "a.csv", [row(1, rpps=draft.doctor.rpps, campaign="c1", ease_of_use="2")]))
    draft.refresh_from_db()
    assert draft.status == Response.Status.SUBMITTED and draft.ease_of_use == 2


def test_bom_and_spaces_and_region_without_leading_zero_are_accepted(tmp_path, product):
    rows = [row(1, region="1", ease_of_use=" 5 ", product=" medilogix-cabinet ")]
    out, err, failure = run(write_csv(tmp_path / "bom.csv", rows, bom=True))
    assert failure is None, err
    assert Response.objects.get().ease_of_use == 5
    assert Doctor.objects.get().region == "01"


def test_vendor_of_a_known_product_must_match(tmp_path, product):
    _out, err, failure = run(write_csv(tmp_path / "v.csv", [row(1, vendor="autre-editeur")]))
    assert failure is not None
    assert (
        "ligne 2, colonne vendor : le produit 'medilogix-cabinet' appartient à l'éditeur 'medilogix'" in err
    )


def test_number_of_queries_does_not_grow_with_rows(tmp_path, product):
    counts = []
    for n_rows, campaign, first in ((100, "c1", 0), (1_000, "c2", 1_000)):
        path = write_csv(
            tmp_path / f"{n_rows}.csv", [row(first + i, campaign=campaign) for i in range(n_rows)]
        )
        with CaptureQueriesContext(connection) as queries:
            assert run(path)[2] is None
        counts.append(len(queries))
    assert Response.objects.count() == 1_100
    # Look-ups are loaded once and rows written a thousand per statement: no query per row.
    assert counts[0] == counts[1]


# Hostile cells: each must come back as one bad row naming its line and column (never a traceback,
# never a half-written import), with a reason short enough to read even when the value is 10 kB long.
LONG = "x" * 10_000
# A NUL byte, refused by PostgreSQL in text and meaningless in every column.
NUL_CELLS = [
    *[(name, {name: f"{row(2)[name]}\x00"}) for name in HEADER if name not in ("vendor", "category")],
    ("vendor", {"product": "neuf", "vendor": "v\x00", "category": "c"}),
    ("category", {"product": "neuf", "vendor": "v", "category": "c\x00"}),
    ("submitted_at", {"submitted_at": "2025-03-05T10:00:00\x00+01:00"}),  # fromisoformat accepts this
]
HOSTILE_CELLS = [
    *NUL_CELLS,
    # Unicode digits pass str.isdigit() but are no answer, RPPS number or region code.
    *[(name, {name: digit}) for name in (*FACET_SLUGS, "recommend", "region") for digit in ("²", "٣")],
    ("rpps", {"rpps": "١٠٠٠٧٠٠٠٠٢٣"}),
    ("rpps", {"rpps": "²" * 11}),
    # 10 kB values.
    ("rpps", {"rpps": "1" * 10_000}),
    ("specialty", {"specialty": LONG}),
    ("product", {"product": LONG}),
    ("product", {"product": LONG, "vendor": "v", "category": "c"}),
    ("vendor", {"product": "neuf", "vendor": LONG, "category": "c"}),
    ("category", {"product": "neuf", "vendor": "v", "category": LONG}),
    ("campaign", {"campaign": LONG}),
    ("submitted_at", {"submitted_at": LONG}),
    ("ease_of_use", {"ease_of_use": LONG}),
    # Huge numbers, and dates that cannot be converted to UTC.
    ("ease_of_use", {"ease_of_use": "9" * 30}),
    ("recommend", {"recommend": "1e400"}),
    ("rpps", {"rpps": str(2**64)}),
    ("region", {"region": "9" * 30}),
    ("submitted_at", {"submitted_at": "9999-12-31T23:59:59-05:00"}),
    ("submitted_at", {"submitted_at": "0001-01-01T00:00:00+01:00"}),
]


@pytest.mark.parametrize(("column", "cells"), HOSTILE_CELLS, ids=lambda v: repr(v)[:40])
def test_a_hostile_cell_is_one_bad_row_naming_its_line_and_column(tmp_path, product, column, cells):
    _out, err, failure = run(write_csv(tmp_path / "hostile.csv", [row(1), row(2, **cells)]))
    assert failure is not None and "rien n'a été importé" in str(failure)
    [reported] = err.splitlines()
    assert reported.startswith(f"ligne 3, colonne {column} : ")
    assert len(reported) < 500  # the specialty's reason lists the specialties
    assert Response.objects.count() == Doctor.objects.count() == Campaign.objects.count() == 0
    assert not Product.objects.filter(slug="neuf").exists()


@pytest.mark.parametrize(("column", "cells"), NUL_CELLS, ids=lambda v: repr(v)[:40])
def test_a_nul_byte_is_named_as_the_reason(tmp_path, product, column, cells):
    _out, err, failure = run(write_csv(tmp_path / "nul.csv", [row(2, **cells)]))
    assert failure is not None
    assert err.strip() == f"ligne 2, colonne {column} : contient un caractère NUL (\\x00)"


def test_a_nul_byte_in_a_comment_is_skipped_with_skip_invalid(tmp_path, product):
    rows = [row(1, comment="Bien."), row(2, comment="Bien\x00 mais lent."), row(3)]
    _out, err, failure = run(write_csv(tmp_path / "nul.csv", rows), "--skip-invalid")
    assert failure is None
    assert err.startswith("ligne 3, colonne comment : ")
    assert sorted(Response.objects.values_list("doctor__rpps", flat=True)) == [
        valid_rpps(700_001),
        valid_rpps(700_003),
    ]


def test_new_catalogue_rows_are_written_through_the_catalogue_services(tmp_path, product):
    from ratings import services

    rows = [
        row(1, product="neuf", vendor="medilogix", category="nouvelle-categorie"),
        row(2, product="autre-neuf", vendor="nouvel-editeur", category="logiciel-metier"),
        row(3, product="neuf"),
    ]
    spies = {
        name: mock.patch.object(services, name, wraps=getattr(services, name))
        for name in ("get_or_create_vendor", "get_or_create_category", "create_product")
    }
    with spies["get_or_create_vendor"] as vendors, spies["get_or_create_category"] as categories:
        with spies["create_product"] as products:
            out, err, failure = run(write_csv(tmp_path / "new.csv", rows))
    assert failure is None, err
    assert "2 produit(s)" in out and "1 éditeur(s), 1 catégorie(s)" in out
    assert sorted(call.kwargs["slug"] for call in products.call_args_list) == ["autre-neuf", "neuf"]
    assert {call.kwargs["slug"] for call in vendors.call_args_list} == {"medilogix", "nouvel-editeur"}
    assert {call.kwargs["slug"] for call in categories.call_args_list} == {
        "logiciel-metier",
        "nouvelle-categorie",
    }
    assert Product.objects.get(slug="neuf").vendor == product.vendor


def test_a_nul_byte_does_not_hide_the_other_problems_of_its_row(tmp_path, product):
    cells = {"rpps": f"{valid_rpps(700_001)}\x00", "specialty": "x", "comment": "Bien\x00"}
    _out, err, failure = run(write_csv(tmp_path / "nul.csv", [row(1, **cells)]))
    assert failure is not None
    assert [line.split(" : ")[0] for line in err.splitlines()] == [
        "ligne 2, colonne rpps",
        "ligne 2, colonne specialty",
        "ligne 2, colonne comment",
    ]


SITUATION_HEADER = [
    *HEADER, "practice_mode", "price_paid", "price_increased", "commitment_months", "considering_switch",
    "previous_product",
]  # fmt: skip


def test_the_situation_columns_are_imported(tmp_path, product):
    before = ProductFactory(slug="ancien-logiciel", vendor__slug="ancien", category=product.category)
    rows = [
        row(1, practice_mode="group", price_paid="49.90", price_increased="yes", commitment_months="36",
            considering_switch="no", previous_product="ancien-logiciel"),
        row(2, practice_mode="health_centre", price_paid="0", commitment_months="0", price_increased="no",
            considering_switch="yes"),
        row(3),  # every situation cell empty
    ]  # fmt: skip
    _out, err, failure = run(write_csv(tmp_path / "situation.csv", rows, header=SITUATION_HEADER))
    assert failure is None, err
    answers = {r.doctor.rpps: r for r in Response.objects.select_related("doctor").order_by("pk")}
    first, second, third = (answers[valid_rpps(700_000 + n)] for n in (1, 2, 3))
    assert (first.practice_setting, first.price_paid, first.price_increased) == (
        "group",
        Decimal("49.90"),
        True,
    )
    assert (first.commitment_months, first.considering_switch, first.previous_product_id) == (
        36,
        False,
        before.pk,
    )
    assert (second.practice_setting, second.price_paid, second.commitment_months) == (
        "health_centre",
        Decimal("0"),
        0,
    )
    assert (second.price_increased, second.considering_switch, second.previous_product_id) == (
        False,
        True,
        None,
    )
    assert (third.practice_setting, third.price_paid, third.price_increased, third.commitment_months) == (
        "",
        None,
        None,
        None,
    )
    assert (third.considering_switch, third.previous_product_id) == (None, None)


def test_bad_situation_values_are_reported_by_line_and_column_and_nothing_is_written(tmp_path, product):
    rows = [
        row(1, practice_mode="cabinet"),
        row(2, price_paid="-3"),
        row(3, price_paid="49,90"),
        row(4, price_paid="12.345"),
        row(5, price_increased="oui"),
        row(6, commitment_months="121"),
        row(7, commitment_months="douze"),
        row(8, considering_switch="maybe"),
        row(9, previous_product="introuvable"),
        row(10, previous_product="medilogix-cabinet"),
        row(11, price_paid="nan"),
    ]
    _out, err, failure = run(write_csv(tmp_path / "bad.csv", rows, header=SITUATION_HEADER))
    assert failure is not None
    assert [text.split(" : ")[0] for text in err.splitlines()] == [
        "ligne 2, colonne practice_mode",
        "ligne 3, colonne price_paid",
        "ligne 4, colonne price_paid",
        "ligne 5, colonne price_paid",
        "ligne 6, colonne price_increased",
        "ligne 7, colonne commitment_months",
        "ligne 8, colonne commitment_months",
        "ligne 9, colonne considering_switch",
        "ligne 10, colonne previous_product",
        "ligne 11, colonne previous_product",
        "ligne 12, colonne price_paid",
    ]
    assert Response.objects.count() == Doctor.objects.count() == 0


def test_a_later_import_replaces_the_situation_answers_too(tmp_path, product):
    write_csv(
        tmp_path / "a.csv", [row(1, price_paid="40", considering_switch="yes")], header=SITUATION_HEADER
    )
    run(tmp_path / "a.csv")
    later = row(1, submitted_at="2025-03-06T10:00:00+01:00", price_paid="55.50")
    _out, err, failure = run(write_csv(tmp_path / "b.csv", [later], header=SITUATION_HEADER))
    assert failure is None, err
    response = Response.objects.get()
    assert (response.price_paid, response.considering_switch) == (Decimal("55.50"), None)
