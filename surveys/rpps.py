"""RPPS numbers: 11 digits, the last one a Luhn check digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def luhn_checksum_ok(digits):
    """Return True when the digit string passes the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def luhn_check_digit(digits):
    """Return the digit that completes `digits` into a Luhn-valid number."""
    for candidate in "0123456789":
        if luhn_checksum_ok(digits + candidate):
            return candidate
    raise AssertionError("unreachable: one digit always completes a Luhn number")


def rpps_error(value):
    """Return why `value` is not a valid RPPS number, or None when it is."""
    value = (value or "").strip()
    if not value.isdigit() or not value.isascii():
        return _("An RPPS number contains digits only.")
    if len(value) != 11:
        return _("An RPPS number has exactly 11 digits (this one has %(n)s).") % {"n": len(value)}
    if not luhn_checksum_ok(value):
        return _("This RPPS number's check digit is wrong: please check for a typing error.")
    return None


def validate_rpps(value):
    error = rpps_error(value)
    if error:
        raise ValidationError(error, code="invalid_rpps")
