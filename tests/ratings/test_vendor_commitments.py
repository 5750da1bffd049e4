"""Vendors' commitments (METHODOLOGY §10): written with a reply version, moderated with it, by its vendor only."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from ratings.models import Facet, VendorCommitment, VendorMembership, VendorReply
from ratings.services import ReplyRefused, publish_vendor_reply, refuse_vendor_reply, submit_vendor_reply
from tests.factories import ProductFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

WRITTEN_ON = datetime.date(2026, 5, 20)


@pytest.fixture
def product():
    return ProductFactory(name="Agendoc Pro", slug="agendoc-pro")


@pytest.fixture
def member(product):
    user = UserFactory(email="equipe@agendoc.example", groups=["vendor"])
    VendorMembership.objects.create(user=user, vendor=product.vendor)
    return user


@pytest.fixture
def moderator():
    return UserFactory(email="moderatrice@example.org", is_staff=True, groups=["moderator"])


def promise(slug="support", what="Support joignable en deux heures.", due=datetime.date(2026, 9, 30)):
    return {"facet": Facet.objects.get(slug=slug), "what": what, "due_on": due}


def write(product, member, *commitments, text="Notre réponse."):
    return submit_vendor_reply(
        product=product, author=member, text=text, commitments=commitments, today=WRITTEN_ON
    )


def page(client, product):
    return client.get(reverse("cms:product_detail", args=[product.slug])).content.decode()


def formset_data(rows, text="Notre réponse.", total=3):
    """The POST of the reply form: the text, the formset's management form and its rows."""
    data = {
        "text": text,
        "commitments-TOTAL_FORMS": str(total),
        "commitments-INITIAL_FORMS": "0",
        "commitments-MIN_NUM_FORMS": "0",
        "commitments-MAX_NUM_FORMS": "3",
    }
    for i in range(total):
        row = rows[i] if i < len(rows) else {}
        for key in ("facet", "what", "due_on"):
            data[f"commitments-{i}-{key}"] = row.get(key, "")
    return data


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# The service.


def test_a_version_carries_its_commitments_and_a_new_send_replaces_them(product, member):
    reply = write(
        product, member, promise(), promise("reliability", "Moins de pannes.", datetime.date(2027, 1, 31))
    )
    assert [(c.facet.slug, c.due_on) for c in reply.commitments.all()] == [
        ("support", datetime.date(2026, 9, 30)),
        ("reliability", datetime.date(2027, 1, 31)),
    ]
    again = write(product, member, promise("features", "Ordonnances types."))
    assert again.pk == reply.pk
    assert list(reply.commitments.values_list("facet__slug", flat=True)) == ["features"]
    assert VendorCommitment.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "count", "reason"),
    [
        ({}, 4, "au plus 3"),
        ({"due": WRITTEN_ON}, 1, "futur"),
        ({"due": datetime.date(2029, 5, 21)}, 1, "3 ans"),
        ({"what": "   "}, 1, "engagez"),
        ({"what": "x" * 301}, 1, "300"),
    ],
)
def test_the_service_refuses_what_the_form_refuses(product, member, changes, count, reason):
    with pytest.raises(ReplyRefused) as refused:
        write(product, member, *[promise(**changes)] * count)
    assert reason in refused.value.message
    assert not VendorReply.objects.exists() and not VendorCommitment.objects.exists()


def test_a_commitment_within_three_years_is_taken(product, member):
    assert write(product, member, promise(due=datetime.date(2029, 5, 20))).commitments.count() == 1


def test_another_vendor_cannot_commit_for_a_product_not_its_own(product, member):
    other = UserFactory(groups=["vendor"])
    VendorMembership.objects.create(user=other, vendor=ProductFactory().vendor)
    with pytest.raises(ReplyRefused):
        submit_vendor_reply(product=product, author=other, text="Engagement.", commitments=[promise()])
    assert not VendorCommitment.objects.exists()


# Moderation: shown only with a published version.


def test_commitments_wait_refused_or_published_with_their_version(client, product, member):
    pending = write(product, member, promise(what="Support joignable en deux heures."))
    assert "Support joignable" not in page(client, product)
    refuse_vendor_reply(reply=pending, reason="Engagement invérifiable.")
    assert "Support joignable" not in page(client, product)
    published = publish_vendor_reply(
        reply=write(product, member, promise(what="Rappel sous quatre heures.")), today=WRITTEN_ON
    )
    shown = page(client, product)
    assert "Rappel sous quatre heures." in shown and "Support joignable" not in shown
    # A new version waits with other commitments: readers still see the published ones only.
    write(product, member, promise(what="Promesse encore en attente."))
    shown = page(client, product)
    assert "Rappel sous quatre heures." in shown and "encore en attente" not in shown
    # A published version withdrawn takes its commitments away.
    refuse_vendor_reply(reply=published, reason="Retiré à la demande de l'éditeur.")
    assert "Rappel sous quatre heures." not in page(client, product)
    assert not VendorCommitment.objects.published().exists()


def test_a_repeated_promise_keeps_its_first_date_and_a_changed_one_starts_again(product, member):
    first = publish_vendor_reply(reply=write(product, member, promise()), today=WRITTEN_ON)
    assert first.commitments.get().committed_on == WRITTEN_ON
    later = datetime.date(2026, 8, 1)
    second = publish_vendor_reply(
        reply=write(product, member, promise(), promise("features", "Modèles d'ordonnance.")), today=later
    )
    dates = dict(second.commitments.values_list("facet__slug", "committed_on"))
    assert dates == {"support": WRITTEN_ON, "features": later}
    third = publish_vendor_reply(
        reply=write(product, member, promise(due=datetime.date(2026, 10, 31))), today=later
    )
    assert third.commitments.get().committed_on == later


def test_the_moderator_sees_the_commitments_of_the_version(client, product, member, moderator):
    reply = write(product, member, promise(what="Support joignable en deux heures."))
    client.force_login(moderator)
    edit = client.get(reverse("wagtailsnippets_ratings_vendorreply:edit", args=[reply.pk]))
    assert edit.status_code == 200
    text = edit.content.decode()
    assert "Support joignable en deux heures." in text and "30 septembre 2026" in text
    assert (
        client.post(
            reverse("wagtailsnippets_ratings_vendorreply:edit", args=[reply.pk]),
            {"status": "published", "refusal_reason": ""},
        ).status_code
        == 302
    )
    assert VendorCommitment.objects.published().get().committed_on == timezone.localdate()


# The form in the vendor space.


def test_the_vendor_sends_commitments_from_the_form(client, product, member):
    client.force_login(member)
    support = Facet.objects.get(slug="support")
    answer = client.post(
        reverse("cms:vendor_reply", args=[product.slug]),
        formset_data([{"facet": support.pk, "what": "Support en deux heures.", "due_on": in_days(90)}]),
    )
    assert answer.status_code == 302
    reply = VendorReply.objects.get(product=product)
    assert reply.status == VendorReply.Status.PENDING
    assert [(c.facet, c.what) for c in reply.commitments.all()] == [(support, "Support en deux heures.")]


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        (
            {"what": "Support en deux heures.", "due_on": in_days(-1)},
            "due_on",
            "La date doit être dans le futur.",
        ),
        ({"what": "Support en deux heures.", "due_on": in_days(4 * 365)}, "due_on", "d’ici 3 ans"),
        ({"what": "Support en deux heures.", "due_on": "31/02/2027"}, "due_on", "Saisissez une date valide."),
        ({"what": "", "due_on": in_days(30)}, "what", "Champ requis."),
        ({"what": "x" * 301, "due_on": in_days(30)}, "what", "300"),
        ({"facet": "", "what": "Sans facette.", "due_on": in_days(30)}, "facet", "Champ requis."),
    ],
)
def test_bad_input_shows_the_field_and_the_reason(client, product, member, row, field, reason):
    client.force_login(member)
    row = {"facet": Facet.objects.get(slug="support").pk, **row}
    answer = client.post(reverse("cms:vendor_reply", args=[product.slug]), formset_data([row]))
    assert answer.status_code == 200
    assert not VendorReply.objects.exists()
    soup = BeautifulSoup(answer.content, "html.parser")
    box = soup.find(id=f"field-reply-{product.pk}-commitments-0-{field}")
    assert "field-error" in box["class"]
    assert reason in box.find(class_="errorlist").get_text()
    # The error summary links to the field; what was typed is kept.
    assert soup.select_one(f'.error-summary a[href="#field-reply-{product.pk}-commitments-0-{field}"]')
    assert soup.find(id=f"reply-{product.pk}-text")
    if row.get("what") and field != "what":
        assert soup.find(id=f"reply-{product.pk}-commitments-0-what")["value"] == row["what"]


def test_an_empty_row_is_no_commitment_and_a_half_filled_one_is_an_error(client, product, member):
    client.force_login(member)
    answer = client.post(reverse("cms:vendor_reply", args=[product.slug]), formset_data([]))
    assert answer.status_code == 302 and not VendorCommitment.objects.exists()
    half = client.post(
        reverse("cms:vendor_reply", args=[product.slug]), formset_data([{"what": "À moitié."}])
    )
    assert half.status_code == 200 and half.context["commitments"].errors[0].keys() == {"facet", "due_on"}


def test_more_than_three_commitments_are_refused(client, product, member):
    client.force_login(member)
    row = {"facet": Facet.objects.get(slug="support").pk, "what": "Encore.", "due_on": in_days(30)}
    answer = client.post(reverse("cms:vendor_reply", args=[product.slug]), formset_data([row] * 4, total=4))
    assert answer.status_code == 200
    assert not VendorReply.objects.exists()


def test_a_new_version_starts_from_the_published_commitments(client, product, member):
    publish_vendor_reply(
        reply=write(product, member, promise(what="Support en deux heures.")), today=WRITTEN_ON
    )
    client.force_login(member)
    for url in (reverse("cms:vendor_reply", args=[product.slug]), reverse("cms:vendor_reports")):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert soup.find(id=f"reply-{product.pk}-commitments-0-what")["value"] == "Support en deux heures."
        assert soup.find(id=f"reply-{product.pk}-commitments-0-due_on")["value"] == "2026-09-30"
        chosen = soup.find(id=f"reply-{product.pk}-commitments-0-facet").find("option", selected=True)
        assert chosen.get_text() == Facet.objects.get(slug="support").name
        assert soup.find(id=f"reply-{product.pk}-commitments-1-what").get("value") is None


# Who may write them.


def test_who_may_open_and_send_the_reply_form(client, product, member):
    url = reverse("cms:vendor_reply", args=[product.slug])
    data = formset_data(
        [{"facet": Facet.objects.get(slug="support").pk, "what": "X.", "due_on": in_days(30)}]
    )
    assert client.get(url).status_code == 302  # anonymous: asked to sign in
    assert client.post(url, data).status_code == 302
    client.force_login(UserFactory(groups=["doctor"]))
    assert client.get(url).status_code == 403 and client.post(url, data).status_code == 403
    other = UserFactory(groups=["vendor"])
    VendorMembership.objects.create(user=other, vendor=ProductFactory().vendor)
    client.force_login(other)
    assert client.get(url).status_code == 404 and client.post(url, data).status_code == 404
    client.force_login(StaffFactory())  # staff read every vendor's space, but do not write for them
    assert client.get(url).status_code == 403 and client.post(url, data).status_code == 403
    assert not VendorReply.objects.exists()
    client.force_login(member)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    assert VendorCommitment.objects.count() == 1
