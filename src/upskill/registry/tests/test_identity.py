from datetime import date

import pytest
from django.utils import translation
from stdnum.cn import ric

from upskill.registry.identity import IdentityError, check_bank_account, parse_resident_id

VALID = "11010519491231002X"  # the example of GB 11643 itself
FEB_30 = "11010519490230002" + ric.calc_check_digit("110105194902300020")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_valid_number_derives_birth_date_and_sex():
    resident = parse_resident_id(VALID)
    assert resident.birth_date == date(1949, 12, 31)
    assert resident.sex == "F"  # 17th digit 2 is even


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",  # lowercase x
        " 110105 19491231 002X ",  # stray spaces
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits
    ],
)
def test_messy_input_that_reads_unambiguously(typed):
    assert parse_resident_id(typed).number == VALID


def test_gongan_number_issued_after_the_1994_renumbering_is_accepted():
    # Gong'an has been 421022 since 1994; people born before then hold such numbers too.
    from conftest import make_id_number

    number = make_id_number("421022", date(1962, 5, 1))
    assert parse_resident_id(number).number == number


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("110105194912310021", "check character"),
        ("11010519491231002", "18 characters"),
        (FEB_30, "impossible birth date"),
        ("1101051949123100AX", "only digits"),
        ("110105194912310", "15 digits"),
        ("", "empty"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(typed, says):
    with pytest.raises(IdentityError) as error:
        parse_resident_id(typed)
    assert says in str(error.value)


def test_birth_date_in_the_future_is_refused():
    with pytest.raises(IdentityError, match="future"):
        parse_resident_id(VALID, on_date=date(1949, 12, 30))


def test_bank_card_luhn():
    assert (
        check_bank_account("6228 4804 0256 4890 018", kind="card").number == "6228480402564890018"
    )
    with pytest.raises(IdentityError, match="Luhn"):
        check_bank_account("6228480402564890019", kind="card")


def test_passbook_accepted_with_a_warning():
    result = check_bank_account("42010000123456789", kind="passbook")
    assert not result.is_card and "passbook" in result.warning
