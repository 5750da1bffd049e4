import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from cms.models import ArticlePage, ExpertReviewPage, HomePage
from ratings.models import Category, Methodology, Product, Vendor

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "ratings", "surveys", "analytics", "cms")


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
    }


def test_seed_demo_populates_the_site_and_running_it_twice_changes_nothing(monkeypatch, capsys):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "demo-admin-password")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "admin@observatoire.invalid / demo-admin-password" in out

    assert Category.objects.count() >= 6
    assert Vendor.objects.count() >= 12
    assert Product.objects.count() >= 25
    assert Methodology.objects.filter(version=1).exists()
    assert HomePage.objects.live().count() == 2  # the French original and its English translation
    assert ExpertReviewPage.objects.live().count() >= 3
    assert ArticlePage.objects.live().count() >= 3
    assert get_user_model().objects.get(email="admin@observatoire.invalid").is_superuser

    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first

    client = Client(HTTP_HOST="localhost")
    home = client.get("/")
    assert home.status_code == 200
    assert "Observatoire" in home.content.decode()
    assert client.get("/outils/").status_code == 200
