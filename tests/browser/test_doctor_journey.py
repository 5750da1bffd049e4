"""A doctor's path in a real browser: sign up, confirm, get verified, rate two tools, find them again."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from surveys.models import Doctor, Response
from tests.factories import (
    PASSWORD,
    CampaignFactory,
    CategoryFactory,
    DirectoryEntryFactory,
    ProductFactory,
    valid_rpps,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_doctor_signs_up_is_verified_and_rates_two_tools(live_page, live_server):
    page = live_page
    from playwright.sync_api import expect

    rpps = valid_rpps(4242)
    DirectoryEntryFactory(rpps=rpps, last_name="Dupré", first_name="Hélène")
    category = CategoryFactory(name="Agenda en ligne", slug="agenda")
    first = ProductFactory(name="Agendoc", slug="agendoc", category=category)
    second = ProductFactory(name="RdvPlus", slug="rdvplus", category=category)
    campaign = CampaignFactory(slug="printemps", title="Enquête de printemps", categories=[category])
    url = live_server.url

    # Sign up.
    page.goto(url + reverse("surveys:signup"))
    page.fill("#id_email", "helene.dupre@exemple.fr")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_rpps", rpps)
    page.fill("#id_last_name", "DUPRE")
    page.fill("#id_first_name", "Hélène")
    page.select_option("#id_specialty", "general_practice")
    page.select_option("#id_region", "53")
    page.check("#id_certify")
    page.check("#id_accept_charter")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(url + reverse("surveys:account"))
    doctor = Doctor.objects.get(rpps=rpps)
    assert doctor.verification_status == Doctor.Status.PENDING

    # Confirm the address with the link of the e-mail: the directory verifies the doctor.
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/compte/confirmation/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.wait_for_url(url + reverse("surveys:account"))
    expect(page.locator(".badge-ok")).to_be_visible()
    doctor.refresh_from_db()
    assert (doctor.verification_status, doctor.verified_by) == ("verified", "directory")

    # Pick the two tools, without any script.
    page.goto(url + reverse("surveys:survey"))
    page.wait_for_url(url + reverse("surveys:campaign", args=[campaign.slug]))
    page.click(f"a[href='{reverse('surveys:pick_tools', args=[campaign.slug])}']")
    page.check(f"#product-{first.pk}")
    page.check(f"#product-{second.pk}")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(url + reverse("surveys:campaign", args=[campaign.slug]))
    expect(page.locator("progress")).to_have_attribute("max", "2")

    # First tool: a draft.
    page.click(f"a[href='{reverse('surveys:rate_tool', args=[campaign.slug, first.slug])}']")
    page.check("#id_ease_of_use_3")  # 4 — good
    page.check("#id_reliability_1")  # 2 — poor
    page.fill("#id_comment", "Pratique, mais lent le lundi matin.")
    page.click("button[name=action][value=draft]")
    expect(page.locator(".message-success")).to_be_visible()
    assert Response.objects.get(product=first).status == Response.Status.DRAFT

    # Second tool: submitted at once; an empty submission is refused first, with the error by the field.
    page.goto(url + reverse("surveys:rate_tool", args=[campaign.slug, second.slug]))
    page.click("button[name=action][value=submit]")
    expect(page.locator("[role=alert]")).to_be_visible()
    expect(page.locator("#id_ease_of_use_error")).to_be_visible()
    page.check("#id_features_4")  # 5 — excellent
    page.check("#id_support_5")  # not applicable
    page.check("#id_recommend_9")
    page.click("button[name=action][value=submit]")
    # The next tool still to rate opens, with the draft's answers kept.
    page.wait_for_url(url + reverse("surveys:rate_tool", args=[campaign.slug, first.slug]))
    expect(page.locator("#id_ease_of_use_3")).to_be_checked()
    expect(page.locator("#id_comment")).to_have_value("Pratique, mais lent le lundi matin.")
    expect(page.locator("progress")).to_have_attribute("value", "1")
    page.click("button[name=action][value=submit]")
    page.wait_for_url(url + reverse("surveys:campaign", args=[campaign.slug]))
    expect(page.locator("progress")).to_have_attribute("value", "2")

    # Both are under "my ratings", the comment awaiting moderation.
    page.goto(url + reverse("surveys:my_ratings"))
    table = page.locator("table.my-ratings")
    expect(table).to_contain_text("Agendoc")
    expect(table).to_contain_text("RdvPlus")
    expect(table.locator(".comment-pending")).to_have_count(1)
    assert set(Response.objects.values_list("product__slug", "status")) == {
        ("agendoc", "submitted"),
        ("rdvplus", "submitted"),
    }
    saved = Response.objects.get(product=second)
    assert (saved.features, saved.support, saved.recommend) == (5, None, 9)
