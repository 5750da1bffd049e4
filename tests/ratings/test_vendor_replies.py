"""The vendors' right of reply: only the vendor's members write it, moderators publish or refuse it."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from ratings.models import VendorMembership, VendorReply
from ratings.services import ReplyRefused, publish_vendor_reply, refuse_vendor_reply, submit_vendor_reply
from tests.factories import ProductFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


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


def published_reply(product, member, text="Première version."):
    return publish_vendor_reply(reply=submit_vendor_reply(product=product, author=member, text=text))


# Who writes.


@pytest.mark.parametrize("kind", ["staff", "superuser", "other vendor"])
def test_only_members_of_the_vendor_write_its_reply(product, member, kind):
    published_reply(product, member)
    if kind == "staff":
        author = UserFactory(is_staff=True, groups=["moderator"])
    elif kind == "superuser":
        author = StaffFactory()
    else:
        author = UserFactory()
        VendorMembership.objects.create(user=author, vendor=ProductFactory().vendor)
    with pytest.raises(ReplyRefused):
        submit_vendor_reply(product=product, author=author, text="Texte réécrit par quelqu'un d'autre.")
    reply = VendorReply.objects.get(product=product)
    assert (reply.text, reply.author, reply.status) == (
        "Première version.",
        member,
        VendorReply.Status.PUBLISHED,
    )


def test_staff_posting_on_the_vendor_space_are_refused(client, product, member):
    published_reply(product, member)
    client.force_login(StaffFactory())
    answer = client.post(reverse("cms:vendor_reply", args=[product.slug]), {"text": "Réécrit par le staff."})
    assert answer.status_code == 403
    assert list(VendorReply.objects.values_list("text", "status")) == [("Première version.", "published")]


def test_moderators_cannot_author_a_reply_in_the_admin(client, product, member, moderator):
    reply = submit_vendor_reply(product=product, author=member, text="Texte de l'éditeur.")
    client.force_login(moderator)
    edit = reverse("wagtailsnippets_ratings_vendorreply:edit", args=[reply.pk])
    client.post(edit, {"text": "Texte du modérateur.", "status": "published", "refusal_reason": ""})
    reply.refresh_from_db()
    assert (reply.text, reply.author, reply.status) == ("Texte de l'éditeur.", member, "published")
    client.force_login(StaffFactory())
    assert client.get(reverse("wagtailsnippets_ratings_vendorreply:add")).status_code in (302, 403)


# New versions of a published reply.


def test_a_new_version_waits_while_the_published_one_stays_on_the_product_page(client, product, member):
    first = published_reply(product, member)
    second = submit_vendor_reply(product=product, author=member, text="Deuxième version.")
    first.refresh_from_db()
    assert first.status == VendorReply.Status.PUBLISHED and first.text == "Première version."
    assert second.pk != first.pk and second.status == VendorReply.Status.PENDING
    assert product.replies.published().first() == first
    page = client.get(reverse("cms:product_detail", args=[product.slug])).content.decode()
    assert "Première version." in page and "Deuxième version." not in page


def test_sending_again_edits_the_pending_version(product, member):
    published_reply(product, member)
    second = submit_vendor_reply(product=product, author=member, text="Deuxième version.")
    again = submit_vendor_reply(product=product, author=member, text="Deuxième version, corrigée.")
    assert again.pk == second.pk and again.text == "Deuxième version, corrigée."
    assert product.replies.filter(status=VendorReply.Status.PENDING).count() == 1


def test_publishing_a_new_version_supersedes_the_published_one(client, moderator, product, member):
    first = published_reply(product, member)
    second = submit_vendor_reply(product=product, author=member, text="Deuxième version.")
    client.force_login(moderator)
    edit = reverse("wagtailsnippets_ratings_vendorreply:edit", args=[second.pk])
    assert client.post(edit, {"status": "published", "refusal_reason": ""}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == VendorReply.Status.SUPERSEDED
    assert second.status == VendorReply.Status.PUBLISHED and second.published_at is not None
    assert list(product.replies.published()) == [second]
    assert (
        "Deuxième version." in client.get(reverse("cms:product_detail", args=[product.slug])).content.decode()
    )


def test_refusing_a_new_version_leaves_the_published_one(product, member):
    first = published_reply(product, member)
    second = submit_vendor_reply(product=product, author=member, text="Deuxième version.")
    refuse_vendor_reply(reply=second, reason="Propos sur un concurrent.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == VendorReply.Status.PUBLISHED
    assert (second.status, second.refusal_reason) == (VendorReply.Status.REFUSED, "Propos sur un concurrent.")
    assert list(product.replies.published()) == [first]


def test_only_a_pending_version_is_published(product, member):
    first = published_reply(product, member)
    with pytest.raises(ReplyRefused):
        publish_vendor_reply(reply=first)
    second = submit_vendor_reply(product=product, author=member, text="Deuxième version.")
    publish_vendor_reply(reply=second)
    first.refresh_from_db()
    with pytest.raises(ReplyRefused):
        publish_vendor_reply(reply=first)
    assert list(product.replies.published()) == [second]


def test_the_database_keeps_one_published_and_one_pending_reply_per_product(product, member):
    published_reply(product, member)
    submit_vendor_reply(product=product, author=member, text="En attente.")
    for status in (VendorReply.Status.PUBLISHED, VendorReply.Status.PENDING):
        with pytest.raises(IntegrityError), transaction.atomic():
            VendorReply.objects.create(product=product, author=member, text="Doublon.", status=status)


@pytest.mark.parametrize("status", ["pending", "superseded"])
def test_the_admin_form_only_publishes_or_refuses(client, moderator, product, member, status):
    first = published_reply(product, member)
    client.force_login(moderator)
    edit = reverse("wagtailsnippets_ratings_vendorreply:edit", args=[first.pk])
    answer = client.post(edit, {"status": status, "refusal_reason": ""})
    assert answer.status_code == 200 and "status" in answer.context["form"].errors
    first.refresh_from_db()
    assert first.status == VendorReply.Status.PUBLISHED
