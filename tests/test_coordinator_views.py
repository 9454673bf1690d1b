"""The coordinator's verification queue: who sees what, verify, reject, and the audit trail."""
import re

import pytest
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.domains.shops.models import Shop


@pytest.fixture
def queue(make_shop, make_owner):
    """Pending shops in Palopo and Makassar, plus a verified one in Palopo."""
    return {
        "palopo": make_shop(name="Warung Palopo", region="73.73", status="pending",
                            owner=make_owner(name="Ibu Hasnah")),
        "makassar": make_shop(name="Kios Makassar", region="73.71", status="pending"),
        "verified": make_shop(name="Toko Sudah Lolos", region="73.73"),
    }


def audit_actions(fetch, shop_id: int) -> list[str]:
    events = fetch(select(AuditEvent).where(AuditEvent.entity_type == "shop", AuditEvent.entity_id == shop_id)
                   .order_by(AuditEvent.id))
    return [e.action for e in events]


def test_coordinator_sees_own_region_queue(login_as, make_staff, queue):
    page = login_as(make_staff(region="73.73")).get("/koordinator/").get_data(as_text=True)
    assert "Warung Palopo" in page and "Ibu Hasnah" in page
    for text in ("Warung kelontong/sembako", "Jl. Andi Djemma", "Kec. Wara", "+62 812-3456-7890",
                 "Verifikasi", "Alasan penolakan", "Kota Palopo"):
        assert text in page
    assert "Kios Makassar" not in page and "Toko Sudah Lolos" not in page


@pytest.mark.parametrize("query, shown, hidden", [
    ("", ["Warung Palopo", "Kios Makassar"], ["Toko Sudah Lolos"]),
    ("?wilayah=73.71", ["Kios Makassar"], ["Warung Palopo"]),
    ("?wilayah=73.73", ["Warung Palopo"], ["Kios Makassar"]),
])
def test_admin_sees_every_region_with_a_filter(login_as, make_staff, queue, query, shown, hidden):
    response = login_as(make_staff(role="admin")).get(f"/koordinator/{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert all(name in page for name in shown) and not any(name in page for name in hidden)


def test_admin_unknown_region_is_404(login_as, make_staff):
    assert login_as(make_staff(role="admin")).get("/koordinator/?wilayah=99.99").status_code == 404


@pytest.mark.parametrize("query, expected", [("?wilayah=73.71", 403), ("?wilayah=99.99", 403),
                                             ("?wilayah=73.73", 200), ("", 200)])
def test_coordinator_may_only_open_own_region(login_as, make_staff, query, expected):
    assert login_as(make_staff(region="73.73")).get(f"/koordinator/{query}").status_code == expected


@pytest.mark.parametrize("who", ["asn", "owner"])
def test_non_coordinators_get_403(login_as, make_asn, make_owner, who):
    person = make_asn() if who == "asn" else make_owner()
    client = login_as(person)
    assert client.get("/koordinator/").status_code == 403
    assert client.post("/koordinator/toko/1/verifikasi").status_code == 403
    assert client.post("/koordinator/toko/1/tolak", data={"reason": "Tidak jelas sama sekali"}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/koordinator/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_verify_records_audit(login_as, make_staff, queue, fetch):
    coordinator = make_staff(region="73.73")
    response = login_as(coordinator).post(f"/koordinator/toko/{queue['palopo']}/verifikasi", follow_redirects=True)
    assert "Warung Palopo terverifikasi" in response.get_data(as_text=True)
    shop = fetch(Shop, queue["palopo"])
    assert (shop.status, shop.decided_by_id) == ("verified", coordinator.id)
    event = fetch(select(AuditEvent).where(AuditEvent.action == "shop.verified",
                                           AuditEvent.entity_id == queue["palopo"]))[0]
    assert event.actor_id == coordinator.id and event.before["status"] == "pending"
    assert event.after["status"] == "verified"


def test_reject_records_audit_and_reason(login_as, make_staff, queue, fetch):
    coordinator = make_staff(region="73.73")
    response = login_as(coordinator).post(f"/koordinator/toko/{queue['palopo']}/tolak",
                                          data={"reason": "Nomor WhatsApp tidak aktif"}, follow_redirects=True)
    assert "Warung Palopo ditolak" in response.get_data(as_text=True)
    shop = fetch(Shop, queue["palopo"])
    assert (shop.status, shop.rejection_reason) == ("rejected", "Nomor WhatsApp tidak aktif")
    event = fetch(select(AuditEvent).where(AuditEvent.action == "shop.rejected"))[0]
    assert event.entity_id == queue["palopo"] and event.actor_id == coordinator.id
    assert event.after == {"status": "rejected", "rejection_reason": "Nomor WhatsApp tidak aktif"}


@pytest.mark.parametrize("action, data", [
    ("verifikasi", {}), ("tolak", {"reason": "Alamat tidak ditemukan"}), ("tolak", {"reason": ""}),
])
def test_coordinator_of_another_region_gets_403_and_nothing_changes(login_as, make_staff, queue, fetch,
                                                                    action, data):
    client = login_as(make_staff(region="73.71"))
    response = client.post(f"/koordinator/toko/{queue['palopo']}/{action}", data=data)
    assert response.status_code == 403
    assert fetch(Shop, queue["palopo"]).status == "pending"
    assert audit_actions(fetch, queue["palopo"]) == ["shop.registered"]
    assert client.get(f"/koordinator/toko/{queue['palopo']}/tolak").status_code == 403


@pytest.mark.parametrize("reason", ["", "   ", "Ok"])
def test_reject_needs_a_reason(login_as, make_staff, queue, fetch, reason):
    response = login_as(make_staff(region="73.73")).post(f"/koordinator/toko/{queue['palopo']}/tolak",
                                                         data={"reason": reason, "wilayah": "73.73"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Tuliskan alasan penolakan" in page and "Warung Palopo" in page
    assert fetch(Shop, queue["palopo"]).status == "pending"
    assert audit_actions(fetch, queue["palopo"]) == ["shop.registered"]


def test_reject_page_keeps_what_was_typed(login_as, make_staff, queue):
    client = login_as(make_staff(region="73.73"))
    assert client.get(f"/koordinator/toko/{queue['palopo']}/tolak").status_code == 200
    page = client.post(f"/koordinator/toko/{queue['palopo']}/tolak", data={"reason": "Foto"}).get_data(as_text=True)
    assert re.search(r">\s*Foto</textarea>", page)


def test_verifying_twice_is_a_message(login_as, make_staff, queue, fetch):
    client = login_as(make_staff(region="73.73"))
    client.post(f"/koordinator/toko/{queue['palopo']}/verifikasi")
    response = client.post(f"/koordinator/toko/{queue['palopo']}/verifikasi", follow_redirects=True)
    assert response.status_code == 200
    assert "sudah berstatus terverifikasi" in response.get_data(as_text=True)
    assert audit_actions(fetch, queue["palopo"]) == ["shop.registered", "shop.verified"]


def test_decisions_return_to_the_filtered_queue(login_as, make_staff, queue):
    client = login_as(make_staff(role="admin"))
    response = client.post(f"/koordinator/toko/{queue['makassar']}/verifikasi", data={"wilayah": "73.71"})
    assert response.headers["Location"] == "/koordinator/?wilayah=73.71"
    response = client.post(f"/koordinator/toko/{queue['palopo']}/tolak",
                           data={"reason": "Data belum lengkap", "wilayah": "73.73"})
    assert response.headers["Location"] == "/koordinator/?wilayah=73.73"


def test_unknown_shop_is_404(login_as, make_staff):
    client = login_as(make_staff(region="73.73"))
    assert client.post("/koordinator/toko/999999/verifikasi").status_code == 404
    assert client.post("/koordinator/toko/999999/tolak", data={"reason": "Tidak ada"}).status_code == 404
    assert client.get("/koordinator/toko/999999/verifikasi").status_code == 404


def test_verify_asks_first(login_as, make_staff, queue, fetch):
    client = login_as(make_staff(region="73.73"))
    queue_page = client.get("/koordinator/").get_data(as_text=True)
    assert f'href="/koordinator/toko/{queue["palopo"]}/verifikasi"' in queue_page  # a link, not a one-tap form
    page = client.get(f"/koordinator/toko/{queue['palopo']}/verifikasi?wilayah=73.73").get_data(as_text=True)
    assert "Verifikasi toko ini?" in page and "Warung Palopo" in page and "Ya, verifikasi" in page
    assert 'name="wilayah" type="hidden" value="73.73"' in page
    assert fetch(Shop, queue["palopo"]).status == "pending"  # looking changes nothing
    assert login_as(make_staff(region="73.71")).get(f"/koordinator/toko/{queue['palopo']}/verifikasi").status_code == 403


def test_region_progress_link_when_that_page_exists(app, login_as, make_staff):
    page = login_as(make_staff(region="73.73")).get("/koordinator/").get_data(as_text=True)
    assert "Lihat capaian Kota Palopo" in page and 'href="/wilayah/73.73"' in page


def test_queue_is_paginated_oldest_first(app, login_as, make_staff, make_shop):
    app.config["PER_PAGE"] = 2
    for name in ("Pertama", "Kedua", "Ketiga"):
        make_shop(name=f"Toko {name}", status="pending")
    client = login_as(make_staff(region="73.73"))
    first = client.get("/koordinator/").get_data(as_text=True)
    assert "Toko Pertama" in first and "Toko Kedua" in first and "Toko Ketiga" not in first
    assert "3 toko menunggu verifikasi" in first
    second = client.get("/koordinator/?page=2").get_data(as_text=True)
    assert "Toko Ketiga" in second and "Toko Pertama" not in second
    assert client.get("/koordinator/?page=99999999999999999999999").status_code == 200
