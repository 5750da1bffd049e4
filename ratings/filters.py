"""Filters for the catalogue: the public product list and the admin listing."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from .models import Category, PricingModel, Product, Vendor


class ProductAdminFilterSet(WagtailFilterSet):
    class Meta:
        model = Product
        fields = ["category", "vendor", "pricing_model", "is_listed", "certified_hds", "certified_segur"]


class VendorAdminFilterSet(WagtailFilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Category of its products"),
        field_name="products__category",
        queryset=Category.objects.all(),
        distinct=True,
    )

    class Meta:
        model = Vendor
        fields = []


class ProductFilterSet(django_filters.FilterSet):
    """What a reader filters the catalogue on (DOMAIN.md's product attributes)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label=_("All categories"),
    )
    vendor = django_filters.ModelChoiceFilter(
        label=_("Vendor"), queryset=Vendor.objects.all(), to_field_name="slug", empty_label=_("All vendors")
    )
    pricing_model = django_filters.ChoiceFilter(label=_("Pricing model"), choices=PricingModel.choices)
    max_price = django_filters.NumberFilter(
        label=_("Maximum price (€)"), field_name="price", lookup_expr="lte"
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"),
        method="filter_channel",
        choices=[
            ("video", _("video")),
            ("phone", _("phone")),
            ("chat", _("chat")),
            ("messaging", _("messaging")),
        ],
    )
    available_24_7 = django_filters.BooleanFilter(
        label=_("Available 24/7"), widget=django_filters.widgets.BooleanWidget
    )
    certified_hds = django_filters.BooleanFilter(
        label=_("HDS hosting"), widget=django_filters.widgets.BooleanWidget
    )
    certified_segur = django_filters.BooleanFilter(
        label=_("Ségur referencing"), widget=django_filters.widgets.BooleanWidget
    )
    hosted_in_eu = django_filters.BooleanFilter(
        label=_("Data hosted in the EU"), widget=django_filters.widgets.BooleanWidget
    )
    interop_mssante = django_filters.BooleanFilter(
        label=_("MSSanté"), widget=django_filters.widgets.BooleanWidget
    )
    interop_dmp = django_filters.BooleanFilter(label=_("DMP"), widget=django_filters.widgets.BooleanWidget)

    class Meta:
        model = Product
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(vendor__name__icontains=value))

    def filter_channel(self, queryset, name, value):
        return queryset.filter(**{f"channel_{value}": True}) if value else queryset
