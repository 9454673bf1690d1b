"""Issue 18 in a real browser at 360 px: the organisation's door (row 1) and what it and its
coordinator hear (row 2), the owner scanning their own poster (row 3) and a confirmation taken back with "Batalkan" (row 7) without JavaScript; the
owner's list with its times and its pair of 44 px buttons (row 10) and a private page that the back
button cannot bring back after "Keluar" (row 12) with JavaScript (so axe-core checks those pages
too). One live server for all of it."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "kata-sandi-lembaga-1"


def _log_in(tab, login: str, password: str) -> None:
    tab.goto("/masuk")
    tab.fill("E-mail atau nomor WhatsApp", login)
    tab.fill("Kata sandi", password)
    tab.press("Masuk")


def _organisation_comes_in(tab) -> None:
    """Row 1: from the needs board to a registered organisation, without typing a URL."""
    tab.goto("/kebutuhan", name="kebutuhan")
    tab.press("Daftarkan lembaga Anda")
    assert tab.page.url.endswith("/daftar/lembaga")
    tab.check(name="daftar-lembaga")
    tab.fill("Nama lengkap", "Ibu Rahma")
    tab.fill("E-mail atau nomor WhatsApp", "yayasan@example.id")
    tab.fill("Kata sandi (minimal 8 karakter)", PASSWORD)
    tab.fill("Ulangi kata sandi", PASSWORD)
    tab.page.get_by_label("Saya menyetujui pemberitahuan privasi").check()
    tab.press("Buat akun dan lanjut")
    assert tab.page.url.endswith("/lembaga/daftar")
    tab.check(name="lembaga-daftar")
    for label, value in [("Nama lembaga", "Yayasan Peduli Luwu Raya"), ("Jenis lembaga", "Organisasi sosial"),
                         ("Kabupaten/kota", "Kota Palopo"), ("Alamat", "Jl. Andi Djemma No. 9"),
                         ("Nomor WhatsApp lembaga", "0813-5555-0001")]:
        tab.fill(label, value)
    tab.press("Daftarkan lembaga")
    assert tab.page.url.endswith("/lembaga/saya") and "Yayasan Peduli Luwu Raya" in tab.text()
    tab.check(name="lembaga-saya")
    tab.goto("/", name="beranda-lembaga")
    menu = tab.page.locator("nav.nav").inner_text()
    assert "Lembaga Saya" in menu and "Toko Saya" not in menu
    assert "menunggu verifikasi koordinator" in tab.text() and "Daftarkan toko" not in tab.text()
    tab.press("Keluar")


def _organisation_is_heard(tab, coordinator) -> None:
    """Row 2: the coordinator's badge counts the organisation waiting and the coordinator verifies it
    after a second look; the organisation reads the news in the app."""
    _log_in(tab, coordinator.login, coordinator.password)
    badge = tab.page.locator("nav.nav a", has_text="Koordinator").inner_text()
    assert "1" in badge and "toko dan lembaga menunggu verifikasi" in badge
    tab.goto("/koordinator/lembaga", name="antrean-lembaga")
    tab.press("Verifikasi")
    tab.check(name="verifikasi-lembaga")
    tab.press("Ya, verifikasi")
    assert "Lembaga diverifikasi" in tab.text()
    tab.press("Keluar")
    _log_in(tab, "yayasan@example.id", PASSWORD)
    tab.goto("/notifikasi/", name="notifikasi-lembaga")
    assert "Lembaga terverifikasi" in tab.text() and "Kini Anda dapat memasang kebutuhan." in tab.text()
    tab.press("Keluar")


def _owner_scans_own_poster(tab, owner, shop_id: int) -> None:
    """Row 3: the owner's camera opens the poster's link: a kind page, then the purchase list."""
    _log_in(tab, owner.login, owner.password)
    tab.goto(f"/t/{shop_id}", name="pindai-poster-sendiri")
    text = tab.text()
    assert "Ini kode QR toko Anda" in text and "ASN pembeli" in text and "Akses ditolak" not in text
    tab.press("Lihat belanja di toko saya")
    assert tab.page.url.endswith("/toko/saya/belanja")
    tab.check(name="belanja-di-toko-saya")
    tab.press("Keluar")


def _owner_takes_a_confirmation_back(tab, owner) -> None:
    """Row 7: "Konfirmasi" stays one tap; a wrong tap is taken back with "Batalkan", no script needed."""
    _log_in(tab, owner.login, owner.password)
    tab.goto("/toko/saya/belanja")
    with tab.page.expect_navigation():
        tab.page.locator(".entry").first.get_by_role("button", name="Konfirmasi", exact=True).click()
    tab.check(name="baru-dikonfirmasi")
    assert "Salah tekan? Batalkan dalam 10 menit" in tab.text() and "Konfirmasi semua (1)" in tab.text()
    with tab.page.expect_navigation():
        tab.page.locator("#baru-dikonfirmasi").locator("xpath=..").get_by_role("button").first.click()
    tab.check(name="konfirmasi-dibatalkan")
    assert "kembali menunggu konfirmasi" in tab.text() and "Konfirmasi semua (2)" in tab.text()
    tab.press("Keluar")


def _owner_list_buttons(tab, owner) -> None:
    """Row 10: each purchase shows its time in WITA; Konfirmasi and Bantah: one height, >= 44 px, one line."""
    _log_in(tab, owner.login, owner.password)
    tab.goto("/toko/saya/belanja", name="daftar-belanja-pemilik")
    assert tab.text().count(" WITA") >= 2
    first = tab.page.locator(".entry").first
    confirm = first.get_by_role("button", name="Konfirmasi", exact=True).bounding_box()
    dispute = first.get_by_role("link", name="Bantah", exact=True).bounding_box()
    assert confirm["height"] >= 44 and dispute["height"] >= 44, (confirm, dispute)
    assert abs(confirm["height"] - dispute["height"]) < 1 and abs(confirm["y"] - dispute["y"]) < 1, (confirm, dispute)
    label_top = first.get_by_role("link", name="Bantah").evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e); "
        "return r.getBoundingClientRect().top - e.getBoundingClientRect().top; }")
    assert label_top > 8, f"Bantah's label sits at the top of its button ({label_top:.1f} px)"
    tab.press("Keluar")


def _back_after_logout(tab, asn) -> None:
    """Row 12: /saya (with the NIP) is private, no-store; after Keluar the back button cannot show it."""
    _log_in(tab, asn.login, asn.password)
    response = tab.page.goto(tab.base + "/saya")
    assert response.headers["cache-control"] == "private, no-store"
    tab.check(name="saya-asn")
    assert asn.nip in tab.text()
    tab.press("Keluar")
    tab.page.go_back()
    tab.page.wait_for_load_state("load")
    assert asn.nip not in tab.page.content()
    assert "/masuk" in tab.page.url


def test_doors_poster_owner_list_and_private_pages_at_360_px(open_tab, make_owner, make_shop, make_asn,
                                                            make_purchase, make_staff, no_logging_limits):
    coordinator = make_staff(region="73.73")
    owner = make_owner(name="Daeng Tayang")
    shop_id = make_shop(owner=owner, name="Warung Daeng")
    asn = make_asn(name="Andi Baso")
    make_purchase(buyer=asn, shop_id=shop_id, amount=15_000)
    make_purchase(buyer=asn, shop_id=shop_id, amount=15_000)  # same ASN, same day: told apart by the time

    without_js = open_tab(viewport="phone", javascript=False)
    _organisation_comes_in(without_js)
    _organisation_is_heard(without_js, coordinator)
    _owner_scans_own_poster(without_js, owner, shop_id)
    _owner_takes_a_confirmation_back(without_js, owner)

    with_js = open_tab(viewport="phone", javascript=True)
    _owner_list_buttons(with_js, owner)
    _back_after_logout(with_js, asn)
