"""Filters for the catalogue: the public product list and the admin listing."""

import unicodedata

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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


def fold(text):
    """Return `text` without accents and case ("Télé" and "tele" fold alike), for searching."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


class YesNoAnyWidget(django_filters.widgets.BooleanWidget):
    """A yes/no filter that starts on "any" (not "unknown"): an empty choice filters nothing."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", pgettext_lazy("yes/no filter", "any")), ("true", _("yes")), ("false", _("no")))


def yes_no(label):
    return django_filters.BooleanFilter(label=label, widget=YesNoAnyWidget)


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
    available_24_7 = yes_no(_("Available 24/7"))
    certified_hds = yes_no(_("HDS hosting"))
    certified_segur = yes_no(_("Ségur referencing"))
    hosted_in_eu = yes_no(_("Data hosted in the EU"))
    interop_mssante = yes_no(_("MSSanté"))
    interop_dmp = yes_no(_("DMP"))

    class Meta:
        model = Product
        fields = []

    def search(self, queryset, name, value):
        """Products whose name or vendor's name holds `value`, ignoring accents and case on every database.

        The names are folded in Python: one query over the names, whatever the catalogue's size (a few
        thousand tools at most), where SQLite has no unaccent.
        """
        needle = fold(value.strip())
        if not needle:
            return queryset
        matches = [
            pk
            for pk, product, vendor in queryset.values_list("pk", "name", "vendor__name")
            if needle in fold(product) or needle in fold(vendor)
        ]
        return queryset.filter(pk__in=matches)

    def filter_channel(self, queryset, name, value):
        return queryset.filter(**{f"channel_{value}": True}) if value else queryset
