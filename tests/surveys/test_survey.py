import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ratings.models import FACET_SLUGS
from surveys.models import Campaign, Response
from surveys.services.moderation import approve_comment, reject_comment
from surveys.services.responses import (
    SurveyRefusal,
    browser_fingerprint,
    close_campaign,
    network_prefix,
    save_response,
)
from surveys.signals import scores_invalidated
from tests.factories import (
    CampaignFactory,
    CategoryFactory,
    DoctorFactory,
    ProductFactory,
    ResponseFactory,
    StaffFactory,
    UserFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    agenda = CategoryFactory(name="Agenda en ligne", slug="agenda", sort_order=1)
    video = CategoryFactory(name="Téléconsultation", slug="teleconsultation", sort_order=2)
    messaging = CategoryFactory(name="Messagerie", slug="messagerie", sort_order=3)
    vendor = VendorFactory(name="Agendoc SAS", slug="agendoc")
    products = {
        "agendoc": ProductFactory(name="Agendoc", slug="agendoc", vendor=vendor, category=agenda),
        "rdvplus": ProductFactory(name="RdvPlus", slug="rdvplus", category=agenda),
        "visio": ProductFactory(name="VisioSoin", slug="visiosoin", category=video),
        "messa": ProductFactory(name="MessaSanté", slug="messasante", category=messaging),
    }
    campaign = CampaignFactory(slug="printemps", title="Enquête de printemps", categories=[agenda, video])
    doctor = DoctorFactory(last_name="Bernard", first_name="Lucie")
    return {"campaign": campaign, "doctor": doctor, "products": products}


@pytest.fixture
def doctor_client(client, survey):
    client.force_login(survey["doctor"].user)
    return client


def pick_url(campaign):
    return reverse("surveys:pick_tools", args=[campaign.slug])


def rate_url(campaign, product):
    return reverse("surveys:rate_tool", args=[campaign.slug, product.slug])


def answers(**values):
    data = {slug: "na" for slug in FACET_SLUGS}
    data.update({k: str(v) for k, v in values.items()})
    data.setdefault("time_in_use", "")
    data.setdefault("comment", "")
    return data


def test_the_survey_home_leads_to_the_only_open_campaign(doctor_client, survey):
    response = doctor_client.get(reverse("surveys:survey"))
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:campaign", args=["printemps"])
    page = doctor_client.get(response["Location"]).content.decode()
    assert pick_url(survey["campaign"]) in page


def test_pick_tools_lists_the_campaign_categories_only_and_searches_without_javascript(doctor_client, survey):
    page = doctor_client.get(pick_url(survey["campaign"])).content.decode()
    assert "<legend>Agenda en ligne</legend>" in page
    assert "<legend>Téléconsultation</legend>" in page
    assert "Messagerie" not in page and "MessaSanté" not in page
    assert page.index("Agenda en ligne") < page.index("Téléconsultation")

    page = doctor_client.get(pick_url(survey["campaign"]), {"q": "visio"}).content.decode()
    assert "VisioSoin" in page and "RdvPlus" not in page
    # A vendor's name finds its tools too.
    page = doctor_client.get(pick_url(survey["campaign"]), {"q": "agendoc sas"}).content.decode()
    assert "Agendoc" in page and "VisioSoin" not in page


def test_whole_survey_choose_draft_resume_submit_edit(doctor_client, survey):
    campaign, doctor, products = survey["campaign"], survey["doctor"], survey["products"]

    # Choose two tools: each becomes a draft.
    response = doctor_client.post(
        pick_url(campaign),
        {
            "shown": [p.pk for p in products.values()],
            "product": [products["agendoc"].pk, products["visio"].pk],
        },
    )
    assert response.status_code == 302
    assert set(Response.objects.filter(doctor=doctor).values_list("product__slug", "status")) == {
        ("agendoc", "draft"),
        ("visiosoin", "draft"),
    }
    page = doctor_client.get(reverse("surveys:campaign", args=[campaign.slug])).content.decode()
    assert '<progress max="2" value="0"' in page

    # The form: one fieldset per facet with its name as legend, a labelled 1–5 scale and "not applicable".
    page = doctor_client.get(rate_url(campaign, products["agendoc"])).content.decode()
    assert page.count("<fieldset") >= 9
    assert "<legend>Facilité d&#x27;utilisation</legend>" in page
    assert page.count('name="ease_of_use"') == 6
    assert 'name="action" value="draft"' in page and 'name="action" value="submit"' in page

    # Save a draft, come back later: the answers are there.
    response = doctor_client.post(
        rate_url(campaign, products["agendoc"]),
        answers(ease_of_use=4, reliability=2, comment="Pratique mais lent.", action="draft"),
    )
    assert response.status_code == 302
    assert response["Location"] == rate_url(campaign, products["agendoc"])
    saved = Response.objects.get(doctor=doctor, product=products["agendoc"])
    assert saved.status == Response.Status.DRAFT
    assert (saved.ease_of_use, saved.reliability, saved.features) == (4, 2, None)
    assert saved.comment_status == Response.CommentStatus.NONE
    page = doctor_client.get(rate_url(campaign, products["agendoc"])).content.decode()
    assert re.search(r'<input type="radio" name="ease_of_use" value="4"[^>]*checked', page)
    assert "Pratique mais lent." in page

    # Submit: the comment goes to moderation, the next tool to rate comes next.
    response = doctor_client.post(
        rate_url(campaign, products["agendoc"]),
        answers(
            ease_of_use=4,
            reliability=2,
            recommend=6,
            time_in_use="6m2y",
            comment="Pratique mais lent.",
            action="submit",
        ),
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="Firefox",
        HTTP_ACCEPT_LANGUAGE="fr-FR",
    )
    assert response["Location"] == rate_url(campaign, products["visio"])
    saved.refresh_from_db()
    assert saved.status == Response.Status.SUBMITTED
    assert saved.submitted_at is not None
    assert (saved.recommend, saved.time_in_use) == (6, "6m2y")
    assert saved.comment_status == Response.CommentStatus.PENDING
    assert saved.network_prefix == "203.0.113.0/24"
    assert saved.fingerprint == browser_fingerprint("Firefox", "fr-FR")
    page = doctor_client.get(rate_url(campaign, products["visio"])).content.decode()
    assert '<progress max="2" value="1"' in page

    # A moderator approves the comment; an edit that keeps it keeps the approval…
    Response.objects.filter(pk=saved.pk).update(comment_status=Response.CommentStatus.APPROVED)
    doctor_client.post(
        rate_url(campaign, products["agendoc"]),
        answers(ease_of_use=5, reliability=2, comment="Pratique mais lent.", action="submit"),
    )
    saved.refresh_from_db()
    assert (saved.ease_of_use, saved.status, saved.comment_status) == (5, "submitted", "approved")
    # …an edited comment goes back to moderation.
    doctor_client.post(
        rate_url(campaign, products["agendoc"]),
        answers(ease_of_use=5, comment="Pratique, et plus rapide depuis la mise à jour.", action="submit"),
    )
    saved.refresh_from_db()
    assert saved.comment_status == Response.CommentStatus.PENDING
    assert Response.objects.filter(doctor=doctor, product=products["agendoc"]).count() == 1

    # The submitted tool can no longer be unticked; the draft can.
    doctor_client.post(pick_url(campaign), {"shown": [p.pk for p in products.values()], "product": []})
    assert list(Response.objects.filter(doctor=doctor).values_list("product__slug", flat=True)) == ["agendoc"]


def test_a_submitted_response_is_edited_not_duplicated_by_the_service(survey):
    campaign, doctor, product = survey["campaign"], survey["doctor"], survey["products"]["rdvplus"]
    first = save_response(
        doctor=doctor, product=product, campaign=campaign, answers={"support": 3}, submit=True
    )
    second = save_response(doctor=doctor, product=product, campaign=campaign, answers={"support": 1})
    assert first.pk == second.pk
    second.refresh_from_db()
    assert (second.support, second.status) == (1, Response.Status.SUBMITTED)


def test_submit_without_any_facet_shows_the_error_next_to_the_field(doctor_client, survey):
    campaign, product = survey["campaign"], survey["products"]["visio"]

    response = doctor_client.post(rate_url(campaign, product), answers(recommend=8, action="submit"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'id="id_ease_of_use_error"' in page
    assert re.search(
        r'<fieldset id="field-ease_of_use"[^>]*aria-describedby="[^"]*id_ease_of_use_error', page
    )
    assert not Response.objects.filter(status=Response.Status.SUBMITTED).exists()

    with pytest.raises(ValidationError) as excinfo:
        save_response(doctor=survey["doctor"], product=product, campaign=campaign, answers={}, submit=True)
    assert "ease_of_use" in excinfo.value.message_dict

    # A draft may be empty.
    response = doctor_client.post(rate_url(campaign, product), answers(action="draft"))
    assert response.status_code == 302


def test_out_of_range_answers_are_refused_by_the_form_the_service_and_the_database(doctor_client, survey):
    campaign, doctor, product = survey["campaign"], survey["doctor"], survey["products"]["visio"]

    response = doctor_client.post(
        rate_url(campaign, product), answers(ease_of_use=7, recommend=11, action="submit")
    )
    page = response.content.decode()
    assert 'id="id_ease_of_use_error"' in page and 'id="id_recommend_error"' in page
    assert not Response.objects.exists()

    with pytest.raises(ValidationError) as excinfo:
        save_response(
            doctor=doctor, product=product, campaign=campaign, answers={"reliability": 0}, submit=True
        )
    assert "reliability" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        save_response(doctor=doctor, product=product, campaign=campaign, answers={"support": 3}, recommend=12)

    saved = save_response(
        doctor=doctor, product=product, campaign=campaign, answers={"support": 3}, submit=True
    )
    for column, value in (("support", 6), ("ease_of_use", 0), ("recommend", 11)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Response.objects.filter(pk=saved.pk).update(**{column: value})


def test_the_database_refuses_a_second_response_for_the_same_doctor_product_campaign(survey):
    first = ResponseFactory(
        doctor=survey["doctor"], product=survey["products"]["visio"], campaign=survey["campaign"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseFactory(doctor=first.doctor, product=first.product, campaign=first.campaign)


def test_a_closed_campaign_refuses_edits(doctor_client, survey):
    campaign, doctor, product = survey["campaign"], survey["doctor"], survey["products"]["visio"]
    saved = save_response(
        doctor=doctor, product=product, campaign=campaign, answers={"support": 3}, submit=True
    )
    close_campaign(campaign=campaign, by=None)

    response = doctor_client.post(
        rate_url(campaign, product), answers(support=1, action="submit"), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("surveys:my_ratings")
    assert "Enquête de printemps" in str(list(response.context["messages"])[0])
    saved.refresh_from_db()
    assert saved.support == 3
    assert doctor_client.get(rate_url(campaign, product)).status_code == 302
    assert doctor_client.get(pick_url(campaign)).status_code == 302
    page = doctor_client.get(reverse("surveys:my_ratings")).content.decode()
    assert rate_url(campaign, product) not in page

    with pytest.raises(SurveyRefusal) as excinfo:
        save_response(doctor=doctor, product=product, campaign=campaign, answers={"support": 1}, submit=True)
    assert excinfo.value.code == "campaign_closed"


def test_a_campaign_past_its_closing_date_refuses_answers(survey):
    campaign = CampaignFactory(opens_on="2020-01-01", closes_on="2020-02-01", categories=[])
    with pytest.raises(SurveyRefusal):
        save_response(
            doctor=survey["doctor"],
            product=survey["products"]["visio"],
            campaign=campaign,
            answers={"support": 3},
        )


def test_a_tool_outside_the_campaign_cannot_be_rated(doctor_client, survey):
    campaign, product = survey["campaign"], survey["products"]["messa"]
    assert doctor_client.get(rate_url(campaign, product)).status_code == 404
    doctor_client.post(pick_url(campaign), {"shown": [product.pk], "product": [product.pk]})
    assert not Response.objects.exists()
    with pytest.raises(SurveyRefusal):
        save_response(doctor=survey["doctor"], product=product, campaign=campaign, answers={"support": 3})


@pytest.mark.parametrize(
    "overrides",
    [
        {"pending": True},
        {"email_confirmed_at": None},
        {"verification_status": "rejected", "rejection_reason": "x"},
    ],
)
def test_only_verified_doctors_with_a_confirmed_address_may_rate(client, survey, overrides):
    doctor = DoctorFactory(**overrides)
    client.force_login(doctor.user)
    for url in (pick_url(survey["campaign"]), rate_url(survey["campaign"], survey["products"]["visio"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("surveys:account")
    client.post(
        rate_url(survey["campaign"], survey["products"]["visio"]), answers(support=3, action="submit")
    )
    assert not Response.objects.exists()
    with pytest.raises(SurveyRefusal):
        save_response(
            doctor=doctor,
            product=survey["products"]["visio"],
            campaign=survey["campaign"],
            answers={"support": 3},
        )


def test_signed_in_users_without_a_doctor_profile_are_turned_away(client, survey):
    client.force_login(StaffFactory())
    assert client.get(pick_url(survey["campaign"]))["Location"] == reverse("surveys:account")
    assert client.get(reverse("surveys:my_ratings")).status_code == 200


def test_my_ratings_shows_status_and_comment_moderation(doctor_client, survey):
    doctor, campaign, products = survey["doctor"], survey["campaign"], survey["products"]
    moderator = StaffFactory()
    refused = save_response(
        doctor=doctor,
        product=products["agendoc"],
        campaign=campaign,
        answers={"support": 1},
        comment="Trop cher.",
        submit=True,
    )
    reject_comment(
        response=refused,
        moderator=moderator,
        reason_code="other",
        reason_text="Le commentaire cite un patient.",
    )
    published = save_response(
        doctor=doctor,
        product=products["visio"],
        campaign=campaign,
        answers={"support": 4},
        comment="Bien.",
        submit=True,
    )
    approve_comment(response=published, moderator=moderator)
    save_response(
        doctor=doctor,
        product=products["rdvplus"],
        campaign=campaign,
        answers={"support": 2},
        comment="À voir.",
    )

    response = doctor_client.get(reverse("surveys:my_ratings"))

    page = response.content.decode()
    rows = {row.product.slug: row for row in response.context["responses"]}
    assert set(rows) == {"agendoc", "visiosoin", "rdvplus"}
    assert "Le commentaire cite un patient." in page
    assert 'class="badge comment-rejected"' in page
    assert 'class="badge comment-approved"' in page
    assert rate_url(campaign, products["rdvplus"]) in page
    assert "Enquête de printemps" in page


def test_identity_never_appears_on_the_public_product_page(client, survey):
    doctor, product = survey["doctor"], survey["products"]["visio"]
    ResponseFactory(
        doctor=doctor,
        product=product,
        campaign=survey["campaign"],
        comment="Très bien.",
        comment_status="approved",
    )
    page = client.get(reverse("cms:product_detail", args=[product.slug])).content.decode()
    assert doctor.last_name not in page
    assert doctor.rpps not in page
    assert doctor.user.email not in page


def test_network_prefix_and_fingerprint():
    assert network_prefix("192.0.2.200") == "192.0.2.0/24"
    assert network_prefix("2001:db8:abcd:12::1") == "2001:db8:abcd::/48"
    assert network_prefix("::ffff:198.51.100.9") == "198.51.100.0/24"
    assert network_prefix("not an address") == ""
    assert len(browser_fingerprint("UA", "fr")) == 64
    assert browser_fingerprint("", "") == ""


# --- Campaigns: closure and their admin ----------------------------------------------------------------


@pytest.fixture
def signals_received():
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    scores_invalidated.connect(receiver)
    yield received
    scores_invalidated.disconnect(receiver)


def test_close_campaign_closes_and_sends_the_signal_once(survey, signals_received):
    campaign = survey["campaign"]
    close_campaign(campaign=campaign, by=None)
    close_campaign(campaign=campaign, by=None)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert signals_received == [
        (Campaign, {"signal": scores_invalidated, "reason": "campaign_closed", "campaign": campaign})
    ]


def test_campaign_admin_close_action_and_saving_as_closed_go_through_the_service(
    client, survey, signals_received
):
    client.force_login(StaffFactory())
    campaign = survey["campaign"]
    other = CampaignFactory(slug="automne", title="Enquête d'automne")

    list_url = reverse("wagtailsnippets_surveys_campaign:list")
    page = client.get(list_url).content.decode()
    assert reverse("wagtailsnippets_surveys_campaign:close", args=[campaign.pk]) in page
    agenda = campaign.categories.get(slug="agenda")
    page = client.get(list_url, {"categories": agenda.pk}).content.decode()
    assert "Enquête de printemps" in page and "Enquête d&#x27;automne" not in page

    response = client.post(reverse("wagtailsnippets_surveys_campaign:close", args=[campaign.pk]))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert [kwargs["campaign"] for _, kwargs in signals_received] == [campaign]
    page = client.get(list_url, {"status": "closed"}).content.decode()
    assert "Enquête de printemps" in page and "Enquête d&#x27;automne" not in page

    response = client.post(
        reverse("wagtailsnippets_surveys_campaign:edit", args=[other.pk]),
        {
            "title": other.title,
            "slug": other.slug,
            "opens_on": other.opens_on.isoformat(),
            "closes_on": other.closes_on.isoformat(),
            "status": "closed",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    other.refresh_from_db()
    assert other.status == Campaign.Status.CLOSED
    assert [kwargs["campaign"] for _, kwargs in signals_received] == [campaign, other]


def test_campaign_admin_is_for_analysts_not_doctors(client, survey):
    list_url = reverse("wagtailsnippets_surveys_campaign:list")
    close_url = reverse("wagtailsnippets_surveys_campaign:close", args=[survey["campaign"].pk])
    assert "/admin/login/" in client.get(list_url)["Location"]
    client.force_login(survey["doctor"].user)
    assert client.get(list_url).status_code in (302, 403)
    client.post(close_url)
    survey["campaign"].refresh_from_db()
    assert survey["campaign"].status == Campaign.Status.OPEN

    client.force_login(UserFactory(is_staff=True, groups=["analyst"]))
    assert client.get(list_url).status_code == 200
    assert client.post(close_url).status_code == 302
    survey["campaign"].refresh_from_db()
    assert survey["campaign"].status == Campaign.Status.CLOSED


def test_campaign_admin_forms_render(client, survey):
    client.force_login(StaffFactory())
    assert client.get(reverse("wagtailsnippets_surveys_campaign:add")).status_code == 200
    response = client.get(reverse("wagtailsnippets_surveys_campaign:edit", args=[survey["campaign"].pk]))
    assert response.status_code == 200
    assert 'type="checkbox" name="categories"' in response.content.decode()


def test_the_optional_questions_on_price_contract_and_switching_are_saved_and_shown_again(
    doctor_client, survey
):
    campaign, products = survey["campaign"], survey["products"]
    url = rate_url(campaign, products["agendoc"])
    form = doctor_client.get(url).content.decode()
    for name in ("practice_setting", "price_paid", "price_increased", "commitment_months",
                 "considering_switch", "previous_product", "previous_product_other"):  # fmt: skip
        assert f'name="{name}"' in form
    assert "<script" not in form.split("<main", 1)[1].split("</main>", 1)[0]  # no script needed
    posted = answers(
        ease_of_use=4, action="submit", practice_setting="group", price_paid="89.90", price_increased="yes",
        commitment_months="24", considering_switch="no", previous_product=str(products["rdvplus"].pk),
    )  # fmt: skip
    assert doctor_client.post(url, posted).status_code == 302
    saved = Response.objects.get(product=products["agendoc"])
    assert (saved.practice_setting, str(saved.price_paid), saved.price_increased) == ("group", "89.90", True)
    assert (saved.commitment_months, saved.considering_switch) == (24, False)
    assert (saved.previous_product, saved.previous_product_other) == (products["rdvplus"], "")
    again = doctor_client.get(url).content.decode()
    assert 'value="89.90"' in again and f'value="{products["rdvplus"].pk}" selected' in again
    # "Another tool": named in the text box, which is then required.
    other = {**posted, "previous_product": "other", "previous_product_other": ""}
    refused = doctor_client.post(url, other)
    assert refused.status_code == 200 and 'id="id_previous_product_other_error"' in refused.content.decode()
    doctor_client.post(url, {**other, "previous_product_other": "Vieux Logiciel 2.0"})
    saved.refresh_from_db()
    assert (saved.previous_product, saved.previous_product_other) == (None, "Vieux Logiciel 2.0")


@pytest.mark.parametrize(
    "field, value",
    [("price_paid", "-1"), ("price_paid", "abc"), ("price_paid", "100001"), ("commitment_months", "121"),
     ("price_increased", "peut-être"), ("practice_setting", "cabinet"), ("previous_product", "999999")],
)  # fmt: skip
def test_bad_answers_to_the_optional_questions_name_their_field(doctor_client, survey, field, value):
    url = rate_url(survey["campaign"], survey["products"]["agendoc"])
    answer = doctor_client.post(url, answers(ease_of_use=4, action="submit", **{field: value}))
    assert answer.status_code == 200 and f'id="id_{field}_error"' in answer.content.decode()
    assert not Response.objects.exists()
