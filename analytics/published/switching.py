"""Switching flows (METHODOLOGY §10): which tools doctors left for which, from 5 doctors per pair only."""

from __future__ import annotations

from dataclasses import dataclass

from analytics.models import SwitchFlow


@dataclass(frozen=True)
class Flow:
    """`doctors` moved from `previous` (a Product, or None for a tool outside the catalogue) to `product`."""

    previous: object
    product: object
    doctors: int


def _flows(snapshot, **where):
    if snapshot is None:
        return []
    rows = (
        SwitchFlow.objects.filter(
            snapshot_id=snapshot.pk, doctors__gte=max(snapshot.min_respondents, 5), **where
        )
        .select_related("previous_product", "product")
        .order_by("-doctors", "previous_product__name", "product__name")
    )
    return [Flow(row.previous_product, row.product, row.doctors) for row in rows]


def flows_into(snapshot, product):
    """Where the doctors rating `product` came from, largest flow first."""
    return _flows(snapshot, product=product)


def flows_out_of(snapshot, products):
    """Where doctors who left any of `products` went, largest flow first."""
    return _flows(snapshot, previous_product__in=products)
