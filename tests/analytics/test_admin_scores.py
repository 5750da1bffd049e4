import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from ratings.models import FACET_SLUGS

from . import builders

pytestmark = pytest.mark.django_db


def user(email, *, groups=(), staff=True):
    account = get_user_model().objects.create_user(username=email, email=email, password="x", is_staff=staff)
    for name in groups:
        account.groups.add(Group.objects.get(name=name))
    return account


@pytest.fixture
def scored():
    (product,) = builders.catalogue(1)
    camp = builders.campaign()
    builders.answer(builders.doctors(20), product, camp, dict.fromkeys(FACET_SLUGS, 4))
    builders.answer(
        builders.doctors(3), product, camp, dict.fromkeys(FACET_SLUGS, 1), network_prefix="203.0.113.0/24"
    )
    call_command("recompute_scores", stdout=io.StringIO())
    return product


def test_scores_in_the_admin_are_for_analysts_only(client, scored):
    url = reverse("analytics_admin:scores")
    assert client.get(url).status_code == 302  # anonymous: to the admin sign-in
    client.force_login(user("editor@example.org", groups=["editor"]))
    # Wagtail answers a refusal with a redirect to the admin home and a message.
    refused = client.get(url)
    assert refused.status_code in (302, 403) and refused.get("Location", "") != url
    assert client.post(reverse("analytics_admin:recompute")).status_code in (302, 403)
    client.force_login(user("analyst@example.org", groups=["analyst"]))
    response = client.get(url)
    assert response.status_code == 200
    (row,) = response.context["scores"]
    assert row.product == scored and row.n_flagged == 3
    assert row.score_without_flagged == pytest.approx(4.0, abs=0.3)


def test_an_analyst_queues_a_recompute(client, scored, django_capture_on_commit_callbacks):
    client.force_login(user("analyst@example.org", groups=["analyst"]))
    client_editor = client.__class__()
    client_editor.force_login(user("editor@example.org", groups=["editor"]))
    with django_capture_on_commit_callbacks() as refused:
        client_editor.post(reverse("analytics_admin:recompute"))
    assert refused == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("analytics_admin:recompute"))
    assert response.status_code == 302
    assert len(callbacks) == 1


def test_the_public_page_says_how_many_responses_are_under_review(client, scored):
    html = client.get(reverse("cms:product_detail", args=[scored.slug])).content.decode()
    assert "3 responses are under review" in html or "3 réponses sont en cours de vérification" in html
