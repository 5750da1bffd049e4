"""What readers see of the scores: intervals and sample sizes, badges, rankings, charts, small groups hidden."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from ratings.models import FACET_SLUGS, Facet
from tests.analytics import builders

pytestmark = pytest.mark.django_db


def facets(value, **overrides):
    return dict.fromkeys(FACET_SLUGS, value) | overrides


@pytest.fixture
def scored():
    crowd, few, tiny, *others = builders.catalogue(10, category="agenda", vendor="agendoc")
    camp = builders.campaign()
    # 400 doctors at 4.6 on average against 4 doctors at 4.9: the small one is insufficient.
    crowd_answers = [facets(5)] * 240 + [facets(4)] * 160
    builders.answer(builders.doctors(400), crowd, camp, crowd_answers)
    builders.answer(builders.doctors(4), tiny, camp, [facets(5)] * 3 + [facets(5, support=4)])
    # 10 doctors: limited; only 3 answered "support".
    builders.answer(
        builders.doctors(10), few, camp, [facets(3)] * 3 + [facets(4, support=None)] * 7, recommend=[10] * 10
    )
    for i, product in enumerate(others):
        builders.answer(builders.doctors(30), product, camp, facets(2 + i % 3))
    call_command("recompute_scores", stdout=io.StringIO())
    return {"crowd": crowd, "few": few, "tiny": tiny, "others": others}


def test_rankings_rank_only_ok_products_and_list_limited_ones_apart(client, scored):
    response = client.get(reverse("cms:rankings"))
    (section,) = response.context["sections"]
    ranked_products = [score.product for score in section.ranked]
    assert ranked_products[0] == scored["crowd"]
    assert scored["tiny"] not in ranked_products
    assert [score.product for score in section.limited] == [scored["few"]]
    ranks = [score.rank for score in section.ranked]
    assert ranks[0] == 1 and ranks == sorted(ranks)  # equal scores share a rank


def test_product_page_shows_interval_sample_size_and_charts(client, scored):
    response = client.get(reverse("cms:product_detail", args=[scored["crowd"].slug]))
    html = response.content.decode()
    score = response.context["score"]
    assert score.n_respondents == 400
    assert "400" in html and "n<sub>eff</sub>" in html
    assert [chart.id.split("-")[1] for chart in response.context["charts"]] == ["facets", "distribution"]
    assert "plotly/plotly-basic.min.js" in html
    facet_chart = response.context["charts"][0]
    assert {row["category"] for row in facet_chart.rows} == set(Facet.objects.values_list("name", flat=True))
    assert all(row["ci_low"] <= row["value"] <= row["ci_high"] for row in facet_chart.rows)


def test_insufficient_product_shows_no_score_and_no_chart(client, scored):
    response = client.get(reverse("cms:product_detail", args=[scored["tiny"].slug]))
    assert response.context["charts"] == []
    assert response.context["score"].status == "insufficient"
    assert "4,9" not in response.content.decode() and "4.9" not in response.content.decode()


def test_breakdowns_of_fewer_than_five_answers_are_hidden(client, scored):
    response = client.get(reverse("cms:product_detail", args=[scored["few"].slug]))
    charts = response.context["charts"]
    drawn = {row["category"] for chart in charts for row in chart.rows}
    assert "Assistance" not in drawn  # 3 answers on support
    row = next(f for f in response.context["facet_scores"] if f.facet == "support")
    assert row.n == 3
    assert "limited data" in response.content.decode() or "données limitées" in response.content.decode()


def test_compare_draws_the_chosen_tools(client, scored):
    slugs = [scored["crowd"].slug, scored["few"].slug]
    response = client.get(reverse("cms:compare"), {"p": slugs})
    chart = response.context["chart"]
    assert chart is not None
    assert {row["series"] for row in chart.rows} == {scored["crowd"].name, scored["few"].name}


def test_published_comments_show_newest_first_without_identity(client, scored):
    from surveys.models import Response

    responses = list(
        Response.objects.filter(product=scored["few"]).select_related("doctor").order_by("pk")[:3]
    )
    for i, (response, state) in enumerate(zip(responses, ["approved", "approved", "pending"], strict=True)):
        Response.objects.filter(pk=response.pk).update(
            comment=f"Commentaire numéro {i}", comment_status=state,
            submitted_at=response.submitted_at.replace(day=1 + i),
        )  # fmt: skip
    doctor = responses[0].doctor
    doctor.last_name = "Dupontel"
    doctor.save()
    html = client.get(reverse("cms:product_detail", args=[scored["few"].slug])).content.decode()
    assert html.index("Commentaire numéro 1") < html.index("Commentaire numéro 0")
    assert "Commentaire numéro 2" not in html  # still awaiting moderation
    assert "Dupontel" not in html and doctor.rpps not in html
    assert reverse("surveys:report_comment", args=[responses[0].pk]) in html


def test_a_comment_names_its_practice_group_only_when_five_doctors_of_that_group_answered(client):
    from surveys.models import Response

    (product,) = builders.catalogue(1)
    camp = builders.campaign()
    gps, specialists = builders.doctors(6), builders.doctors(2, specialty="cardiology")
    builders.answer(gps + specialists, product, camp, facets(4))
    call_command("recompute_scores", stdout=io.StringIO())
    for doctor, text in ((gps[0], "Avis de généraliste"), (specialists[0], "Avis de cardiologue")):
        Response.objects.filter(product=product, doctor=doctor).update(
            comment=text, comment_status="approved"
        )
    html = BeautifulSoup(client.get(product.get_absolute_url()).content, "html.parser")
    profiles = {
        c.find_all("p")[1].get_text(strip=True): " ".join(c.find("p", class_="muted").get_text(" ").split())
        for c in html.select("article.comment")
    }
    assert profiles["Avis de généraliste"].endswith("médecin généraliste")
    # 2 specialists: naming the group would point at one of two people.
    assert (
        profiles["Avis de cardiologue"].endswith("médecin")
        and "spécialiste" not in profiles["Avis de cardiologue"]
    )


def test_product_scored_over_two_campaigns_shows_its_trend(client):
    (product,) = builders.catalogue(1)
    spring = builders.campaign()
    autumn = builders.campaign("automne-2026", closes=builders.datetime.date(2026, 12, 15), status="open")
    builders.answer(builders.doctors(12), product, spring, [facets(3)] * 6 + [facets(4)] * 6)
    builders.answer(builders.doctors(12), product, autumn, [facets(4)] * 6 + [facets(5)] * 6)
    call_command("recompute_scores", "--all", stdout=io.StringIO())
    response = client.get(reverse("cms:product_detail", args=[product.slug]))
    assert response.status_code == 200
    trend = next(chart for chart in response.context["charts"] if chart.id.startswith("chart-trend"))
    assert [row["category"] for row in trend.rows] == [spring.title, autumn.title]
    assert trend.rows[0]["value"] < trend.rows[1]["value"]
    assert all(row["ci_low"] < row["value"] < row["ci_high"] for row in trend.rows)


def test_rankings_say_so_when_the_order_is_not_the_order_of_the_displayed_scores(client):
    small, *crowd = builders.catalogue(8, category="agenda", vendor="agendoc")
    camp = builders.campaign()
    # 22 doctors at 4.45 among products of 300 doctors at 4.60–4.68: shrinkage lifts the small sample
    # towards the category mean, above tools whose displayed score is higher.
    builders.answer(builders.doctors(22), small, camp, [facets(5)] * 16 + [facets(3)] * 6)
    for i, product in enumerate(crowd):
        builders.answer(
            builders.doctors(300), product, camp, [facets(5)] * (180 + 5 * i) + [facets(4)] * (120 - 5 * i)
        )
    call_command("recompute_scores", stdout=io.StringIO())
    response = client.get(reverse("cms:rankings"))
    (section,) = response.context["sections"]
    shown = [row.display_score for row in section.ranked]
    assert shown != sorted(shown, reverse=True) and section.order_differs
    assert "Classement selon la note ajustée à la taille de l" in response.content.decode()


def test_rankings_add_no_note_when_the_order_is_the_displayed_one(client, scored):
    response = client.get(reverse("cms:rankings"))
    (section,) = response.context["sections"]
    shown = [row.display_score for row in section.ranked]
    assert shown == sorted(shown, reverse=True) and not section.order_differs
    assert "adjusted for sample size" not in response.content.decode()


def test_a_product_weighted_on_fewer_strata_says_so_on_its_page(client):
    reachable, sparse = builders.reachable_and_unreachable_margins()
    call_command("recompute_scores", stdout=io.StringIO())
    badge = "pondération simplifiée : groupe d&#x27;exercice seulement"
    assert badge in client.get(sparse.get_absolute_url()).content.decode()
    assert "pondération simplifiée" not in client.get(reachable.get_absolute_url()).content.decode()
