"""The public catalogue's filters and sort orders: ratings' product filters plus the published scores.

The view annotates the products with their figures in the current snapshot (analytics.published.with_scores)
before filtering, so the minimum score, minimum respondents, status and every sort run in the database.
"""

import django_filters
from django.db.models import Case, Count, F, IntegerField, Max, Subquery, Sum, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from analytics.models import Status
from ratings.filters import ProductFilterSet
from ratings.models import Category, Product, Vendor

PER_PAGE = 24
# Ranked tools first, then limited, then the others; within each, the order the reader asked for.
_STATUS_ORDER = Case(
    When(score_status=Status.OK, then=Value(0)),
    When(score_status=Status.LIMITED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
SORTS = {
    "ranked": (_("ranked score"), [_STATUS_ORDER, F("score_ranked").desc(nulls_last=True), Lower("name")]),
    "score": (_("score"), [F("score_shown").desc(nulls_last=True), Lower("name")]),
    "respondents": (_("respondents"), [F("score_n").desc(nulls_last=True), Lower("name")]),
    "price_paid": (
        _("median price paid, lowest first"),
        [F("score_price").asc(nulls_last=True), Lower("name")],
    ),
    "name": (_("name"), [Lower("name"), "pk"]),
    "newest": (_("newest"), [F("created_at").desc(), "pk"]),
}
DEFAULT_SORT = "ranked"


class CatalogueFilterSet(ProductFilterSet):
    min_score = django_filters.NumberFilter(
        label=_("Minimum score (1–5)"), field_name="score_shown", lookup_expr="gte", min_value=1, max_value=5
    )
    min_respondents = django_filters.NumberFilter(
        label=_("Minimum respondents"), field_name="score_n", lookup_expr="gte", min_value=0, max_value=10**6
    )
    max_price_paid = django_filters.NumberFilter(
        label=_("Median price paid at most (€ per month)"),
        field_name="score_price",
        lookup_expr="lte",
        min_value=0,
        max_value=10_000,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="score_status",
        choices=Status.choices,
        empty_label=pgettext_lazy("yes/no filter", "any"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        method="sort_by",
        empty_label=None,
    )

    def sort_by(self, queryset, name, value):
        return queryset  # applied last, in `qs`, so that it also holds when no sort is asked for

    @property
    def qs(self):
        queryset = super().qs
        chosen = self.form.cleaned_data.get("sort") if self.is_bound and self.form.is_valid() else None
        return queryset.order_by(*SORTS[chosen or DEFAULT_SORT][1])

    @property
    def is_filtering(self):
        """True when the reader narrowed the list (a sort alone does not count)."""
        return self.is_bound and any(
            value not in (None, "", [])
            for key, value in (self.form.cleaned_data if self.form.is_valid() else self.data).items()
            if key not in ("sort", "page")
        )


def catalogue_version():
    """Return a short string that changes whenever what the listings print of the catalogue may change.

    One query: how many products are listed, which (the sum of their keys), and the latest edit of a
    product, vendor or category. Pages that cache a rendered listing under the snapshot's version add this,
    so a tool listed, unlisted, renamed or moved shows at once.
    """
    latest = {
        name: Subquery(model.objects.order_by("-updated_at").values("updated_at")[:1])
        for name, model in (("vendor", Vendor), ("category", Category))
    }
    row = Product.objects.listed().aggregate(
        n=Count("pk"),
        keys=Sum("pk"),
        edited=Max("updated_at"),
        **{f"{k}_edited": Max(v) for k, v in latest.items()},
    )
    return "-".join(str(getattr(row[key], "timestamp", lambda v=row[key]: v)()) for key in sorted(row))
