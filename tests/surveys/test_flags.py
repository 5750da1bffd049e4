import datetime

import pytest
from django.utils import timezone

from ratings.models import FACET_SLUGS
from surveys.models import ResponseFlag
from surveys.services.accounts import declare_conflict
from surveys.services.flags import (
    flag_imported_responses,
    flag_response_on_submit,
    raise_flag_kind,
    raise_flags,
)
from tests.factories import DoctorFactory, ProductFactory, ResponseFactory

pytestmark = pytest.mark.django_db

ALL_FIVE = dict.fromkeys(FACET_SLUGS, 5)


@pytest.fixture
def product():
    return ProductFactory(
        vendor__slug="agendoc", vendor__email_domains="agendoc.example, agendoc-group.example"
    )


def old_doctor(**kwargs):
    """A doctor whose account is a year old, so that the fresh-account rule stays out of the way."""
    doctor = DoctorFactory(**kwargs)
    doctor.user.date_joined = timezone.now() - datetime.timedelta(days=365)
    doctor.user.save(update_fields=["date_joined"])
    return doctor


def kinds(response):
    return set(ResponseFlag.objects.filter(response=response).values_list("kind", flat=True))


def test_vendor_email_domain_is_flagged(product):
    response = ResponseFactory(
        product=product, doctor=old_doctor(user__email="jean@sales.agendoc-group.example")
    )
    assert flag_response_on_submit(response=response) == [ResponseFlag.Kind.VENDOR_DOMAIN]
    flag = ResponseFlag.objects.get(response=response)
    assert flag.detail == "sales.agendoc-group.example"


def test_other_email_domain_is_not_flagged(product):
    response = ResponseFactory(product=product, doctor=old_doctor(user__email="jean@notagendoc.example"))
    assert flag_response_on_submit(response=response) == []
    assert kinds(response) == set()


def test_declared_link_is_flagged(product):
    doctor = old_doctor()
    declare_conflict(doctor=doctor, vendor=product.vendor, description="Consultant, 2024")
    response = ResponseFactory(product=product, doctor=doctor)
    flag_response_on_submit(response=response)
    assert kinds(response) == {ResponseFlag.Kind.DECLARED_LINK}
    assert ResponseFlag.objects.get(response=response).detail == "Consultant, 2024"


def test_link_with_another_vendor_is_not_flagged(product):
    doctor = old_doctor()
    other = ProductFactory()
    declare_conflict(doctor=doctor, vendor=other.vendor, description="Actionnaire")
    response = ResponseFactory(product=product, doctor=doctor)
    flag_response_on_submit(response=response)
    assert kinds(response) == set()


def test_fresh_account_rating_one_product_all_fives_is_flagged(product):
    doctor = DoctorFactory()  # account created just now
    response = ResponseFactory(product=product, doctor=doctor, submitted_at=timezone.now(), **ALL_FIVE)
    flag_response_on_submit(response=response)
    assert kinds(response) == {ResponseFlag.Kind.FRESH_ACCOUNT}


@pytest.mark.parametrize(
    "case",
    ["old account", "nuanced answers", "second product"],
)
def test_fresh_account_rule_negative_cases(product, case):
    doctor = old_doctor() if case == "old account" else DoctorFactory()
    answers = dict(ALL_FIVE, support=3) if case == "nuanced answers" else ALL_FIVE
    if case == "second product":
        ResponseFactory(doctor=doctor)
    response = ResponseFactory(product=product, doctor=doctor, submitted_at=timezone.now(), **answers)
    flag_response_on_submit(response=response)
    assert ResponseFlag.Kind.FRESH_ACCOUNT not in kinds(response)


def test_fresh_account_window_is_48_hours(product):
    doctor = DoctorFactory()
    doctor.user.date_joined = timezone.now() - datetime.timedelta(hours=47)
    doctor.user.save(update_fields=["date_joined"])
    response = ResponseFactory(product=product, doctor=doctor, submitted_at=timezone.now(), **ALL_FIVE)
    flag_response_on_submit(response=response)
    assert ResponseFlag.Kind.FRESH_ACCOUNT in kinds(response)
    doctor.user.date_joined = timezone.now() - datetime.timedelta(hours=49)
    doctor.user.save(update_fields=["date_joined"])
    ResponseFlag.objects.all().delete()
    flag_response_on_submit(response=response)
    assert kinds(response) == set()


def test_raise_flags_is_idempotent(product):
    response = ResponseFactory(product=product)
    flags = [
        ResponseFlag(response=response, kind=ResponseFlag.Kind.BURST, detail="12 en 7 jours"),
        ResponseFlag(response=response, kind=ResponseFlag.Kind.OUTLIER),
    ]
    assert raise_flags(flags=flags) == 2
    assert (
        raise_flags(flags=[ResponseFlag(response=response, kind=ResponseFlag.Kind.BURST, detail="autre")])
        == 0
    )
    assert ResponseFlag.objects.count() == 2
    assert ResponseFlag.objects.get(kind=ResponseFlag.Kind.BURST).detail == "12 en 7 jours"
    assert raise_flags(flags=[]) == 0


def test_raise_flag_kind_adds_only_what_is_new(product, django_assert_max_num_queries):
    first, second, third = (ResponseFactory(product=product, doctor=old_doctor()) for _ in range(3))
    resolved = ResponseFlag.objects.create(
        response=first, kind=ResponseFlag.Kind.OUTLIER, resolved_at=timezone.now()
    )
    ResponseFlag.objects.create(response=second, kind=ResponseFlag.Kind.BURST)
    with django_assert_max_num_queries(4):  # savepoint, the flagged ids, one insert, release
        new = raise_flag_kind(
            kind=ResponseFlag.Kind.OUTLIER, response_ids=[first.pk, second.pk, third.pk, third.pk]
        )
    assert new == 2
    assert set(ResponseFlag.objects.filter(kind=ResponseFlag.Kind.OUTLIER).values_list("response_id", flat=True)) == {
        first.pk, second.pk, third.pk,
    }  # fmt: skip
    resolved.refresh_from_db()
    assert resolved.resolved_at is not None  # a flag a moderator resolved is not raised again
    assert raise_flag_kind(kind=ResponseFlag.Kind.OUTLIER, response_ids=[first.pk, third.pk]) == 0
    assert raise_flag_kind(kind=ResponseFlag.Kind.OUTLIER, response_ids=[]) == 0


def test_submit_time_flags_twice_do_not_duplicate(product):
    doctor = old_doctor(user__email="x@agendoc.example")
    response = ResponseFactory(product=product, doctor=doctor)
    flag_response_on_submit(response=response)
    flag_response_on_submit(response=response)
    assert ResponseFlag.objects.filter(response=response).count() == 1


def test_imported_responses_get_the_same_flags(product):
    since = timezone.now()
    linked = old_doctor()
    declare_conflict(doctor=linked, vendor=product.vendor, description="Ancien salarié")
    by_link = ResponseFactory(product=product, doctor=linked)
    by_domain = ResponseFactory(
        product=product, doctor=old_doctor(user__email="a@agendoc.example"), campaign=by_link.campaign
    )
    clean = ResponseFactory(product=product, doctor=old_doctor(), campaign=by_link.campaign)
    assert flag_imported_responses(campaign_ids=[by_link.campaign_id], since=since) == 2
    assert kinds(by_link) == {ResponseFlag.Kind.DECLARED_LINK}
    assert kinds(by_domain) == {ResponseFlag.Kind.VENDOR_DOMAIN}
    assert kinds(clean) == set()
