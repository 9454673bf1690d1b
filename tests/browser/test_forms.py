"""Forms people can finish, in Chromium at 360x740 with and without JavaScript (issue 18, rows 8
and 9): the error summary is on the first screen and has the focus, a refused NIP keeps the typing
and says why the passwords are empty, "15rb" is shown back as Rp15.000 before it is saved, and a
rate limit shows the form again with what was typed."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "kata-sandi-warung-1"
RUNS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


def _sign_in(tab, person) -> None:
    tab.goto("/masuk")
    tab.fill("E-mail atau nomor WhatsApp", person.login)
    tab.fill("Kata sandi", person.password)
    tab.press("Masuk")


@RUNS
def test_refused_nip_is_summed_up_on_top_and_keeps_the_typing(open_tab, javascript):
    tab = open_tab(viewport="phone", javascript=javascript)
    tab.goto("/daftar/asn?region=73.73")
    for label, value in [("Nama lengkap", "Andi Baso"), ("E-mail atau nomor WhatsApp", "andi@example.id"),
                         ("NIP (18 digit)", "12345"), ("Instansi/OPD", "OPD lain"),
                         ("Nama OPD lain (bila tidak ada di daftar)", "Dinas Koperasi dan UKM"),
                         ("Kata sandi (minimal 8 karakter)", PASSWORD), ("Ulangi kata sandi", PASSWORD)]:
        tab.fill(label, value)
    tab.page.get_by_label("Saya menyetujui pemberitahuan privasi").check()
    tab.press("Daftar")
    tab.check(name="nip-ditolak")
    summary = tab.page.locator("#ringkasan-isian")
    box = summary.bounding_box()
    assert box["y"] + box["height"] <= 740 and "NIP" in summary.inner_text()
    assert tab.page.evaluate("document.activeElement.id") == "ringkasan-isian"
    summary.get_by_role("link").first.click()  # the link takes the person to the field
    assert tab.page.evaluate("location.hash") == "#nip"
    assert tab.page.get_by_label("Nama lengkap").input_value() == "Andi Baso"
    assert tab.page.get_by_label("NIP (18 digit)").input_value() == "12345"
    assert tab.page.get_by_label("Nama OPD lain (bila tidak ada di daftar)").input_value() == "Dinas Koperasi dan UKM"
    assert tab.page.get_by_label("Kata sandi (minimal 8 karakter)", exact=True).input_value() == ""
    assert "kata sandi tidak pernah ditampilkan ulang" in tab.text()


@RUNS
def test_an_amount_in_rb_is_shown_back_as_rupiah_then_saved(open_tab, make_asn, make_shop, fetch, javascript):
    from campaign.domains.purchases.models import Purchase

    asn, shop = make_asn(), make_shop(name="Warung Rb")
    tab = open_tab(viewport="phone", javascript=javascript)
    _sign_in(tab, asn)
    tab.goto(f"/belanja/baru?toko={shop}")
    tab.fill("Jumlah belanja (Rp)", "15rb")
    tab.press("Simpan belanja")
    tab.check(name="jumlah-dibaca")
    assert "Dibaca sebagai Rp15.000" in tab.text() and fetch(select(Purchase)) == []
    assert tab.page.get_by_label("Jumlah belanja (Rp)").input_value() == "15.000"
    tab.press("Simpan belanja")
    assert tab.page.url.endswith("/saya") and [p.amount for p in fetch(select(Purchase))] == [15_000]


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True, "RATELIMIT_PURCHASE": "1 per minute"}])
@RUNS
def test_a_rate_limit_shows_the_form_again_with_the_typing(open_tab, make_asn, make_shop, fetch, javascript):
    from campaign.domains.purchases.models import Purchase

    asn, shop = make_asn(), make_shop(name="Warung Sabar")
    tab = open_tab(viewport="phone", javascript=javascript)
    _sign_in(tab, asn)
    for amount, note in [("20.000", "pertama"), ("30.000", "beras 5 kg")]:
        tab.goto(f"/belanja/baru?toko={shop}")
        tab.fill("Jumlah belanja (Rp)", amount)
        tab.fill("Catatan (opsional)", note)
        tab.press("Simpan belanja")
    tab.check(name="batas-kiriman")
    assert re.search(r"kirim lagi dalam \d+ detik", tab.text())
    assert tab.page.get_by_label("Jumlah belanja (Rp)").input_value() == "30.000"
    assert tab.page.get_by_label("Catatan (opsional)").input_value() == "beras 5 kg"
    assert [p.amount for p in fetch(select(Purchase))] == [20_000]
