"""The optional columns on the doctor's practice, price, contract and switching (FORMATS.md, METHODOLOGY §10).

`SituationCells.fast` reads them for the fast path (None as soon as one is not plainly good);
`SituationCells.check` reads them for the detailed check, recording a reason for each bad cell.
"""

import decimal

from django.utils.translation import gettext as _

from surveys.models import Response
from surveys.models.responses import COMMITMENT_MONTHS_MAX, PRICE_PAID_MAX

from .reading import BAD, SITUATION_COLUMNS, shown

PRACTICE_CELLS = {"": "", **{value: value for value in Response.PracticeSetting.values}}
YES_NO_CELLS = {"": None, "yes": True, "no": False}
COMMITMENT_CELLS = {"": None, **{str(v): v for v in range(0, COMMITMENT_MONTHS_MAX + 1)}}
CENT = decimal.Decimal("0.01")


def price(cell):
    """Return the price of `cell` as a Decimal of cents, None when empty, or BAD."""
    if not cell:
        return None
    try:
        value = decimal.Decimal(cell)
    except decimal.InvalidOperation:
        return BAD
    if not value.is_finite() or value < 0 or value > PRICE_PAID_MAX or value != value.quantize(CENT):
        return BAD
    return value.quantize(CENT)


class SituationCells:
    """Reads the six columns of a row: (practice, price, price rose, months, switching, previous product id)."""

    def __init__(self, position, products, error):
        self.products = products  # slug → (id, vendor slug, category slug)
        self.error = error  # error(line, column, reason)
        (
            self.i_practice,
            self.i_price,
            self.i_increased,
            self.i_commitment,
            self.i_switching,
            self.i_previous,
        ) = (position[name] for name in SITUATION_COLUMNS)

    def fast(self, row, product):
        """Return the six values of `row`, or None if one of them is not plainly good."""
        previous_slug = row[self.i_previous]
        previous = None
        if previous_slug:
            known = self.products.get(previous_slug)
            previous = known[0] if known is not None and previous_slug != product else BAD
        values = (
            PRACTICE_CELLS.get(row[self.i_practice], BAD),
            price(row[self.i_price]),
            YES_NO_CELLS.get(row[self.i_increased], BAD),
            COMMITMENT_CELLS.get(row[self.i_commitment], BAD),
            YES_NO_CELLS.get(row[self.i_switching], BAD),
            previous,
        )
        return None if BAD in values else values

    def check(self, line, cell, product):
        """Check the six cells of a row (`cell`: column → stripped text), recording every problem."""
        values = []
        practice = PRACTICE_CELLS.get(cell["practice_mode"], BAD)
        if practice is BAD:
            self.error(
                line,
                "practice_mode",
                _("unknown practice mode %(value)r (expected one of: %(choices)s, or empty)")
                % {
                    "value": shown(cell["practice_mode"]),
                    "choices": ", ".join(Response.PracticeSetting.values),
                },
            )
        values.append(practice)
        paid = price(cell["price_paid"])
        if paid is BAD:
            self.error(
                line,
                "price_paid",
                _("%(value)r is not a price in euros from 0 to %(max)s with at most 2 decimals (write 49.90)")
                % {"value": shown(cell["price_paid"]), "max": PRICE_PAID_MAX},
            )
        values.append(paid)
        for column in ("price_increased", "commitment_months", "considering_switch"):
            cells = COMMITMENT_CELLS if column == "commitment_months" else YES_NO_CELLS
            value = cells.get(cell[column], BAD)
            if value is BAD:
                reason = (
                    _("%(value)r is not a number of months from 0 to %(max)s, or empty")
                    if column == "commitment_months"
                    else _("%(value)r is not yes, no or empty")
                )
                self.error(
                    line, column, reason % {"value": shown(cell[column]), "max": COMMITMENT_MONTHS_MAX}
                )
            values.append(value)
        values.append(self._previous(line, cell["previous_product"], product))
        return tuple(values)

    def _previous(self, line, slug, product):
        if not slug:
            return None
        known = self.products.get(slug)
        if known is None:
            self.error(
                line,
                "previous_product",
                _("unknown product %(value)r: the tool used before must be in the catalogue")
                % {"value": shown(slug)},
            )
            return BAD
        if slug == product:
            self.error(line, "previous_product", _("the tool used before is the tool rated"))
            return BAD
        return known[0]
