"""NIP structure, phone numbers, login identifiers: the shared validators."""
import pytest

from campaign.core.errors import ValidationFailed
from campaign.domains.auth.validation import clean_nip, parse_login
from campaign.util.formatting import mask_nip, normalize_phone


@pytest.fixture
def served(app):
    """An app context: a NIP's years are checked against this year in the served province's zone."""
    with app.app_context():
        yield


@pytest.mark.parametrize("nip", [
    "198609262015051001",      # PNS: born 26-09-1986, appointed May 2015, male, #001
    "19860926 201505 1 001",   # typed with the usual spaces
    "199001012021212045",      # PPPK: digits 13-14 are a code (21), not a month
    "199001012022242999",      # PPPK code 24, female, #999
])
def test_valid_nips(served, nip):
    assert clean_nip(nip) == nip.replace(" ", "")


@pytest.mark.parametrize("nip, message", [
    ("198613262015051001", "tanggal lahir"),          # month 13 in the birth date
    ("198602302015051001", "tanggal lahir"),          # 30 February
    ("198609262015053001", "jenis kelamin"),          # gender digit 3
    ("198609262015050001", "jenis kelamin"),          # gender digit 0
    ("198609262015051000", "nomor urut"),             # sequence 000
    ("198609262015001001", "Digit 13-14"),            # 00: neither a month nor a PPPK code
    ("19860926201505100", "18 digit"),                # 17 digits
    ("1986092620150510011", "18 digit"),              # 19 digits
    ("19860926201505100A", "angka"),                  # a letter
    ("NIP198609262015051", "angka"),
    ("198609261990051001", "tahun pengangkatan"),     # appointed at age 3
    ("198609262099051001", "tahun pengangkatan"),     # appointed in the future
])
def test_invalid_nips_have_a_clear_message(served, nip, message):
    with pytest.raises(ValidationFailed) as info:
        clean_nip(nip)
    assert message in info.value.message
    assert info.value.fields == {"nip": [info.value.message]}


@pytest.mark.parametrize("typed", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "081234567890",
                                   "(0812) 3456 7890"])
def test_phone_spellings_normalise_to_e164(typed):
    assert normalize_phone(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["12345", "0812", "abc", "", "+1 202 555 0100", "0812-3456-789O"])
def test_bad_phone_numbers(typed):
    assert normalize_phone(typed) is None


def test_parse_login_email_and_phone():
    assert parse_login("  Budi@Contoh.ID ") == ("email", "budi@contoh.id")
    assert parse_login("0812-3456-7890") == ("phone", "+6281234567890")
    with pytest.raises(ValidationFailed):
        parse_login("bukan login")


def test_mask_nip():
    assert mask_nip("198609262015051001") == "198609•••••••••001"
