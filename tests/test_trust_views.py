"""The coordinator's trust pages: flags with review, bulk void dry run, apply and undo."""
import re

from helpers import province_today
import pytest

from campaign.domains.purchases.models import Purchase

PALOPO = "73.73"


@pytest.fixture
def app_config():
    return {"FLAG_BURST_SHOP_PURCHASES": 3, "FLAG_BURST_MINUTES": 1440}


@pytest.fixture
def burst(make_asn, make_shop, make_purchase):
    shop = make_shop(region=PALOPO, name="Warung Lonjakan")
    ids = [make_purchase(buyer=make_asn(region="73.71"), shop_id=shop, amount=100_000 + n) for n in range(3)]
    return shop, ids


def test_coordinator_sees_flags_and_marks_one_reviewed(app, login_as, make_staff, burst):
    client = login_as(make_staff(region=PALOPO))
    page = client.get(f"/koordinator/wilayah/{PALOPO}/tanda").get_data(as_text=True)
    assert "Lonjakan catatan belanja di satu toko" in page and "Warung Lonjakan" in page
    key = re.search(r'name="tanda" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(f"/koordinator/wilayah/{PALOPO}/tanda/tinjau", data={"tanda": key, "catatan": "Bazar kantor"})
    assert response.status_code == 302
    page = client.get(f"/koordinator/wilayah/{PALOPO}/tanda").get_data(as_text=True)
    assert "Ditinjau" in page and "Bazar kantor" in page and "Tandai sudah ditinjau" not in page


def test_flag_pages_are_for_the_region_coordinator_and_admin_only(app, login_as, make_staff, make_asn, burst):
    assert login_as(make_staff(region="73.71")).get(f"/koordinator/wilayah/{PALOPO}/tanda").status_code == 403
    assert login_as(make_asn()).get(f"/koordinator/wilayah/{PALOPO}/batal-massal").status_code == 403
    assert login_as(make_staff(role="admin")).get(f"/koordinator/wilayah/{PALOPO}/tanda").status_code == 200
    assert login_as(None).get(f"/koordinator/wilayah/{PALOPO}/tanda").status_code == 302


def test_bulk_void_dry_run_then_apply_then_undo(app, login_as, make_staff, burst, fetch, tallies_agree):
    shop, ids = burst
    client = login_as(make_staff(region=PALOPO))
    url = f"/koordinator/wilayah/{PALOPO}/batal-massal?toko={shop}&status=reported"
    page = client.get(url).get_data(as_text=True)
    assert "Akan dibatalkan: 3 belanja senilai Rp300.003" in page
    assert [fetch(Purchase, i).status for i in ids] == ["reported"] * 3  # the dry run changed nothing
    response = client.post(url, data={"alasan": "Toko fiktif, pembeli tidak dikenal"})
    assert response.status_code == 302
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 senilai Rp300.003" in detail and "Toko fiktif" in detail
    assert [fetch(Purchase, i).status for i in ids] == ["voided"] * 3
    tallies_agree()
    undo = re.search(r'action="(/koordinator/batal-massal/\d+/urungkan)"', detail).group(1)
    assert client.post(undo).status_code == 302
    assert [fetch(Purchase, i).status for i in ids] == ["reported"] * 3
    tallies_agree()


def test_bulk_void_needs_a_reason(app, login_as, make_staff, burst, fetch):
    shop, ids = burst
    client = login_as(make_staff(region=PALOPO))
    page = client.post(f"/koordinator/wilayah/{PALOPO}/batal-massal?toko={shop}", data={"alasan": ""})
    assert page.status_code == 200 and "Tuliskan alasan pembatalan" in page.get_data(as_text=True)
    assert fetch(Purchase, ids[0]).status == "reported"


def test_bulk_void_by_flag_lists_the_flags_purchases(app, login_as, make_staff, burst):
    client = login_as(make_staff(region=PALOPO))
    flags = client.get(f"/koordinator/wilayah/{PALOPO}/tanda").get_data(as_text=True)
    link = re.search(r'href="(/koordinator/wilayah/73.73/batal-massal\?tanda=[^"]+)"', flags).group(1)
    page = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Akan dibatalkan: 3 belanja" in page and page.count("Warung Lonjakan") == 3


def test_region_page_links_to_the_trust_pages(app, login_as, make_staff):
    page = login_as(make_staff(region=PALOPO)).get(f"/wilayah/{PALOPO}").get_data(as_text=True)
    assert f"/koordinator/wilayah/{PALOPO}/tanda" in page and f"/koordinator/wilayah/{PALOPO}/batal-massal" in page


def test_other_coordinator_cannot_see_or_undo_a_bulk_void(app, login_as, make_staff, burst):
    shop, _ = burst
    client = login_as(make_staff(region=PALOPO))
    response = client.post(f"/koordinator/wilayah/{PALOPO}/batal-massal?toko={shop}", data={"alasan": "Toko fiktif"})
    other = login_as(make_staff(region="73.71"))
    assert other.get(response.headers["Location"]).status_code == 403
    assert other.post(response.headers["Location"] + "/urungkan").status_code == 403


@pytest.mark.parametrize("query, error", [
    ("toko=abc", "Harus berupa bilangan bulat."),
    ("toko=0", "Angka harus antara 1 dan 2147483647."),
    ("dari=kemarin", "Tanggal tidak valid; gunakan format TTTT-BB-HH"),
    ("status=voided", "Pilihan tidak valid."),
    ("tanda=nonsense", "Tanda tidak dikenal."),
    (f"dari={province_today()}&sampai=2020-01-01", "Tanggal awal setelah tanggal akhir."),
], ids=["toko-abc", "toko-0", "dari-kemarin", "status-voided", "tanda-nonsense", "dari-after-sampai"])
def test_bad_selection_values_are_form_errors_not_500(app, login_as, make_staff, burst, fetch, query, error):
    client = login_as(make_staff(region=PALOPO))
    response = client.get(f"/koordinator/wilayah/{PALOPO}/batal-massal?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and error in page
    assert "Akan dibatalkan" not in page  # no preview of a selection that is not valid
    response = client.post(f"/koordinator/wilayah/{PALOPO}/batal-massal?{query}", data={"alasan": "Toko fiktif"})
    assert response.status_code == 200 and error in response.get_data(as_text=True)
    assert [fetch(Purchase, i).status for i in burst[1]] == ["reported"] * 3


def test_coordinator_home_counts_flags_not_yet_reviewed(app, login_as, make_staff, burst):
    page = login_as(make_staff(region=PALOPO)).get("/koordinator/").get_data(as_text=True)
    assert "Tanda kewajaran (1 belum ditinjau)" in page
