"""The public API (FORMATS.md "Public API"): read-only JSON over the published scores and the catalogue.

Every number comes from `analytics.published` through the scores export's rows (`analytics.export`), so the
API, the export and the pages agree; small groups are already empty there (METHODOLOGY §9).
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from analytics import open_data, published
from analytics.core.constants import PROFILE_DIMENSIONS
from analytics.export import SHARE_DETAIL_COLUMNS, product_rows
from analytics.published.subgroups import subgroup_rows
from ratings.models import FACET_SLUGS, Category, Facet, Product, Vendor
from surveys.models import Campaign

from . import serializers as s
from .conditional import not_modified, set_validators, validators
from .filters import ApiProductFilterSet

SLUG = r"[-a-zA-Z0-9_]+"
NOT_FOUND = OpenApiResponse(s.ErrorSerializer, description="Unknown slug or page: the body says which.")
BAD_FILTER = OpenApiResponse(
    OpenApiTypes.OBJECT, description="A filter value is not valid: the body names the parameter and why."
)
NOT_MODIFIED = OpenApiResponse(description="The client's copy (If-None-Match, If-Modified-Since) is current.")
THROTTLED = OpenApiResponse(
    s.ErrorSerializer, description="Too many requests from this address; wait and retry."
)


def responses(ok, *, not_found=True, bad_filter=False):
    """The answers an operation may give: `ok`, and those every resource shares."""
    answers = {200: ok, 304: NOT_MODIFIED, 429: THROTTLED}
    if not_found:
        answers[404] = NOT_FOUND
    if bad_filter:
        answers[400] = BAD_FILTER
    return answers


class NotModified(Exception):
    """The client's copy is current (raised before any work, answered 304)."""


class PublishedViewSet(viewsets.GenericViewSet):
    """A read-only resource whose answers carry ETag and Last-Modified from the snapshot and the catalogue."""

    lookup_field = "slug"
    lookup_value_regex = SLUG
    not_found = "Unknown resource %(slug)r."

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.snapshot = published.current_snapshot()  # one read per request, shared by the validators
        self.validators = validators(request, self.snapshot)
        if request.method in ("GET", "HEAD") and not_modified(request, *self.validators):
            raise NotModified

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            return Response(status=304)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "validators", None) and response.status_code in (200, 304):
            set_validators(response, *self.validators)
        return response

    def get_by_slug(self, queryset, slug):
        try:
            return get_object_or_404(queryset, slug=slug)
        except Http404:
            raise Http404(_(self.not_found) % {"slug": slug}) from None

    def absolute(self, path):
        return self.request.build_absolute_uri(path)


@extend_schema_view(
    list=extend_schema(summary="Categories of tools", responses=responses(s.CategorySerializer(many=True))),
    retrieve=extend_schema(summary="One category", responses=responses(s.CategorySerializer)),
)
class CategoryViewSet(PublishedViewSet):
    serializer_class = s.CategorySerializer
    queryset = Category.objects.order_by("sort_order", "name")
    not_found = "Unknown category %(slug)r."

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.CategorySerializer(page, many=True).data)

    def retrieve(self, request, slug):
        return Response(s.CategorySerializer(self.get_by_slug(self.get_queryset(), slug)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Vendors with listed tools", responses=responses(s.VendorSerializer(many=True))
    ),
    retrieve=extend_schema(summary="One vendor", responses=responses(s.VendorSerializer)),
)
class VendorViewSet(PublishedViewSet):
    serializer_class = s.VendorSerializer
    queryset = Vendor.objects.filter(products__is_listed=True).distinct().order_by("name", "slug")
    not_found = "Unknown vendor %(slug)r."

    def vendor(self, vendor):
        return {
            "slug": vendor.slug,
            "name": vendor.name,
            "website": vendor.website,
            "url": self.absolute(reverse("cms:vendor_detail", args=[vendor.slug])),
        }

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.VendorSerializer([self.vendor(v) for v in page], many=True).data)

    def retrieve(self, request, slug):
        vendor = self.get_by_slug(self.get_queryset(), slug)
        return Response(s.VendorSerializer(self.vendor(vendor)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Listed tools with their latest published scores",
        description="Filters are those of the site's catalogue. Field names and values are those of the scores export.",
        responses=responses(s.ProductSerializer(many=True), bad_filter=True),
    ),
    retrieve=extend_schema(
        summary="One tool with its latest published scores",
        responses=responses(s.ProductSerializer),
    ),
)
class ProductViewSet(PublishedViewSet):
    serializer_class = s.ProductSerializer
    queryset = Product.objects.listed().select_related("vendor", "category").order_by("slug")
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiProductFilterSet
    not_found = "Unknown product %(slug)r."

    def products(self, products):
        snapshot = self.snapshot
        rows = product_rows(snapshot, products, SHARE_DETAIL_COLUMNS)
        return [
            {
                **row,
                "name": product.name,
                "url": self.absolute(product.get_absolute_url()),
                "campaign": snapshot.campaign.slug if snapshot else None,
                "methodology_version": snapshot.methodology.version if snapshot else None,
            }
            for product, row in zip(products, rows, strict=True)
        ]

    # The rows are the export's, already plain JSON values under the serializer's names (the schema
    # and the schemathesis test hold them to it): they are sent as they are, which halves a page's time.
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.products(page))

    def retrieve(self, request, slug):
        product = self.get_by_slug(self.get_queryset(), slug)
        return Response(self.products([product])[0])

    @extend_schema(
        summary="A tool's facet scores",
        responses=responses(s.FacetSerializer(many=True)),
        filters=False,
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def facets(self, request, slug):
        product = self.get_by_slug(self.get_queryset(), slug)
        row = self.products([product])[0]
        names = dict(Facet.objects.values_list("slug", "name"))
        data = [
            {
                "facet": facet,
                "name": names.get(facet, facet),
                "score": row[f"{facet}_score"],
                "ci_low": row[f"{facet}_ci_low"],
                "ci_high": row[f"{facet}_ci_high"],
                "n": row[f"{facet}_n"],
            }
            for facet in FACET_SLUGS
        ]
        return Response(s.FacetSerializer(data, many=True).data)

    @extend_schema(
        summary="A tool's scores within subgroups of doctors (a doctor like me)",
        description=(
            "One row per profile dimension × level × measure, from 5 respondents of the subgroup; "
            "a subgroup with fewer has no row. `dimension` narrows to one dimension."
        ),
        parameters=[OpenApiParameter("dimension", str, enum=[*PROFILE_DIMENSIONS])],
        responses=responses(s.SubgroupSerializer(many=True), bad_filter=True),
        filters=False,
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def subgroups(self, request, slug):
        product = self.get_by_slug(self.get_queryset(), slug)
        dimension = request.query_params.get("dimension")
        if dimension is not None and dimension not in PROFILE_DIMENSIONS:
            raise ValidationError({"dimension": [f"Choose one of {', '.join(PROFILE_DIMENSIONS)}."]})
        rows = [
            row
            for row in subgroup_rows(self.snapshot, [product])
            if dimension is None or row.dimension == dimension
        ]
        return Response(s.SubgroupSerializer(rows, many=True).data)


def _ranked(row):
    return {
        "product": row.product.slug,
        "name": row.product.name,
        "rank": row.rank,
        "rank_low": row.rank_low,
        "rank_high": row.rank_high,
        "p_top3": row.p_top3,
        "tied_first": row.tied_first,
        "ranked_score": row.ranked_score,
        "global_score": row.global_score,
        "global_ci_low": row.global_ci_low,
        "global_ci_high": row.global_ci_high,
        "n_respondents": row.n_respondents,
        "status": row.status,
    }


@extend_schema_view(
    list=extend_schema(
        summary="The ranking of every category (METHODOLOGY §6)",
        responses=responses(s.RankingSerializer(many=True), not_found=False),
    ),
    retrieve=extend_schema(summary="One category's ranking", responses=responses(s.RankingSerializer)),
)
class RankingViewSet(PublishedViewSet):
    serializer_class = s.RankingSerializer
    queryset = Category.objects.order_by("sort_order", "name")
    pagination_class = None
    not_found = "Unknown category %(slug)r."

    def rankings(self, category=None):
        snapshot = self.snapshot
        products = Product.objects.listed().select_related("vendor", "category")
        if category is not None:
            products = products.filter(category=category)
        return [
            {
                "category": entry.category.slug,
                "name": entry.category.name,
                "campaign": snapshot.campaign.slug,
                "order_differs": entry.order_differs,
                "ranked": [_ranked(r) for r in entry.ranked],
                "limited": [_ranked(r) for r in entry.limited],
            }
            for entry in published.rankings(snapshot, products)
        ]

    def list(self, request):
        return Response(s.RankingSerializer(self.rankings(), many=True).data)

    def retrieve(self, request, slug):
        category = self.get_by_slug(self.get_queryset(), slug)
        found = self.rankings(category)
        if not found:
            raise Http404(_("No product of the category %(slug)r is ranked yet.") % {"slug": slug})
        return Response(s.RankingSerializer(found[0]).data)


@extend_schema_view(
    list=extend_schema(
        summary="Campaigns with published scores", responses=responses(s.CampaignSerializer(many=True))
    ),
    retrieve=extend_schema(summary="One campaign", responses=responses(s.CampaignSerializer)),
)
class CampaignViewSet(PublishedViewSet):
    serializer_class = s.CampaignSerializer
    queryset = Campaign.objects.all()
    pagination_class = None
    not_found = "Unknown campaign %(slug)r."

    def campaigns(self):
        return [
            {
                "slug": snapshot.campaign.slug,
                "title": snapshot.campaign.title,
                "opens_on": snapshot.campaign.opens_on,
                "closes_on": snapshot.campaign.closes_on,
                "methodology_version": snapshot.methodology.version,
                "computed_at": snapshot.computed_at,
            }
            for snapshot in published.campaign_snapshots()
        ]

    def list(self, request):
        return Response(s.CampaignSerializer(self.campaigns(), many=True).data)

    def retrieve(self, request, slug):
        for campaign in self.campaigns():
            if campaign["slug"] == slug:
                return Response(s.CampaignSerializer(campaign).data)
        raise Http404(_(self.not_found) % {"slug": slug})

    @extend_schema(summary="A campaign's open-data manifest", responses=responses(s.ManifestSerializer))
    @action(detail=True, url_path="open-data", pagination_class=None)
    def open_data(self, request, slug):
        manifest = open_data.read_manifest(settings.OPEN_DATA_ROOT, slug)
        if manifest is None:
            raise Http404(_("No open data for the campaign %(slug)r.") % {"slug": slug})
        manifest["files"] = [
            {**f, "url": self.absolute(reverse("cms:open_data_file", args=[slug, f["name"]]))}
            for f in manifest["files"]
        ]
        return Response(s.ManifestSerializer(manifest).data)


def unknown_endpoint(request):
    """Any other path under /api/: a JSON 404 that points to the documentation."""
    from django.http import JsonResponse

    return JsonResponse(
        {
            "detail": _("Unknown API endpoint; the endpoints are listed at %(docs)s.")
            % {"docs": reverse("api:docs")}
        },
        status=404,
    )
