"""The whole campaign in a real browser, as its people use it: a warung owner registers a shop, the
coordinator verifies it, a civil servant signs up, pledges, opens the shop's QR link and logs a
purchase, the owner confirms it, and the leaderboard and the region page show it.

Run on a phone (360x740) and a laptop (1280x800) with JavaScript, and on a phone without it. Every
page visited is checked by ``Tab.check`` (axe-core, hosts, sideways scroll, weight).
"""
from __future__ import annotations

import re

import pytest

QR_PAGE_LIMIT = 30 * 1024  # bytes: the purchase form a QR code opens, with all it loads

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "kata-sandi-warung-1"


def _sign_up_owner(tab, n: str) -> None:
    tab.goto("/")
    tab.press("Daftarkan toko")
    tab.check(name="daftar-pemilik-toko")
    tab.fill("Nama lengkap", "Daeng Ngai")
    tab.fill("E-mail atau nomor WhatsApp", f"0812-5555-0{n}00")
    tab.fill("Kata sandi (minimal 8 karakter)", PASSWORD)
    tab.fill("Ulangi kata sandi", PASSWORD)
    tab.page.get_by_label("Saya menyetujui pemberitahuan privasi").check()
    tab.press("Daftar")
    tab.check(name="beranda-pemilik")


def _register_shop(tab) -> int:
    """From the owner's home page to a registered shop; returns its id (from its link)."""
    tab.press("Daftarkan toko")
    assert tab.page.url.endswith("/toko/baru")
    tab.check(name="toko-baru")
    for label, value in [("Nama toko", "Warung Daeng Ngai"), ("Kategori", "Warung kelontong"),
                         ("Kabupaten/kota", "Kota Palopo"), ("Kecamatan", "Wara"), ("Kelurahan/desa", "Amassangan"),
                         ("Alamat jalan", "Jl. Andi Djemma No. 5"), ("Nomor WhatsApp", "0812-5555-0100")]:
        tab.fill(label, value)
    tab.press("Daftarkan toko")
    tab.check(name="toko-saya")
    assert "Menunggu verifikasi" in tab.text()
    href = tab.page.get_by_role("link", name="Lihat halaman toko").first.get_attribute("href")
    return int(re.search(r"/toko/(\d+)", href).group(1))


def _log_in(tab, login: str, password: str) -> None:
    tab.goto("/masuk")
    tab.fill("E-mail atau nomor WhatsApp", login)
    tab.fill("Kata sandi", password)
    tab.press("Masuk")


def _log_out(tab) -> None:
    tab.press("Keluar")


def _verify(tab, coordinator) -> None:
    _log_in(tab, coordinator.login, coordinator.password)
    tab.goto("/koordinator/")
    assert "Warung Daeng Ngai" in tab.text()
    tab.press("Verifikasi")
    tab.check(name="verifikasi-konfirmasi")
    tab.press("Ya, verifikasi")
    tab.check(name="antrean-setelah-verifikasi")
    assert "Warung Daeng Ngai terverifikasi" in tab.text()
    _log_out(tab)


def _asn_signs_up_and_pledges(tab, n: str) -> None:
    tab.goto("/")
    tab.press("Daftar sebagai ASN")
    tab.check(name="daftar-asn")
    tab.fill("Kabupaten/kota tempat bekerja", "Kota Palopo")  # first the region, then its agencies
    tab.press("Lanjut")
    tab.check(name="daftar-asn-formulir")
    for label, value in [("Nama lengkap", "Andi Baso"), ("E-mail atau nomor WhatsApp", f"andi{n}@example.id"),
                         ("NIP (18 digit)", f"19870101201001100{n}"), ("Instansi/OPD", "Dinas Koperasi dan UKM"),
                         ("Kata sandi (minimal 8 karakter)", PASSWORD), ("Ulangi kata sandi", PASSWORD)]:
        tab.fill(label, value)
    tab.page.get_by_label("Saya menyetujui pemberitahuan privasi").check()
    tab.press("Daftar")
    tab.check(name="beranda-asn")
    tab.press("Buat janji belanja")
    tab.check(name="janji")
    tab.fill("Saya berjanji berbelanja sebesar (Rp)", "500.000")
    tab.press("Simpan janji")
    tab.check(name="saya")
    assert "Rp500.000" in tab.text()


def _asn_logs_from_qr(tab, shop_id: int) -> None:
    weight = tab.goto(f"/belanja/baru?toko={shop_id}", limit=QR_PAGE_LIMIT, name="catat-belanja-qr")
    tab.screenshot("catat-belanja", readme="catat-belanja") if tab.viewport == "phone" else None
    assert "Warung Daeng Ngai" in tab.text(), weight
    tab.fill("Jumlah belanja (Rp)", "75.000")
    tab.press("Simpan belanja")
    tab.check(name="saya-setelah-belanja")
    assert "Belanja tercatat" in tab.text() and "Rp75.000" in tab.text()
    _log_out(tab)


def _owner_confirms(tab, n: str) -> None:
    _log_in(tab, f"0812-5555-0{n}00", PASSWORD)
    tab.goto("/toko/saya/belanja")
    assert "Andi Baso" in tab.text() and "Rp75.000" in tab.text()
    tab.press("Konfirmasi")
    tab.check(name="belanja-dikonfirmasi")
    assert "Belanja dikonfirmasi" in tab.text()
    _log_out(tab)


def _public_sees_it(tab, coordinator) -> None:
    tab.goto("/peringkat", name="peringkat")
    palopo = tab.page.locator("#peringkat-batang li", has_text="Palopo")
    assert "Rp475.000" in palopo.inner_text()  # five neighbours' Rp400.000 and this journey's Rp75.000
    if tab.viewport == "phone":  # rank, region, the chosen metric and its bar without scrolling sideways
        tab.screenshot("peringkat-readme", readme="peringkat", element=".standings-pictures")
        amount = palopo.locator(".amount").bounding_box()
        assert amount["x"] + amount["width"] <= 360
    tab.page.locator("summary", has_text="Lihat tabel lengkap").click()  # the full table, one tap away
    table = tab.page.get_by_role("region", name="Tabel peringkat lengkap")
    assert table.is_visible() and table.get_attribute("tabindex") == "0"
    assert "Rp475.000" in tab.page.locator("#peringkat tbody tr", has_text="Kota Palopo").inner_text()
    if tab.viewport == "desktop":  # every column fits at 1280 px
        assert table.evaluate("e => e.scrollWidth <= e.clientWidth")
    tab.check(name="peringkat-tabel-lengkap")
    tab.page.get_by_role("link", name="Kota Palopo").first.click()
    tab.page.wait_for_url(re.compile(r"/wilayah/73\.73"))
    tab.check(name="wilayah-publik")
    assert "Rp475.000" in tab.text()
    _log_in(tab, coordinator.login, coordinator.password)
    tab.goto("/wilayah/73.73", name="wilayah-koordinator")
    if tab.viewport == "phone":
        tab.screenshot("wilayah-koordinator-readme", readme="koordinator")
    assert "Koordinator Kabupaten/Kota" in tab.text()
    for section in ("instansi", "asn", "kecamatan", "toko", "bantahan", "unduh"):
        tab.goto(f"/wilayah/73.73/{section}", name=f"wilayah-{section}")
    _set_target(tab)


def _set_target(tab) -> None:
    """A bad entry shows its error on the target page itself; a good one lands on the summary, where a
    billion-rupiah target stays on one line, inside its card, at 360 px."""
    tab.goto("/wilayah/73.73/target", name="wilayah-target")
    tab.fill("Jumlah ASN di wilayah ini", "-5")
    tab.fill("Target belanja (Rp)", "1.300.000.000")
    tab.press("Simpan")
    assert "/wilayah/73.73/target" in tab.page.url and "Tulis bilangan bulat" in tab.text()
    assert tab.page.get_by_label("Jumlah ASN di wilayah ini").is_visible()
    tab.check(name="wilayah-target-salah")
    tab.fill("Jumlah ASN di wilayah ini", "2.500")
    tab.press("Simpan")
    tab.check(name="wilayah-target-tersimpan")
    assert "Rp1.300.000.000" in tab.text()
    wrapped = tab.page.evaluate("[...document.querySelectorAll('.stat strong')].filter(e => e.getClientRects()"
                                ".length > 1 || e.offsetHeight > 40 || e.scrollWidth > e.clientWidth)"
                                ".map(e => [e.textContent, e.offsetHeight, e.scrollWidth, e.clientWidth])")
    assert wrapped == []


def _neighbours(make_asn, make_shop, make_purchase) -> None:
    """Other civil servants already buying in five regions, so public figures are not withheld as
    belonging to fewer than five people, and the leaderboard has something to rank. None of these
    regions has loaded a roster yet (so the journey's ASN signs up in Palopo with a NIP of their own
    and an agency typed in, as in a region without one)."""
    for region, people, amount in [("73.71", 6, 120_000), ("73.73", 5, 80_000), ("73.08", 5, 60_000),
                                   ("73.06", 5, 40_000), ("73.72", 5, 30_000)]:
        shop = make_shop(region=region, name=f"Warung Tetangga {region}")
        for _ in range(people):
            make_purchase(buyer=make_asn(region=region, on_roster=False), shop_id=shop, amount=amount)


@pytest.mark.parametrize("viewport, javascript", [("phone", True), ("desktop", True), ("phone", False)],
                         ids=["phone", "desktop", "phone-no-js"])
def test_owner_asn_and_coordinator_journey(open_tab, make_staff, make_asn, make_shop, make_purchase,
                                           viewport, javascript):
    n = {"phone": "1", "desktop": "2"}[viewport] if javascript else "3"
    _neighbours(make_asn, make_shop, make_purchase)
    coordinator = make_staff(region="73.73", name="Koordinator Palopo")
    tab = open_tab(viewport=viewport, javascript=javascript)
    _sign_up_owner(tab, n)
    shop_id = _register_shop(tab)
    _log_out(tab)
    _verify(tab, coordinator)
    _asn_signs_up_and_pledges(tab, n)
    _asn_logs_from_qr(tab, shop_id)
    _owner_confirms(tab, n)
    _public_sees_it(tab, coordinator)
    assert len(tab.checked) >= 20
