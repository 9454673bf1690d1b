"""Forms people can finish (issue 18, item 7): amounts in the spellings Indonesians type, shown back
as rupiah before saving; an error summary at the top linked to the fields; a refused NIP keeps what
was typed and says why the passwords are empty; a rate limit shows the form again with the typing."""
from __future__ import annotations

import re

from helpers import province_today
import pytest
from sqlalchemy import select

from campaign.domains.auth.models import User
from campaign.domains.purchases.models import Pledge, Purchase
from campaign.util.formatting import AmountUnclear, parse_rupiah, read_rupiah


@pytest.mark.parametrize("typed, amount", [
    ("Rp15.000,-", 15_000), ("15.000", 15_000), ("15.000,00", 15_000), ("15rb", 15_000), ("15 ribu", 15_000),
    ("1,5 juta", 1_500_000), ("Rp 15.000", 15_000), ("15000", 15_000), ("2jt", 2_000_000), ("15k", 15_000),
    ("1,25 juta", 1_250_000), ("Rp.15.000", 15_000), ("15.000.-", 15_000), ("15 RB", 15_000),
])
def test_amounts_in_the_spellings_people_type(typed, amount):
    assert read_rupiah(typed) == amount == parse_rupiah(typed)


@pytest.mark.parametrize("typed", ["15,5", "15.5", "15,500", "1.5 juta", "15.00"])
def test_ambiguous_amounts_are_refused_with_an_example(typed):
    with pytest.raises(AmountUnclear, match="bisa dibaca dua cara.*mis. 15.500, 15rb atau 1,5 juta"):
        read_rupiah(typed)
    assert parse_rupiah(typed) is None


@pytest.mark.parametrize("typed", ["lima puluh", "1.50.000", "-5", "1,2345 rb"])
def test_unreadable_amounts_are_refused_with_an_example(typed):
    with pytest.raises(AmountUnclear, match=r"mis\. 15\.000, Rp15\.000, 15rb atau 1,5 juta"):
        read_rupiah(typed)


def _purchase(client, shop_id, amount, **extra):
    return client.post("/belanja/baru", data={"shop_id": shop_id, "amount": amount,
                                              "purchased_on": province_today().isoformat(), **extra})


def test_a_spelled_amount_is_shown_back_before_it_is_saved(client, auth, make_asn, make_shop, fetch):
    shop = make_shop()
    auth.login(make_asn())
    response = _purchase(client, shop, "15rb", note="gula dan kopi")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and fetch(select(Purchase)) == []
    assert "Dibaca sebagai Rp15.000. Jika benar, kirim sekali lagi." in page
    assert re.search(r'id="amount"[^>]*value="15.000"', page) and "gula dan kopi" in page
    assert "Periksa sebelum menyimpan" in page
    assert _purchase(client, shop, "15.000", note="gula dan kopi").status_code == 302
    assert [p.amount for p in fetch(select(Purchase))] == [15_000]


def test_a_plain_amount_is_saved_at_once(client, auth, make_asn, make_shop, fetch):
    auth.login(make_asn())
    assert _purchase(client, make_shop(), "Rp15.000").status_code == 302  # the QR flow stays two taps
    assert [p.amount for p in fetch(select(Purchase))] == [15_000]


def test_pledge_in_juta_is_shown_back_then_saved(client, auth, make_asn, fetch):
    auth.login(make_asn())
    page = client.post("/janji", data={"amount": "1,5 juta"}).get_data(as_text=True)
    assert "Dibaca sebagai Rp1.500.000" in page and fetch(select(Pledge)) == []
    assert client.post("/janji", data={"amount": "1.500.000"}).status_code == 302
    assert [p.amount for p in fetch(select(Pledge))] == [1_500_000]


def test_errors_are_summed_up_at_the_top_linked_to_their_fields(client, auth, make_asn, make_shop):
    auth.login(make_asn())
    page = _purchase(client, make_shop(), "15,5", purchased_on="kemarin").get_data(as_text=True)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert page.index('class="error-summary"') < page.index("<h1>Catat Belanja</h1>")
    assert 'role="alert"' in summary and "autofocus" in summary and "Ada 2 isian yang perlu diperbaiki" in summary
    links = re.findall(r'<a href="#(\w+)">([^<]+)</a>', summary)
    assert [target for target, _ in links] == ["amount", "purchased_on"]
    assert "bisa dibaca dua cara" in links[0][1]
    for target, _ in links:
        assert f'id="{target}"' in page


ASN_FORM = {"name": "Andi Baso", "login": "andi.baso@example.id", "nip": "123", "agency": "Dinas Koperasi dan UKM",
            "region": "73.73", "password": "kata-sandi-1", "confirm": "kata-sandi-1", "consent": "y"}


def test_refused_nip_keeps_everything_but_the_passwords_and_says_why(client, fetch):
    page = client.post("/daftar/asn", data=ASN_FORM).get_data(as_text=True)
    assert fetch(select(User)) == [] and "NIP" in page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    for field, value in [("name", "Andi Baso"), ("login", "andi.baso@example.id"), ("nip", "123")]:
        assert re.search(rf'id="{field}"[^>]*value="{re.escape(value)}"', page), field
    assert re.search(r'<option selected value="Dinas Koperasi dan UKM">', page)
    assert not re.search(r'type="password"[^>]*value="[^"]', page)  # never sent back
    assert page.count("Demi keamanan, kata sandi tidak pernah ditampilkan ulang: ketik lagi.") == 2


@pytest.mark.parametrize("app_config", [{"RATELIMIT_PURCHASE": "2 per minute"}])
def test_a_rate_limit_shows_the_form_again_with_what_was_typed(client, auth, make_asn, make_shop, fetch,
                                                              no_logging_limits):
    shop = make_shop()
    auth.login(make_asn())
    assert [_purchase(client, shop, f"{n}0.000").status_code for n in (1, 2)] == [302, 302]
    response = _purchase(client, shop, "33.000", note="beras 5 kg")
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert re.search(r'id="amount"[^>]*value="33.000"', page) and "beras 5 kg" in page
    assert re.search(r"kirim lagi dalam \d+ detik \(setelah pukul \d\d\.\d\d WITA\)", page)
    assert "Simpan belanja" in page and "Permintaan tidak dapat diproses" not in page
    assert sorted(p.amount for p in fetch(select(Purchase))) == [10_000, 20_000]


@pytest.mark.parametrize("app_config", [{"RATELIMIT_SIGN_UP": "1 per minute"}])
def test_a_rate_limited_sign_up_keeps_what_was_typed(app, fetch):
    data = {**ASN_FORM, "nip": "198609262015051001"}
    assert app.test_client().post("/daftar/asn", data=data).status_code == 302
    response = app.test_client().post("/daftar/asn", data={**data, "login": "sitti@example.id",
                                                           "name": "Sitti Aminah"})
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and "kirim lagi dalam" in page
    assert re.search(r'id="name"[^>]*value="Sitti Aminah"', page) and len(fetch(select(User))) == 1
