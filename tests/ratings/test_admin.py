import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from ratings.models import Methodology, Product
from ratings.services import create_product, get_or_create_category, get_or_create_vendor, lock_methodology

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    vendor = get_or_create_vendor(slug="agendoc", name="Agendoc")
    category = get_or_create_category(slug="agenda", name="Agenda")
    create_product(name="Agendoc Pro", vendor=vendor, category=category)
    return vendor, category


def make_user(email, *, staff=False, superuser=False, groups=()):
    user = get_user_model().objects.create_user(
        username=email, email=email, password="pw-Secret-123", is_staff=staff, is_superuser=superuser
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def product_list_url():
    return reverse("wagtailsnippets_ratings_product:list")


def product_add_url():
    return reverse("wagtailsnippets_ratings_product:add")


def test_anonymous_is_sent_to_the_admin_login(client, catalogue):
    response = client.get(product_list_url())
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_signed_in_user_without_admin_rights_is_refused(client, catalogue):
    client.force_login(make_user("doc@example.org", groups=["doctor"]))
    response = client.get(product_list_url())
    assert response.status_code in (302, 403)
    assert client.get(product_add_url()).status_code in (302, 403)


def test_editor_lists_searches_and_filters_products(client, catalogue):
    vendor, category = catalogue
    client.force_login(make_user("editor@example.org", groups=["editor"]))
    response = client.get(product_list_url())
    assert response.status_code == 200
    assert "Agendoc Pro" in response.content.decode()
    response = client.get(product_list_url(), {"q": "nothing-like-this"})
    assert "Agendoc Pro" not in response.content.decode()
    response = client.get(product_list_url(), {"category": category.pk})
    assert "Agendoc Pro" in response.content.decode()


def test_editor_creates_a_product_in_the_admin(client, catalogue):
    vendor, category = catalogue
    client.force_login(make_user("editor@example.org", groups=["editor"]))
    response = client.post(
        product_add_url(),
        {
            "name": "Agendoc Vidéo",
            "slug": "agendoc-video",
            "vendor": vendor.pk,
            "category": category.pk,
            "description": "",
            "website": "",
            "is_listed": "on",
            "pricing_model": "subscription",
            "price": "59.00",
            "billing_unit": "month",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    product = Product.objects.get(slug="agendoc-video")
    assert product.vendor == vendor and product.price == 59


def test_admin_form_shows_the_field_and_reason_on_bad_input(client, catalogue):
    vendor, category = catalogue
    client.force_login(make_user("editor@example.org", groups=["editor"]))
    response = client.post(
        product_add_url(),
        {
            "name": "",
            "slug": "x",
            "vendor": vendor.pk,
            "category": category.pk,
            "pricing_model": "subscription",
            "price": "-3",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors and "price" in form.errors
    assert not Product.objects.filter(slug="x").exists()


def test_editing_a_locked_methodology_creates_a_new_version(client):
    v1 = lock_methodology(methodology=Methodology.objects.current())
    client.force_login(make_user("admin@example.org", staff=True, superuser=True))
    url = reverse("wagtailsnippets_ratings_methodology:edit", args=[v1.pk])
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    for formset in form.formsets.values():
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = len(formset.forms)
        data[f"{prefix}-INITIAL_FORMS"] = len(formset.forms)
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, subform in enumerate(formset.forms):
            for name in subform.fields:
                value = subform[name].value()
                if value is not None:
                    data[f"{prefix}-{i}-{name}"] = value
            data[f"{prefix}-{i}-ORDER"] = i
    data["alpha"] = "0.250"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    v1.refresh_from_db()
    assert float(v1.alpha) == pytest.approx(0.3)
    v2 = Methodology.objects.get(version=2)
    assert float(v2.alpha) == pytest.approx(0.25)
    assert v2.facet_weights.count() == 8 and v2.strata.count() == 2
    assert not v2.is_locked


def test_vendors_filter_by_the_category_of_their_products_once_each(client, catalogue):
    vendor, category = catalogue
    create_product(name="Agendoc Lite", vendor=vendor, category=category)
    other = get_or_create_vendor(slug="autre", name="Autre éditeur")
    create_product(name="Ailleurs", vendor=other, category=get_or_create_category(slug="video", name="Vidéo"))
    client.force_login(make_user("editor@example.org", groups=["editor"]))
    response = client.get(reverse("wagtailsnippets_ratings_vendor:list"), {"category": category.pk})
    assert list(response.context["object_list"]) == [vendor]


def test_deleting_a_methodology_scores_were_computed_with_is_refused_with_a_message(client):
    import io

    from django.core.management import call_command

    from ratings.models import FACET_SLUGS
    from tests.analytics import builders

    (product,) = builders.catalogue(1)
    builders.answer(builders.doctors(5), product, builders.campaign(), dict.fromkeys(FACET_SLUGS, 4))
    call_command("recompute_scores", stdout=io.StringIO())
    methodology = Methodology.objects.current()
    client.force_login(make_user("admin@example.org", staff=True, superuser=True))
    url = reverse("wagtailsnippets_ratings_methodology:delete", args=[methodology.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200 and Methodology.objects.filter(pk=methodology.pk).exists()
    (message,) = [str(m) for m in response.context["messages"]]
    assert (
        message
        == "Suppression refusée : des instantanés des notes font encore référence à « Méthodologie v1 »."
    )


def test_deleting_an_unused_category_still_works(client, catalogue):
    unused = get_or_create_category(slug="vide", name="Vide")
    client.force_login(make_user("admin@example.org", staff=True, superuser=True))
    client.post(reverse("wagtailsnippets_ratings_category:delete", args=[unused.pk]))
    assert not unused.__class__.objects.filter(pk=unused.pk).exists()
