import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from surveys.rpps import luhn_checksum_ok, rpps_error, validate_rpps
from tests.factories import valid_rpps

VALID = valid_rpps(42)


def test_the_test_series_is_luhn_valid():
    assert len(VALID) == 11 and VALID.isdigit()
    assert luhn_checksum_ok(VALID)
    assert rpps_error(VALID) is None
    validate_rpps(VALID)


def test_a_known_luhn_number_is_accepted():
    # 79927398713 is the textbook Luhn example; it is 11 digits long, like an RPPS number.
    assert rpps_error("79927398713") is None


def test_wrong_check_digit():
    wrong = VALID[:-1] + str((int(VALID[-1]) + 1) % 10)
    with translation.override("en"):
        assert "check digit" in str(rpps_error(wrong))
    with pytest.raises(ValidationError) as excinfo:
        validate_rpps(wrong)
    assert excinfo.value.code == "invalid_rpps"


@pytest.mark.parametrize("value", [VALID[:-1], VALID + "0", "", "1"])
def test_wrong_length(value):
    assert rpps_error(value) is not None
    with pytest.raises(ValidationError):
        validate_rpps(value)


@pytest.mark.parametrize("value", ["1000000000A", "ABCDEFGHIJK", "100 000 000", "１０００００００００１"])
def test_letters_and_other_characters(value):
    with translation.override("en"):
        assert "digits only" in str(rpps_error(value))
