"""Pro Santé Connect (issue 14), against a provider started by the tests on loopback (tests/oidc_provider.py).

The site talks to the provider over HTTP, as it would in production; the tests play the browser: they
follow the site's redirection to the provider, approve, and bring the code back.
"""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from surveys.models import DirectoryEntry, Doctor
from surveys.services.pro_sante_connect import Identity
from tests.factories import PASSWORD, DoctorFactory, valid_rpps
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, identity

pytestmark = pytest.mark.django_db

RPPS = valid_rpps(4242)


@pytest.fixture
def provider(settings):
    with Provider() as running:
        settings.PRO_SANTE_CONNECT = {
            "DISCOVERY_URL": running.discovery_url,
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "SCOPES": "openid scope_all",
            "ACR_VALUES": "eidas1",
            "LEEWAY": 0,
        }
        yield running


def sign_in_with_psc(client, provider, who, *, tamper_state=False):
    """Start on the site, approve at the provider, come back; return the site's answer."""
    provider.next_identity = who
    start = client.get(reverse("surveys:psc_start"))
    assert start.status_code == 302 and start["Location"].startswith(provider.base + "/authorize?")
    back = provider.authorize_now(start["Location"])
    if tamper_state:
        back = back.replace("state=", "state=x", 1)
    return client.get(back.removeprefix("http://testserver"))


def test_the_sign_in_and_sign_up_pages_offer_it_only_when_configured(client, settings, provider):
    for name in ("surveys:login", "surveys:signup"):
        assert "Se connecter avec Pro Santé Connect" in client.get(reverse(name)).content.decode()
    settings.PRO_SANTE_CONNECT = {**settings.PRO_SANTE_CONNECT, "CLIENT_SECRET": ""}
    for name in ("surveys:login", "surveys:signup"):
        page = client.get(reverse(name)).content.decode()
        assert "Pro Santé Connect" not in page and 'type="password"' in page  # the e-mail path stays
    assert client.get(reverse("surveys:psc_start")).status_code == 404


def test_the_request_asks_for_the_code_flow_with_pkce_state_nonce_and_acr(client, provider):
    provider.next_identity = identity(RPPS)
    location = client.get(reverse("surveys:psc_start"))["Location"]
    query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
    assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
    assert query["scope"] == "openid scope_all" and query["acr_values"] == "eidas1"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    assert query["redirect_uri"] == "http://testserver" + reverse("surveys:psc_callback")


def test_a_new_doctor_is_verified_at_once_and_never_asked_the_rpps(client, provider):
    DirectoryEntry.objects.create(
        rpps=RPPS, last_name="DURAND", first_name="Camille", profession_code="10", specialty_code="SM04",
        practice_mode_code="L", department_code="69",
    )  # fmt: skip
    answer = sign_in_with_psc(client, provider, identity(RPPS))
    assert answer.status_code == 302 and answer["Location"] == reverse("surveys:psc_welcome")
    welcome = client.get(answer["Location"]).content.decode()
    assert (
        RPPS in welcome and 'name="rpps"' not in welcome and 'name="region"' not in welcome
    )  # from the directory
    done = client.post(
        answer["Location"], {"email": "Camille.Durand@Cabinet.example", "accepts_charter": "on"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("surveys:account")
    doctor = Doctor.objects.get(rpps=RPPS)
    assert doctor.verification_status == Doctor.Status.VERIFIED
    assert doctor.verified_by == Doctor.VerifiedBy.PRO_SANTE_CONNECT
    assert (
        doctor.psc_subject == f"f:psc:{RPPS}" and doctor.specialty == "cardiology" and doctor.region == "84"
    )
    assert doctor.user.email == "camille.durand@cabinet.example" and not doctor.user.has_usable_password()
    assert doctor.charter_accepted_at is not None
    account = client.get(reverse("surveys:account")).content.decode()
    assert "Pro Santé Connect" in account and reverse("surveys:survey") in account  # may rate at once
    # The next time: signed in directly, no second account.
    client.logout()
    again = sign_in_with_psc(client, provider, identity(RPPS))
    assert again["Location"] == reverse("surveys:account")
    assert Doctor.objects.filter(rpps=RPPS).count() == 1 and get_user_model().objects.count() == 1


def test_a_doctor_missing_from_the_directory_gives_their_region(client, provider):
    answer = sign_in_with_psc(client, provider, identity(RPPS, savoir_faire="SM54"))
    page = client.get(answer["Location"]).content.decode()
    assert 'name="region"' in page
    refused = client.post(answer["Location"], {"email": "c.durand@cabinet.example"})
    assert refused.status_code == 200 and not Doctor.objects.exists()  # the charter is required
    client.post(
        answer["Location"], {"email": "c.durand@cabinet.example", "region": "11", "accepts_charter": "on"}
    )
    doctor = Doctor.objects.get(rpps=RPPS)
    assert (doctor.specialty, doctor.region, doctor.is_verified) == ("general_practice", "11", True)


def test_a_professional_who_is_not_a_doctor_is_refused_with_a_clear_page(client, provider):
    answer = sign_in_with_psc(client, provider, identity(RPPS, profession="60"))  # a nurse
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "pas comme médecin" in page and "Seuls les médecins" in page
    assert "60" in page and not Doctor.objects.exists() and not get_user_model().objects.exists()
    assert "_auth_user_id" not in client.session


def test_an_identifier_that_is_not_an_rpps_is_refused(client, provider):
    who = identity(RPPS)
    who["SubjectNameID"] = "0" + RPPS  # an ADELI-style identifier, not an RPPS
    assert sign_in_with_psc(client, provider, who).status_code == 403
    assert not Doctor.objects.exists()


@pytest.mark.parametrize("fault", ["wrong_key", "expired", "nonce", "audience"])
def test_a_token_that_fails_its_checks_is_refused(client, provider, fault):
    provider.faults.add(fault)
    answer = sign_in_with_psc(client, provider, identity(RPPS))
    assert answer.status_code == 400
    assert "_auth_user_id" not in client.session and not Doctor.objects.exists()
    assert "psc_identity" not in client.session


def test_a_tampered_state_is_refused_before_any_token_is_asked(client, provider):
    answer = sign_in_with_psc(client, provider, identity(RPPS), tamper_state=True)
    assert answer.status_code == 400 and provider.token_requests == []
    assert not Doctor.objects.exists()


def test_a_code_without_the_right_pkce_verifier_is_refused_by_the_provider(client, provider):
    provider.next_identity = identity(RPPS)
    location = client.get(reverse("surveys:psc_start"))["Location"]
    back = provider.authorize_now(location)
    code = parse_qs(urlparse(back).query)["code"][0]
    provider.codes[code]["code_challenge"] = "not-the-challenge"
    assert client.get(back.removeprefix("http://testserver")).status_code == 400
    assert provider.token_requests[0]["code_verifier"]  # the site sent its verifier


def test_an_existing_account_is_linked_after_its_password_never_duplicated(client, provider):
    existing = DoctorFactory(rpps=RPPS, pending=True)
    answer = sign_in_with_psc(client, provider, identity(RPPS))
    assert answer["Location"] == reverse("surveys:psc_link")
    page = client.get(answer["Location"]).content.decode()
    assert existing.user.email not in page and "@example.org" in page  # the address, masked
    wrong = client.post(answer["Location"], {"password": "not-it"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    existing.refresh_from_db()
    assert not existing.psc_subject and not existing.is_verified
    linked = client.post(answer["Location"], {"password": PASSWORD})
    assert linked["Location"] == reverse("surveys:account")
    existing.refresh_from_db()
    assert existing.psc_subject == f"f:psc:{RPPS}" and existing.is_verified
    assert existing.verified_by == Doctor.VerifiedBy.PRO_SANTE_CONNECT
    assert Doctor.objects.count() == 1 and get_user_model().objects.count() == 1
    assert int(client.session["_auth_user_id"]) == existing.user_id


def test_a_signed_in_doctor_links_from_the_account_page_and_unlinks_keeping_a_password(client, provider):
    doctor = DoctorFactory(rpps=RPPS)
    client.force_login(doctor.user)
    assert reverse("surveys:psc_start") in client.get(reverse("surveys:account")).content.decode()
    answer = sign_in_with_psc(client, provider, identity(RPPS))
    assert answer["Location"] == reverse("surveys:account")
    doctor.refresh_from_db()
    assert doctor.psc_subject
    client.post(reverse("surveys:psc_unlink"))
    doctor.refresh_from_db()
    assert not doctor.psc_subject and doctor.user.check_password(PASSWORD)


def test_another_doctors_identity_is_not_linked_to_an_account(client, provider):
    doctor = DoctorFactory(rpps=valid_rpps(777))
    client.force_login(doctor.user)
    sign_in_with_psc(client, provider, identity(RPPS))
    doctor.refresh_from_db()
    assert not doctor.psc_subject


def test_an_account_without_password_chooses_one_before_unlinking(client, provider):
    sign_in_with_psc(client, provider, identity(RPPS))
    client.post(
        reverse("surveys:psc_welcome"),
        {"email": "c.durand@cabinet.example", "region": "11", "accepts_charter": "on"},
    )
    doctor = Doctor.objects.get(rpps=RPPS)
    client.post(reverse("surveys:psc_unlink"))
    doctor.refresh_from_db()
    assert doctor.psc_subject  # refused: without a password, nothing to sign in with
    client.post(
        reverse("surveys:psc_unlink"),
        {"new_password1": "Un-mot-de-passe-solide-9", "new_password2": "Un-mot-de-passe-solide-9"},
    )
    doctor.refresh_from_db()
    assert not doctor.psc_subject and doctor.user.check_password("Un-mot-de-passe-solide-9")


def test_signing_out_ends_the_provider_session_too(client, provider):
    doctor = DoctorFactory(rpps=RPPS, psc_subject=f"f:psc:{RPPS}")
    assert sign_in_with_psc(client, provider, identity(RPPS))["Location"] == reverse("surveys:account")
    answer = client.post(reverse("surveys:logout"))
    assert answer.status_code == 302 and answer["Location"].startswith(provider.base + "/logout?")
    query = parse_qs(urlparse(answer["Location"]).query)
    assert query["id_token_hint"][0].count(".") == 2 and query["post_logout_redirect_uri"] == [
        "http://testserver/"
    ]
    assert "_auth_user_id" not in client.session
    assert doctor.pk  # the account itself stays


def test_a_password_sign_out_does_not_go_to_the_provider(client, provider):
    client.force_login(DoctorFactory().user)
    answer = client.post(reverse("surveys:logout"))
    assert not answer["Location"].startswith(provider.base)


def test_the_pages_to_finish_need_a_sign_in_in_progress(client, provider):
    assert client.get(reverse("surveys:psc_welcome")).status_code == 404
    assert client.get(reverse("surveys:psc_link")).status_code == 404
    assert Identity.from_session({"subject": "x"}) is None


def test_the_sign_out_form_may_continue_at_the_providers_origin_only():
    from config.settings.base import _origins

    discovery = "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet/.well-known/openid-configuration"
    assert _origins(discovery) == ["https://auth.esw.esante.gouv.fr"]
    assert _origins("") == [] and _origins("not a url") == []
