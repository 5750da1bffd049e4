import pytest
from django.urls import reverse
from django.utils import translation

from surveys.models import ConflictOfInterest, Response
from surveys.services.accounts import declare_conflict
from surveys.services.responses import SurveyRefusal, choose_tools, conflict_refusal, save_response
from tests.factories import CampaignFactory, DoctorFactory, ProductFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    vendor = VendorFactory(name="Doctoweb", slug="doctoweb", email_domains="doctoweb.fr, doctoweb-group.com")
    product = ProductFactory(name="Doctoweb Agenda", slug="doctoweb-agenda", vendor=vendor)
    other = ProductFactory(name="Libre Agenda", slug="libre-agenda", category=product.category)
    campaign = CampaignFactory(categories=[product.category])
    return {"vendor": vendor, "product": product, "other": other, "campaign": campaign}


def rate_url(campaign, product):
    return reverse("surveys:rate_tool", args=[campaign.slug, product.slug])


def test_doctor_declares_and_removes_a_link(client, setting):
    doctor = DoctorFactory()
    client.force_login(doctor.user)
    url = reverse("surveys:conflicts")

    response = client.post(url, {"action": "add", "vendor": setting["vendor"].pk, "description": ""})
    assert 'id="id_description_error"' in response.content.decode()

    response = client.post(
        url, {"action": "add", "vendor": setting["vendor"].pk, "description": "Consultant rémunéré"}
    )
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get(doctor=doctor)
    assert conflict.description == "Consultant rémunéré"
    assert "Consultant rémunéré" in client.get(url).content.decode()

    client.post(url, {"action": "remove", "conflict": conflict.pk})
    assert not ConflictOfInterest.objects.exists()


def test_a_doctor_cannot_remove_someone_elses_link(client, setting):
    other = declare_conflict(doctor=DoctorFactory(), vendor=setting["vendor"], description="Salarié")
    client.force_login(DoctorFactory().user)
    client.post(reverse("surveys:conflicts"), {"action": "remove", "conflict": other.pk})
    assert ConflictOfInterest.objects.filter(pk=other.pk).exists()


def test_declared_link_refuses_the_vendors_products_at_selection_and_at_save(client, setting):
    doctor = DoctorFactory()
    declare_conflict(doctor=doctor, vendor=setting["vendor"], description="Actionnaire")
    campaign, product = setting["campaign"], setting["product"]
    client.force_login(doctor.user)

    page = client.get(reverse("surveys:pick_tools", args=[campaign.slug])).content.decode()
    assert f'id="refusal-{product.pk}"' in page
    assert "Doctoweb" in page

    response = client.post(
        reverse("surveys:pick_tools", args=[campaign.slug]),
        {"shown": [product.pk, setting["other"].pk], "product": [product.pk, setting["other"].pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("Doctoweb Agenda" in m for m in messages)
    assert list(Response.objects.values_list("product__slug", flat=True)) == ["libre-agenda"]

    response = client.get(rate_url(campaign, product))
    assert response.status_code == 302
    client.post(rate_url(campaign, product), {"support": "4", "action": "submit"})
    assert not Response.objects.filter(product=product).exists()

    with pytest.raises(SurveyRefusal) as excinfo:
        save_response(doctor=doctor, product=product, campaign=campaign, answers={"support": 4}, submit=True)
    assert excinfo.value.code == "conflict_of_interest"
    with translation.override("en"):
        assert "declared a link with Doctoweb" in conflict_refusal(doctor=doctor, product=product)


@pytest.mark.parametrize("email", ["jean@doctoweb.fr", "jean@Paris.DOCTOWEB-group.com"])
def test_vendor_e_mail_domain_refuses_its_products(setting, email):
    doctor = DoctorFactory(user=UserFactory(email=email.lower()))
    campaign, product = setting["campaign"], setting["product"]

    selection = choose_tools(doctor=doctor, campaign=campaign, add=[product, setting["other"]])

    assert selection.added == [setting["other"]]
    assert product in selection.refused
    assert f"@{email.split('@')[1].lower()}" in str(selection.refused[product])
    with pytest.raises(SurveyRefusal) as excinfo:
        save_response(doctor=doctor, product=product, campaign=campaign, answers={"support": 4}, submit=True)
    assert excinfo.value.code == "conflict_of_interest"


def test_a_similar_but_different_domain_is_not_refused(setting):
    doctor = DoctorFactory(user=UserFactory(email="jean@notdoctoweb.fr"))
    assert conflict_refusal(doctor=doctor, product=setting["product"]) is None
