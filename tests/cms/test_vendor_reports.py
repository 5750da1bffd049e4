import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from ratings.models import FACET_SLUGS, VendorMembership
from tests.analytics import builders

pytestmark = pytest.mark.django_db

# The reply form's commitments formset (cms/reply_forms.py), sent with no commitment.
NO_COMMITMENT = {"commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0"}


@pytest.fixture
def reports():
    ours = builders.catalogue(1, vendor="agendoc", category="agenda")[0]
    theirs = builders.catalogue(1, vendor="rdvsante", category="agenda")[0]
    camp = builders.campaign()
    builders.answer(builders.doctors(6), ours, camp, dict.fromkeys(FACET_SLUGS, 4))
    builders.answer(builders.doctors(6), theirs, camp, dict.fromkeys(FACET_SLUGS, 2))
    call_command("recompute_scores", stdout=io.StringIO())
    User = get_user_model()
    vendor_user = User.objects.create_user(username="v", email="v@agendoc.example", password="x")
    VendorMembership.objects.create(user=vendor_user, vendor=ours.vendor)
    doctor_user = User.objects.create_user(username="d", email="d@example.org", password="x")
    staff = User.objects.create_user(username="s", email="s@example.org", password="x", is_staff=True)
    return {"ours": ours, "theirs": theirs, "vendor": vendor_user, "doctor": doctor_user, "staff": staff}


def test_anonymous_is_asked_to_sign_in(client, reports):
    response = client.get(reverse("cms:vendor_reports"))
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_a_signed_in_user_without_a_vendor_is_refused_and_finds_no_report(client, reports):
    client.force_login(reports["doctor"])
    assert client.get(reverse("cms:vendor_reports")).status_code == 403
    # A vendor's scores file answers 404, as its report files do: the URL tells nothing.
    url = reverse("cms:vendor_report_export", args=[reports["ours"].vendor.slug])
    assert client.get(url).status_code == 404


def test_a_vendor_sees_only_its_own_products(client, reports):
    client.force_login(reports["vendor"])
    page = client.get(reverse("cms:vendor_reports"))
    assert page.status_code == 200
    assert [p for p, _, _ in page.context["rows"]] == [reports["ours"]]
    assert reports["theirs"].name not in page.content.decode()
    export = client.get(reverse("cms:vendor_report_export", args=[reports["ours"].vendor.slug]))
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [r["product"] for r in rows] == [reports["ours"].slug]
    other = client.get(reverse("cms:vendor_report_export", args=[reports["theirs"].vendor.slug]))
    assert other.status_code == 404


def test_staff_see_every_vendor(client, reports):
    client.force_login(reports["staff"])
    page = client.get(reverse("cms:vendor_reports"))
    assert {p for p, _, _ in page.context["rows"]} == {reports["ours"], reports["theirs"]}


def test_a_vendor_answers_and_the_reply_is_published_after_moderation(client, reports):
    from django.contrib.auth.models import Group

    from ratings.models import VendorReply

    ours, theirs = reports["ours"], reports["theirs"]
    client.force_login(reports["vendor"])
    response = client.post(
        reverse("cms:vendor_reply", args=[ours.slug]),
        {"text": "Nous avons corrigé les lenteurs.", **NO_COMMITMENT},
    )
    assert response.status_code == 302
    reply = VendorReply.objects.get(product=ours)
    assert reply.status == "pending" and reply.author == reports["vendor"]
    # Not shown until a moderator publishes it.
    assert (
        "corrigé les lenteurs"
        not in client.get(reverse("cms:product_detail", args=[ours.slug])).content.decode()
    )
    # Another vendor's product is out of reach.
    assert client.post(reverse("cms:vendor_reply", args=[theirs.slug]), {"text": "x"}).status_code == 404
    # An empty reply is refused with a reason, nothing saved.
    client.post(reverse("cms:vendor_reply", args=[ours.slug]), {"text": "   "})
    assert VendorReply.objects.get(product=ours).text == "Nous avons corrigé les lenteurs."

    moderator = get_user_model().objects.create_user(
        username="m", email="m@example.org", password="x", is_staff=True
    )
    moderator.groups.add(Group.objects.get(name="moderator"))
    client.force_login(moderator)
    edit = reverse("wagtailsnippets_ratings_vendorreply:edit", args=[reply.pk])
    refused = client.post(edit, {"status": "refused", "refusal_reason": ""})
    assert refused.status_code == 200  # a refusal needs a reason: the form says so
    assert VendorReply.objects.get(pk=reply.pk).status == "pending"
    assert client.post(edit, {"status": "published", "refusal_reason": ""}).status_code == 302
    reply.refresh_from_db()
    assert reply.status == "published" and reply.published_at is not None

    page = client.get(reverse("cms:product_detail", args=[ours.slug])).content.decode()
    assert "corrigé les lenteurs" in page
    # A new version goes to moderation; the published one stays shown meanwhile.
    client.force_login(reports["vendor"])
    client.post(reverse("cms:vendor_reply", args=[ours.slug]), {"text": "Nouvelle version.", **NO_COMMITMENT})
    assert ours.replies.pending().get().text == "Nouvelle version."
    assert ours.replies.published().get() == reply
    # The vendor space shows the new version in the form and the published one beside it.
    space = BeautifulSoup(client.get(reverse("cms:vendor_reports")).content, "html.parser")
    section = space.find(id=f"p-{ours.slug}").parent
    assert section.find(class_="vendor-reply").find("textarea").get_text() == "Nouvelle version."
    assert "corrigé les lenteurs" in section.find(class_="vendor-reply").find(class_="card").get_text()


def test_a_product_without_a_reply_offers_an_empty_form(client, reports):
    client.force_login(reports["vendor"])
    space = BeautifulSoup(client.get(reverse("cms:vendor_reports")).content, "html.parser")
    details = space.find(id=f"p-{reports['ours'].slug}").parent.find("details", class_="vendor-reply")
    assert details.has_attr("open") and details.find("textarea").get_text() == ""
    assert details.summary.get_text(strip=True) == "Votre droit de réponse"
