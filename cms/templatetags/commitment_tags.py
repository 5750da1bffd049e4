"""The commitments of a vendor's published reply, measured (METHODOLOGY §10)."""

from django import template

from analytics import published
from cms.reports.formatting import signed_number

register = template.Library()


@register.simple_tag(takes_context=True)
def reply_commitments(context, reply):
    """Return the CommitmentResults of `reply`'s commitments (one query without any, two with some)."""
    if reply is None:
        return []
    return published.commitment_results(
        reply.commitments.select_related("facet"), current=context.get("snapshot")
    )


@register.filter
def signed(value):
    """Return a change with 2 decimals and its sign in the reader's locale ("+0,32"), or "—"."""
    return signed_number(value, 2)
