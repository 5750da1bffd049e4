"""What a vendor report says of METHODOLOGY §10 for each product: prices and contracts, the scores of each
subgroup of doctors, and switching (where its users came from, where its leavers went).

Every figure comes from the stored snapshot through `analytics.published`: prices and shares are empty
below 10 answers, a subgroup has a row only from 5 respondents, a flow only from 5 doctors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from analytics.core.constants import PROFILE_DIMENSIONS
from analytics.core.subgroups import GLOBAL
from analytics.published import SHARES
from analytics.published.subgroups import DIMENSION_LABELS, level_labels, subgroup_scores
from analytics.published.switching import flows_into, flows_out_of

from .subgroup_lines import all_differences
from .tables import Column, Kind, _interval, _table


@dataclass(frozen=True)
class ShareLine:
    share: str
    label: str
    pct: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None


@dataclass(frozen=True)
class SubgroupLine:
    """One subgroup's global doctors' score (the facets' are in the tables)."""

    dimension: str
    dimension_label: str
    value: str
    value_label: str
    n: int
    score: float | None
    ci_low: float | None
    ci_high: float | None
    status: str


@dataclass(frozen=True)
class FlowLine:
    previous: str  # a product's name, or "a tool outside the catalogue"
    product: str
    doctors: int


@dataclass(frozen=True)
class Situation:
    list_price: float | None
    price_median: float | None
    price_q1: float | None
    price_q3: float | None
    price_n: int | None
    shares: list = field(default_factory=list)
    subgroups: list = field(default_factory=list)
    # [(facet, SubgroupLine)] for the tables only: every facet of every subgroup
    subgroup_facets: list = field(default_factory=list)
    differences: list = field(default_factory=list)  # §6 lines between subgroups of the same dimension
    flows_in: list = field(default_factory=list)
    flows_out: list = field(default_factory=list)


def _name(product):
    return product.name if product is not None else _("a tool outside the catalogue")


def situation_of(snapshot, product, figures):
    """Return the Situation of `product` in `snapshot` (its ProductFigures `figures`)."""
    subgroups, facets, lines = [], [], []
    for dimension in PROFILE_DIMENSIONS:
        labels = level_labels(dimension)
        levels = subgroup_scores(snapshot, [product.pk], dimension)[product.pk]
        for value, measures in levels.items():
            label = labels.get(value, value)
            for measure, f in measures.items():
                line = SubgroupLine(dimension, str(DIMENSION_LABELS[dimension]), value, label, f.n, f.score,
                                    f.ci_low, f.ci_high, f.status)  # fmt: skip
                (subgroups if measure == GLOBAL else facets).append((measure, line))
        if dimension != "region":  # regions: the table has them; a line per pair of regions says too much
            lines.extend(all_differences(dimension, levels))
    return Situation(
        list_price=float(product.price) if product.price is not None else None,
        price_median=figures.price_median,
        price_q1=figures.price_q1,
        price_q3=figures.price_q3,
        price_n=figures.price_n,
        shares=[
            ShareLine(name, str(share.label), share.pct, share.low, share.high, share.n)
            for (name, _label), share in zip(SHARES, figures.contract_shares, strict=True)
        ],
        subgroups=[line for _m, line in subgroups],
        subgroup_facets=facets,
        differences=lines,
        flows_in=[
            FlowLine(_name(f.previous), f.product.name, f.doctors) for f in flows_into(snapshot, product)
        ],
        flows_out=[
            FlowLine(_name(f.previous), f.product.name, f.doctors) for f in flows_out_of(snapshot, [product])
        ],
    )


def prices_table(report):
    columns = [
        Column("product", _("product")),
        Column("list_price", _("list price (€)"), Kind.DECIMAL),
        Column("price_median", _("median price paid (€ per month)"), Kind.DECIMAL),
        Column("price_q1", _("first quartile (€)"), Kind.DECIMAL),
        Column("price_q3", _("third quartile (€)"), Kind.DECIMAL),
        Column("price_n", _("answers on the price"), Kind.COUNT),
    ]
    for name, label in SHARES:
        columns += [
            *_interval(f"{name}_pct", str(label), Kind.PCT),
            Column(f"{name}_n", _("answers"), Kind.COUNT),
        ]
    records = []
    for entry in report.products:
        s = entry.situation
        if s is None:
            continue
        record = {"product": entry.summary.product, "list_price": s.list_price, "price_median": s.price_median,
                  "price_q1": s.price_q1, "price_q3": s.price_q3, "price_n": s.price_n}  # fmt: skip
        for share in s.shares:
            record |= {f"{share.share}_pct": share.pct, f"{share.share}_pct_ci_low": share.ci_low,
                       f"{share.share}_pct_ci_high": share.ci_high, f"{share.share}_n": share.n}  # fmt: skip
        records.append(record)
    return _table("prices", _("Prices and contracts"), columns, records)


def subgroups_table(report):
    columns = [
        Column("product", _("product")),
        Column("dimension", _("dimension")),
        Column("value", _("subgroup")),
        Column("measure", _("measure")),
        Column("n", _("respondents"), Kind.COUNT),
        *_interval("score", _("score")),
        Column("status", _("status")),
    ]
    records = [
        {
            "product": entry.summary.product,
            "dimension": line.dimension,
            "value": line.value,
            "measure": measure,
            "n": line.n,
            "score": line.score,
            "score_ci_low": line.ci_low,
            "score_ci_high": line.ci_high,
            "status": line.status,
        }  # fmt: skip
        for entry in report.products
        if entry.situation is not None
        for measure, line in [(GLOBAL, s) for s in entry.situation.subgroups]
        + entry.situation.subgroup_facets
    ]
    return _table("subgroups", _("Scores per subgroup of doctors"), columns, records)


def switching_table(report):
    columns = [
        Column("product", _("product")),
        Column("direction", _("direction")),
        Column("previous", _("tool used before")),
        Column("current", _("tool used now")),
        Column("doctors", _("doctors"), Kind.COUNT),
    ]
    records = [
        {
            "product": entry.summary.product,
            "direction": direction,
            "previous": flow.previous,
            "current": flow.product,
            "doctors": flow.doctors,
        }  # fmt: skip
        for entry in report.products
        if entry.situation is not None
        for direction, flows in (("in", entry.situation.flows_in), ("out", entry.situation.flows_out))
        for flow in flows
    ]
    return _table("switching", _("Switching"), columns, records)
