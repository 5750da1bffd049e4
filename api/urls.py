"""/api/v1/: the resources, the OpenAPI schema and its interactive docs (served from the site's static files)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("categories", views.CategoryViewSet, basename="category")
router.register("vendors", views.VendorViewSet, basename="vendor")
router.register("products", views.ProductViewSet, basename="product")
router.register("rankings", views.RankingViewSet, basename="ranking")
router.register("campaigns", views.CampaignViewSet, basename="campaign")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", views.unknown_endpoint, name="unknown"),
]
