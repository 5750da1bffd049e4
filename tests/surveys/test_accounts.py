import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from surveys.models import Doctor
from surveys.services.accounts import EMAIL_CONFIRMATION_SALT, email_confirmation_token, sign_up_doctor
from tests.factories import (
    PASSWORD,
    DirectoryEntryFactory,
    DoctorFactory,
    StaffFactory,
    UserFactory,
    valid_rpps,
)

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("surveys:signup")


def signup_data(**overrides):
    data = {
        "email": "Claire.Lefevre@Cabinet-Exemple.fr",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "rpps": valid_rpps(777),
        "last_name": "LEFEVRE",
        "first_name": "Claire",
        "specialty": "general_practice",
        "practice_mode": "liberal",
        "region": "53",
        "certify": "on",
        "accept_charter": "on",
    }
    data.update(overrides)
    return data


def confirmation_link(message):
    return re.search(r"https?://\S+/compte/confirmation/\S+/", message.body).group(0)


def test_sign_up_page_labels_every_field(client):
    page = client.get(SIGNUP_URL).content.decode()
    for name in ("email", "password1", "password2", "rpps", "last_name", "first_name", "specialty", "region"):
        assert f'for="id_{name}"' in page
        assert f'id="id_{name}"' in page


def test_sign_up_confirm_and_verify_through_the_directory(client):
    # The directory spells the name with an accent and in another case: the match ignores both.
    DirectoryEntryFactory(rpps=valid_rpps(777), last_name="Lefèvre", first_name="Claire")

    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:account")
    user = get_user_model().objects.get()
    assert user.email == "claire.lefevre@cabinet-exemple.fr"
    assert user.username == user.email
    assert user.groups.filter(name="doctor").exists()
    doctor = user.doctor
    assert doctor.verification_status == Doctor.Status.PENDING
    assert doctor.email_confirmed_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "Lefevre" not in mail.outbox[0].subject

    # Signed in at once, but may not rate before confirming the address.
    assert client.get(reverse("surveys:survey")).status_code == 302

    response = client.get(confirmation_link(mail.outbox[0]), follow=True)

    doctor.refresh_from_db()
    assert doctor.email_confirmed_at is not None
    assert doctor.verification_status == Doctor.Status.VERIFIED
    assert doctor.verified_by == Doctor.VerifiedBy.DIRECTORY
    assert response.redirect_chain[-1][0] == reverse("surveys:account")
    assert 'class="badge badge-ok"' in response.content.decode()


def test_sign_up_not_in_the_directory_stays_pending(client):
    DirectoryEntryFactory(rpps=valid_rpps(777), last_name="Durand")  # same number, another name

    client.post(SIGNUP_URL, signup_data())
    client.get(confirmation_link(mail.outbox[0]))

    doctor = Doctor.objects.get()
    assert doctor.email_confirmed_at is not None
    assert doctor.verification_status == Doctor.Status.PENDING
    response = client.get(reverse("surveys:survey"))
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:account")


def test_invalid_rpps_error_is_tied_to_its_field(client):
    bad = valid_rpps(777)[:-1] + str((int(valid_rpps(777)[-1]) + 1) % 10)

    response = client.post(SIGNUP_URL, signup_data(rpps=bad))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'id="id_rpps_error"' in page
    assert re.search(
        r'<input[^>]*aria-describedby="[^"]*id_rpps_error[^"]*"[^>]*id="id_rpps"', page
    ) or re.search(r'<input[^>]*id="id_rpps"[^>]*aria-describedby="[^"]*id_rpps_error', page)
    assert 'aria-invalid="true"' in page
    assert not get_user_model().objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rpps": "1234567890"}, "rpps"),
        ({"rpps": "1234567890A"}, "rpps"),
        ({"password1": "motdepasse", "password2": "motdepasse"}, "password1"),
        ({"password2": "autre-chose-123"}, "password2"),
        ({"certify": ""}, "certify"),
        ({"email": "pas-une-adresse"}, "email"),
    ],
)
def test_sign_up_errors_are_shown_next_to_the_field(client, overrides, field):
    response = client.post(SIGNUP_URL, signup_data(**overrides))
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Doctor.objects.exists()


def test_e_mail_and_rpps_can_only_be_used_once(client):
    existing = DoctorFactory(rpps=valid_rpps(777))

    response = client.post(SIGNUP_URL, signup_data(email=existing.user.email.upper(), rpps=valid_rpps(778)))
    assert 'id="id_email_error"' in response.content.decode()

    response = client.post(SIGNUP_URL, signup_data())
    assert 'id="id_rpps_error"' in response.content.decode()
    assert Doctor.objects.count() == 1


def test_bad_or_expired_confirmation_link(client):
    doctor = DoctorFactory(email_confirmed_at=None, pending=True)
    client.force_login(doctor.user)

    response = client.get(reverse("surveys:confirm_email", args=["not-a-token"]), follow=True)
    assert response.status_code == 200
    doctor.refresh_from_db()
    assert doctor.email_confirmed_at is None

    # A token for an address the account no longer uses is refused.
    stale = signing.dumps({"u": doctor.user.pk, "e": "old@example.org"}, salt=EMAIL_CONFIRMATION_SALT)
    client.get(reverse("surveys:confirm_email", args=[stale]))
    doctor.refresh_from_db()
    assert doctor.email_confirmed_at is None

    client.get(reverse("surveys:confirm_email", args=[email_confirmation_token(doctor.user)]))
    doctor.refresh_from_db()
    assert doctor.email_confirmed_at is not None


def test_resend_confirmation(client):
    doctor = DoctorFactory(email_confirmed_at=None, pending=True)
    client.force_login(doctor.user)
    assert client.post(reverse("surveys:resend_confirmation")).status_code == 302
    assert len(mail.outbox) == 1
    assert "/compte/confirmation/" in mail.outbox[0].body


def test_sign_in_with_the_e_mail_address(client):
    doctor = DoctorFactory()
    page = client.get(reverse("surveys:login")).content.decode()
    assert re.search(r'<label for="id_username">E-mail', page)

    response = client.post(
        reverse("surveys:login"), {"username": doctor.user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:my_ratings")
    assert client.get(reverse("surveys:account")).status_code == 200


def test_wrong_password_is_refused(client):
    doctor = DoctorFactory()
    response = client.post(reverse("surveys:login"), {"username": doctor.user.email, "password": "faux"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out(client):
    client.force_login(DoctorFactory().user)
    client.post(reverse("surveys:logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset(client):
    doctor = DoctorFactory()
    response = client.post(reverse("surveys:password_reset"), {"email": doctor.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body).group(1)

    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    new_password = "Encore-un-autre-secret-99"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:password_reset_complete")

    doctor.user.refresh_from_db()
    assert doctor.user.check_password(new_password)


def test_account_pages_need_a_signed_in_user(client):
    for name in ("account", "conflicts", "export_data", "delete_account", "my_ratings", "survey"):
        response = client.get(reverse(f"surveys:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("surveys:login"))


# --- Staff decisions in the Wagtail admin -------------------------------------------------------------


def reject_url(doctor):
    return reverse("wagtailsnippets_surveys_doctor:reject", args=[doctor.pk])


def approve_url(doctor):
    return reverse("wagtailsnippets_surveys_doctor:approve", args=[doctor.pk])


def list_url():
    return reverse("wagtailsnippets_surveys_doctor:list")


@pytest.fixture
def pending_doctor():
    return DoctorFactory(pending=True, last_name="Nouveau")


def test_anonymous_cannot_reach_the_doctors_admin(client, pending_doctor):
    for url in (list_url(), reject_url(pending_doctor), approve_url(pending_doctor)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_a_doctor_cannot_reach_the_doctors_admin(client, pending_doctor):
    client.force_login(DoctorFactory().user)
    for url in (list_url(), reject_url(pending_doctor)):
        assert client.get(url).status_code in (302, 403)
    client.post(reject_url(pending_doctor), {"reason": "non"})
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == Doctor.Status.PENDING


def test_admin_user_without_the_doctor_permission_is_refused(client, pending_doctor):
    editor = UserFactory(is_staff=True, groups=["editor"])
    client.force_login(editor)
    # The Wagtail admin answers a refusal by sending back to its home page with a message.
    assert client.get(reject_url(pending_doctor)).status_code in (302, 403)
    assert client.post(approve_url(pending_doctor)).status_code in (302, 403)
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == Doctor.Status.PENDING


def test_moderators_verify_the_doctors_the_directory_could_not_match(client, pending_doctor):
    client.force_login(UserFactory(is_staff=True, groups=["moderator"]))
    assert client.post(approve_url(pending_doctor)).status_code == 302
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == Doctor.Status.VERIFIED


def test_non_staff_user_with_the_permission_is_still_refused(client, pending_doctor):
    user = UserFactory(is_staff=False)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="change_doctor")
    )
    client.force_login(user)
    assert client.post(approve_url(pending_doctor)).status_code in (302, 403)
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == Doctor.Status.PENDING


def test_staff_lists_filters_and_rejects_with_a_reason_shown_to_the_doctor(client, pending_doctor):
    verified = DoctorFactory(last_name="Ancien")
    client.force_login(StaffFactory())

    page = client.get(list_url(), {"verification_status": "pending"}).content.decode()
    assert "Nouveau" in page and "Ancien" not in page
    assert reject_url(pending_doctor) in page
    assert client.get(list_url(), {"q": "Ancien"}).content.decode().count(str(verified.rpps)) >= 1

    response = client.post(reject_url(pending_doctor), {"reason": ""})
    assert response.status_code == 200
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == Doctor.Status.PENDING

    reason = "Numéro RPPS attribué à un autre praticien."
    response = client.post(reject_url(pending_doctor), {"reason": reason})
    assert response.status_code == 302
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == Doctor.Status.REJECTED
    assert pending_doctor.rejection_reason == reason
    assert mail.outbox[-1].to == [pending_doctor.user.email]
    assert reason in mail.outbox[-1].body

    client.force_login(pending_doctor.user)
    page = client.get(reverse("surveys:account")).content.decode()
    assert reason in page
    response = client.get(reverse("surveys:survey"))
    assert response["Location"] == reverse("surveys:account")


def test_staff_approves_a_pending_doctor(client, pending_doctor):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="change_doctor")
    )
    client.force_login(staff)
    assert client.get(approve_url(pending_doctor)).status_code == 200

    assert client.post(approve_url(pending_doctor)).status_code == 302

    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == Doctor.Status.VERIFIED
    assert pending_doctor.verified_by == Doctor.VerifiedBy.STAFF
    assert len(mail.outbox) == 1


def test_doctors_cannot_be_added_or_deleted_in_the_admin(client, pending_doctor):
    client.force_login(StaffFactory())
    assert client.get(reverse("wagtailsnippets_surveys_doctor:add")).status_code in (302, 403)
    assert client.post(
        reverse("wagtailsnippets_surveys_doctor:delete", args=[pending_doctor.pk])
    ).status_code in (
        302,
        403,
    )
    assert Doctor.objects.filter(pk=pending_doctor.pk).exists()


def test_doctor_group_exists():
    assert Group.objects.filter(name="doctor").exists()


def test_doctor_admin_pages_render_for_staff(client, pending_doctor):
    client.force_login(StaffFactory())
    for name in ("edit", "inspect"):
        response = client.get(reverse(f"wagtailsnippets_surveys_doctor:{name}", args=[pending_doctor.pk]))
        assert response.status_code == 200
        assert pending_doctor.rpps in response.content.decode()


def test_sign_up_service_checks_the_model_rules_too():
    with pytest.raises(ValidationError) as excinfo:
        sign_up_doctor(
            email="a@example.org",
            password=PASSWORD,
            rpps="12345678901",
            last_name="Roux",
            first_name="Paul",
            specialty="astrology",
            practice_mode="liberal",
        )
    assert {"rpps", "specialty"} <= set(excinfo.value.message_dict)
    assert not get_user_model().objects.exists()
