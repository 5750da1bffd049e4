import pytest
from django.contrib.auth import get_user_model
from django.db import models

from ratings.demo import seed_catalogue
from ratings.models import VendorMembership
from surveys.demo import DEMO_DOCTOR_EMAIL, N_DOCTORS, demo_password, seed_survey_data
from surveys.models import Campaign, DirectoryEntry, Doctor, ModerationEvent, Response, ResponseFlag

pytestmark = pytest.mark.django_db

MODELS = (DirectoryEntry, Doctor, Campaign, Response, ModerationEvent, ResponseFlag, VendorMembership)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded():
    seed_catalogue()
    return seed_survey_data()


def test_seed_survey_data_twice_changes_nothing(seeded):
    before = counts()
    accounts = seed_survey_data()
    assert counts() == before
    assert all(password is None for _email, _role, password in accounts)
    check_demo_accounts(seeded)


def test_demo_data_has_what_the_pages_need(seeded):
    assert Doctor.objects.verified().count() == N_DOCTORS
    share_gp = Doctor.objects.filter(specialty="general_practice").count() / N_DOCTORS
    assert 0.40 < share_gp < 0.50
    assert Doctor.objects.filter(verified_by="directory").count() == DirectoryEntry.objects.count() == 28
    assert Response.objects.submitted().count() >= 4_000
    spring, autumn = Campaign.objects.get(slug="printemps-2026"), Campaign.objects.get(slug="automne-2026")
    assert (spring.status, autumn.status) == ("closed", "open")
    respondents = {
        slug: Response.objects.filter(product__slug=slug).values("doctor").distinct().count()
        for slug in ("hexa-suivi", "medichat-libre", "hexa-dossier")
    }
    assert respondents == {"hexa-suivi": 3, "medichat-libre": 8, "hexa-dossier": 15}
    statuses = set(Response.objects.values_list("comment_status", flat=True))
    assert statuses == {"none", "pending", "approved", "rejected"}
    with_comment = Response.objects.exclude(comment="").count() / Response.objects.count()
    assert 0.10 < with_comment < 0.20
    assert (
        Response.objects.filter(comment_status="rejected").exclude(comment_rejection_reason="").count() >= 2
    )
    assert ResponseFlag.objects.filter(kind="declared_link").exists()


def check_demo_accounts(seeded):
    """The accounts printed by seed_demo sign in with the printed password and hold their role."""
    roles = {role: (email, password) for email, role, password in seeded}
    assert set(roles) == {"doctor", "moderator", "editor", "analyst", "vendor"}
    assert all(password == demo_password() for _email, password in roles.values())
    users = {user.email: user for user in get_user_model().objects.filter(email__endswith="@demo.invalid")}
    assert all(users[email].check_password(password) for email, password in roles.values())
    doctor = Doctor.objects.get(user__email=DEMO_DOCTOR_EMAIL)
    assert doctor.is_verified and doctor.verified_by == "directory"
    assert VendorMembership.objects.filter(user__email=roles["vendor"][0]).exists()
    assert users[roles["moderator"][0]].has_perm("surveys.change_response")


def test_demo_answers_on_price_contract_and_switching_are_plausible(seeded):
    from django.db.models import Count, Max, Min, Q

    from surveys.models import Response

    submitted = Response.objects.submitted()
    stats = submitted.aggregate(
        n=Count("pk"), priced=Count("pk", filter=Q(price_paid__isnull=False)),
        cheapest=Min("price_paid"), dearest=Max("price_paid"),
        switching=Count("pk", filter=Q(considering_switch=True)),
        moved=Count("pk", filter=Q(previous_product__isnull=False)),
        moved_elsewhere=Count("pk", filter=~Q(previous_product_other="")),
    )  # fmt: skip
    assert 0.4 < stats["priced"] / stats["n"] < 0.7  # optional: about half answer
    assert 3 <= stats["cheapest"] and stats["dearest"] <= 400
    assert stats["switching"] > 0 and stats["moved"] > 0 and stats["moved_elsewhere"] > 0
    # A tool used before is another tool of the same category.
    assert (
        not submitted.filter(previous_product__isnull=False)
        .exclude(previous_product__category=models.F("product__category"))
        .exists()
    )
    assert not submitted.filter(previous_product=models.F("product")).exists()
