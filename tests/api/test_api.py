"""The public API: the export's numbers, the small-group rule, errors, conditional GETs, CORS and throttling."""

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analytics.export import COLUMNS
from ratings.models import FACET_SLUGS, Product
from tests.analytics import builders

pytestmark = pytest.mark.django_db

SMALL_FACET = FACET_SLUGS[-1]


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response


def test_the_api_numbers_are_the_export_numbers_for_every_demo_product(client, monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "api-admin-password")
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("export_scores", "--format", "json", stdout=out)
    exported = {row["product"]: row for row in json.loads(out.getvalue())}
    listed = set(Product.objects.listed().values_list("slug", flat=True))
    answer = get(client, reverse("api:product-list") + "?page_size=200").json()
    assert answer["count"] == len(listed) and {p["product"] for p in answer["results"]} == listed
    for product in answer["results"]:
        row = exported[product["product"]]
        for column in COLUMNS:
            value = product[column]
            expected = row[column]
            if isinstance(value, float):
                assert round(value, 6) == pytest.approx(expected, abs=1e-12), (product["product"], column)
            else:
                assert value == expected, (product["product"], column)
        detail = get(client, reverse("api:product-detail", args=[product["product"]])).json()
        assert detail == product
        facets = get(client, reverse("api:product-facets", args=[product["product"]])).json()
        for facet in facets:
            assert facet["score"] == product[f"{facet['facet']}_score"]
            assert facet["n"] == product[f"{facet['facet']}_n"]


@pytest.fixture
def world():
    big, thin = builders.catalogue(2, vendor="agendoc", category="agenda")
    rival = builders.catalogue(1, vendor="rdvsante", category="agenda")[0]
    camp = builders.campaign()
    answers = dict.fromkeys(FACET_SLUGS, 4)
    rows = builders.answer(builders.doctors(30), big, camp, {**answers, SMALL_FACET: None})
    builders.answer(builders.doctors(3), big, camp, answers)  # three doctors answered SMALL_FACET
    builders.answer(builders.doctors(25), rival, camp, dict.fromkeys(FACET_SLUGS, 3))
    builders.answer(builders.doctors(3), thin, camp, dict.fromkeys(FACET_SLUGS, 5))
    call_command("recompute_scores", stdout=io.StringIO())
    return {"big": big, "thin": thin, "rival": rival, "campaign": camp, "rows": rows}


def test_no_figure_of_a_group_under_five_in_any_answer(client, world):
    thin = get(client, reverse("api:product-detail", args=[world["thin"].slug])).json()
    assert thin["status"] == "insufficient"
    figures = {
        k: v for k, v in thin.items() if k.endswith(("_score", "_ci_low", "_ci_high", "_pct", "_effective"))
    }
    assert set(figures.values()) == {None}
    facets = get(client, reverse("api:product-facets", args=[world["thin"].slug])).json()
    assert {(f["score"], f["ci_low"], f["ci_high"]) for f in facets} == {(None, None, None)}
    big = get(client, reverse("api:product-detail", args=[world["big"].slug])).json()
    assert big[f"{SMALL_FACET}_n"] == 3 and big[f"{SMALL_FACET}_score"] is None
    assert big[f"{SMALL_FACET}_ci_low"] is None and big[f"{SMALL_FACET}_ci_high"] is None
    ranking = get(client, reverse("api:ranking-detail", args=["agenda"])).json()
    assert world["thin"].slug not in {r["product"] for r in ranking["ranked"] + ranking["limited"]}
    listing = get(client, reverse("api:product-list")).json()["results"]
    assert next(p for p in listing if p["product"] == world["thin"].slug)["doctor_score"] is None


def test_unknown_slugs_answer_404_and_bad_filters_400_each_saying_why(client, world):
    for name in ("api:product-detail", "api:product-facets", "api:vendor-detail", "api:category-detail",
                 "api:ranking-detail", "api:campaign-detail"):  # fmt: skip
        response = get(client, reverse(name, args=["no-such-thing"]))
        assert response.status_code == 404
        assert "no-such-thing" in response.json()["detail"], name
    unknown = get(client, "/api/v1/nowhere/")
    assert unknown.status_code == 404 and "/api/v1/docs/" in unknown.json()["detail"]
    for parameter, value in (("category", "zzz"), ("max_price", "abc"), ("available_24_7", "perhaps"),
                             ("pricing_model", "free-beer")):  # fmt: skip
        response = get(client, reverse("api:product-list"), **{"QUERY_STRING": f"{parameter}={value}"})
        assert response.status_code == 400, parameter
        assert list(response.json()) == [parameter]
    assert get(client, reverse("api:product-list") + "?page=99").status_code == 404


def test_filters_are_the_catalogues(client, world):
    agenda = get(client, reverse("api:product-list") + "?vendor=agendoc").json()
    assert {p["product"] for p in agenda["results"]} == {world["big"].slug, world["thin"].slug}
    paged = get(client, reverse("api:product-list") + "?page_size=2").json()
    assert paged["count"] == 3 and len(paged["results"]) == 2 and "page=2" in paged["next"]


def test_conditional_gets_follow_the_snapshot(client, world):
    url = reverse("api:product-list")
    first = get(client, url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(url + "?page_size=1", HTTP_IF_NONE_MATCH=etag).status_code == 200
    builders.answer(builders.doctors(10), world["rival"], world["campaign"], dict.fromkeys(FACET_SLUGS, 1))
    call_command("recompute_scores", stdout=io.StringIO())
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_cors_is_open_for_get_only_and_never_with_credentials(client, world):
    response = get(client, reverse("api:product-list"), HTTP_ORIGIN="https://notebook.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        reverse("api:product-list"),
        HTTP_ORIGIN="https://notebook.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://notebook.example")
    assert client.post(reverse("api:product-list"), {}).status_code == 405


def test_anonymous_clients_are_throttled(client, world, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    codes = [client.get(reverse("api:category-list")).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert "detail" in client.get(reverse("api:category-list")).json()


def count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_queries_per_request_do_not_grow_with_products_or_responses(client, world):
    urls = [reverse("api:product-list"), reverse("api:product-detail", args=[world["big"].slug]),
            reverse("api:product-facets", args=[world["big"].slug]), reverse("api:ranking-list")]  # fmt: skip
    before = [count(client, url) for url in urls]
    camp = world["campaign"]
    for product in builders.catalogue(12, vendor="visio", category="agenda"):
        builders.answer(builders.doctors(25), product, camp, dict.fromkeys(FACET_SLUGS, 4))
    builders.answer(builders.doctors(40), world["big"], camp, dict.fromkeys(FACET_SLUGS, 2))
    call_command("recompute_scores", stdout=io.StringIO())
    after = [count(client, url) for url in urls]
    assert after == before, (before, after)
    assert before[0] <= 10 and before[1] <= 10


def test_the_schema_and_its_docs_are_served_from_the_site(client):
    schema = client.get(reverse("api:schema") + "?format=json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert set(paths) >= {"/api/v1/products/", "/api/v1/products/{slug}/", "/api/v1/products/{slug}/facets/",
                          "/api/v1/rankings/{slug}/", "/api/v1/campaigns/", "/api/v1/vendors/"}  # fmt: skip
    assert all(p.startswith("/api/v1/") for p in paths)
    parameters = {p["name"] for p in paths["/api/v1/products/"]["get"]["parameters"]}
    assert {"category", "vendor", "q", "page", "page_size"} <= parameters
    docs = client.get(reverse("api:docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()


def test_a_campaigns_open_data_manifest_links_its_files(client, world, settings, tmp_path):
    from analytics import open_data, published

    settings.OPEN_DATA_ROOT = tmp_path
    slug = world["campaign"].slug
    assert get(client, reverse("api:campaign-open-data", args=[slug])).status_code == 404
    open_data.write_campaign(published.snapshot_for_campaign(world["campaign"]), tmp_path)
    manifest = get(client, reverse("api:campaign-open-data", args=[slug])).json()
    on_disk = open_data.read_manifest(tmp_path, slug)
    assert [(f["name"], f["sha256"]) for f in manifest["files"]] == [
        (f["name"], f["sha256"]) for f in on_disk["files"]
    ]
    for entry in manifest["files"]:
        download = client.get(entry["url"].removeprefix("http://testserver"))
        assert download.status_code == 200 and download["Access-Control-Allow-Origin"] == "*"
    assert manifest["licence"] == "Licence Ouverte / Open Licence 2.0"


def test_names_are_the_french_originals_whatever_the_language_asked(client):
    from ratings.models import Category

    Category.objects.create(
        slug="teleconsultation-i18n", name_fr="Téléconsultation", name_en="Teleconsultation"
    )
    url = "/api/v1/categories/teleconsultation-i18n/"
    french, english = client.get(url), client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert french.json()["name"] == english.json()["name"] == "Téléconsultation"
    assert french["ETag"] == english["ETag"]
