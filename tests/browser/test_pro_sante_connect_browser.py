"""Signing in with Pro Santé Connect in a real browser, through the test provider on loopback."""

import pytest

from surveys.models import Doctor
from tests.factories import valid_rpps
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, identity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(settings):
    with Provider() as running:
        settings.PRO_SANTE_CONNECT = {
            "DISCOVERY_URL": running.discovery_url, "CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": CLIENT_SECRET,
            "SCOPES": "openid scope_all", "ACR_VALUES": "eidas1", "LEEWAY": 0,
        }  # fmt: skip
        # The settings read PSC_DISCOVERY_URL once: the sign-out form may continue at this provider.
        policy = settings.CONTENT_SECURITY_POLICY
        directives = {
            **policy["DIRECTIVES"],
            "form-action": [*policy["DIRECTIVES"]["form-action"], running.base],
        }
        settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
        yield running


def test_a_doctor_signs_in_with_pro_sante_connect_and_is_verified(live_page, live_server, provider):
    page = live_page
    rpps = valid_rpps(5150)
    provider.next_identity = identity(rpps, last_name="Lefèvre", first_name="Anne")
    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_role("link", name="Se connecter avec Pro Santé Connect").click()
    page.wait_for_url(provider.base + "/authorize**")
    assert page.get_by_role("heading", name="Pro Santé Connect").is_visible()
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/compte/pro-sante-connect/bienvenue/")
    assert page.get_by_role("heading", name="Bienvenue, Dr Lefèvre").is_visible()
    page.get_by_label("Adresse e-mail").fill("anne.lefevre@cabinet.example")
    page.get_by_label("Région d'exercice").select_option("11")
    page.get_by_label("J'accepte la charte de l'évaluateur").check()
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url("**/compte/")
    assert page.get_by_text("Vérifié").first.is_visible()
    assert page.get_by_text("par Pro Santé Connect").is_visible()
    doctor = Doctor.objects.get(rpps=rpps)
    assert doctor.is_verified and doctor.verified_by == Doctor.VerifiedBy.PRO_SANTE_CONNECT
    # Signing out ends the provider's session too, and comes back to the site.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(live_server.url + "/")
    assert provider.ended_sessions and provider.ended_sessions[0]["id_token_hint"]
