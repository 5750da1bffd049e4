"""The vendor's commitments in its report (METHODOLOGY §10), with the verdicts the product pages show.

Measured by `analytics.published.commitment_results` on the campaigns closed by the end of the
report's campaign, so a report of an earlier campaign says what could be said then.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from analytics import published
from ratings.models import VendorCommitment

from .tables import Column, Kind, Table


@dataclass(frozen=True)
class CommitmentLine:
    """One published commitment of one product; no figure where a side has too few respondents."""

    product: str
    product_name: str
    facet: str
    facet_name: str
    what: str
    committed_on: datetime.date | None
    due_on: datetime.date
    before_campaign: str | None
    after_campaign: str | None
    difference: float | None
    difference_low: float | None
    difference_high: float | None
    verdict: str
    verdict_label: str
    sentence: str


def commitment_lines(products, campaign):
    """Return the CommitmentLines of the published commitments of `products`, by product then due date."""
    commitments = (
        VendorCommitment.objects.published()
        .filter(reply__product__in=products)
        .select_related("reply__product", "facet")
        .order_by("reply__product__name", "due_on", "pk")
    )
    return [
        CommitmentLine(
            product=r.commitment.reply.product.slug,
            product_name=r.commitment.reply.product.name,
            facet=r.commitment.facet.slug,
            facet_name=r.commitment.facet.name,
            what=r.commitment.what,
            committed_on=r.commitment.committed_on,
            due_on=r.commitment.due_on,
            before_campaign=str(r.before_campaign) if r.before_campaign else None,
            after_campaign=str(r.after_campaign) if r.after_campaign else None,
            difference=r.difference,
            difference_low=r.low,
            difference_high=r.high,
            verdict=str(r.verdict),
            verdict_label=str(r.label),
            sentence=r.sentence,
        )
        for r in published.commitment_results(commitments, until=campaign.closes_on)
    ]


def commitments_table(report):
    """Return the report's table of commitments (one row per commitment)."""
    columns = [
        Column("product", _("product")),
        Column("facet", _("facet")),
        Column("facet_name", _("facet (name)")),
        Column("what", _("commitment")),
        Column("committed_on", _("first published on"), Kind.DATE),
        Column("due_on", _("due on"), Kind.DATE),
        Column("before_campaign", _("campaign before the commitment")),
        Column("after_campaign", _("first campaign closed after the date")),
        Column("change", _("change of the facet score"), Kind.SCORE),
        # xgettext:no-python-format
        Column("change_ci_low", _("change, 95% interval low"), Kind.SCORE),
        # xgettext:no-python-format
        Column("change_ci_high", _("change, 95% interval high"), Kind.SCORE),
        Column("verdict", _("verdict")),
        Column("verdict_label", _("verdict (label)")),
        Column("sentence", _("in words")),
    ]
    rows = [
        [
            line.product,
            line.facet,
            line.facet_name,
            line.what,
            line.committed_on,
            line.due_on,
            line.before_campaign,
            line.after_campaign,
            line.difference,
            line.difference_low,
            line.difference_high,
            line.verdict,
            line.verdict_label,
            line.sentence,
        ]
        for line in report.commitments
    ]
    return Table(name="commitments", title=_("Commitments"), columns=columns, rows=rows)
