"""The catalogue's filters (ratings.filters.ProductFilterSet), with yes/no filters that refuse other values.

On the site a yes/no filter with an unexpected value filters nothing (the form starts on "any"); a data
client that sends `hds=perhaps` must learn it, so the API answers 400 naming the parameter.
"""

import django_filters

from ratings.filters import ProductFilterSet


class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


def _strict_booleans():
    return {
        name: StrictBooleanFilter(field_name=f.field_name, label=f.label)
        for name, f in ProductFilterSet.base_filters.items()
        if isinstance(f, django_filters.BooleanFilter)
    }


ApiProductFilterSet = type(ProductFilterSet)(
    "ApiProductFilterSet", (ProductFilterSet,), {"__module__": __name__, **_strict_booleans()}
)
