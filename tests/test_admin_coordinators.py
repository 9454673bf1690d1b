"""The province admin appoints, moves and removes coordinators; access follows at once; all audited."""
import re

import pytest
from sqlalchemy import select

from campaign.core.audit import AuditEvent
from campaign.core.errors import PermissionDenied
from campaign.core.extensions import db
from campaign.domains.auth import services as accounts
from campaign.domains.auth.models import AsnProfile, User
from campaign.domains.regions.models import Region
from helpers import csrf_token


@pytest.fixture
def admin(make_staff):
    return make_staff(role="admin", name="Admin Diskop")


def role_events(fetch, user_id: int) -> list[AuditEvent]:
    return fetch(select(AuditEvent).where(AuditEvent.action == "user.role_changed", AuditEvent.entity_type == "user",
                                          AuditEvent.entity_id == user_id).order_by(AuditEvent.id))


def region_id(fetch, code: str) -> int:
    return fetch(select(Region).where(Region.code == code))[0].id


def region_entry(page: str, name: str) -> str:
    """The roster card of one region, e.g. ``Kota Makassar``."""
    match = re.search(rf'<li class="entry">\s*<strong>{name}</strong>.*?</li>', page, re.S)
    assert match, name
    return match.group(0)


def access(client) -> dict[str, int]:
    return {path: client.get(path).status_code
            for path in ("/koordinator/", "/wilayah/73.71/unduh.xlsx", "/wilayah/73.73/unduh.xlsx")}


def test_appoint_move_and_remove_an_asn(csrf_app, admin, make_asn, fetch):
    asn = make_asn(name="Andi Baso", region="73.71")
    asn_client = csrf_app.test_client()
    asn_client.post("/masuk", data={"login": asn.login, "password": asn.password,
                                    "csrf_token": csrf_token(asn_client, "/masuk")})
    assert access(asn_client) == {"/koordinator/": 403, "/wilayah/73.71/unduh.xlsx": 403,
                                  "/wilayah/73.73/unduh.xlsx": 403}
    client = csrf_app.test_client()
    client.post("/masuk", data={"login": admin.login, "password": admin.password,
                                "csrf_token": csrf_token(client, "/masuk")})

    response = client.post("/admin/koordinator", data={
        "login": asn.login.upper(), "region_code": "73.71", "csrf_token": csrf_token(client, "/admin/koordinator")})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/koordinator"
    page = client.get("/admin/koordinator").get_data(as_text=True)
    assert "Andi Baso kini koordinator Kota Makassar." in page
    assert "Andi Baso" in region_entry(page, "Kota Makassar") and "Cabut" in region_entry(page, "Kota Makassar")
    assert fetch(User, asn.id).coordinator_region_id == region_id(fetch, "73.71")
    assert access(asn_client) == {"/koordinator/": 200, "/wilayah/73.71/unduh.xlsx": 200,
                                  "/wilayah/73.73/unduh.xlsx": 403}

    response = client.post("/admin/koordinator", data={
        "login": asn.login, "region_code": "73.73", "csrf_token": csrf_token(client, "/admin/koordinator")},
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Andi Baso kini koordinator Kota Palopo." in page
    assert "Andi Baso" in region_entry(page, "Kota Palopo")
    assert "Andi Baso" not in region_entry(page, "Kota Makassar")
    assert access(asn_client) == {"/koordinator/": 200, "/wilayah/73.71/unduh.xlsx": 403,
                                  "/wilayah/73.73/unduh.xlsx": 200}

    response = client.post(f"/admin/koordinator/{asn.id}/cabut",
                           data={"csrf_token": csrf_token(client, "/admin/koordinator")}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Andi Baso tidak lagi menjadi koordinator." in page and "Andi Baso" not in region_entry(page, "Kota Palopo")
    assert fetch(User, asn.id).coordinator_region_id is None
    assert [p.user_id for p in fetch(select(AsnProfile).where(AsnProfile.user_id == asn.id))] == [asn.id]  # still ASN
    assert access(asn_client) == {"/koordinator/": 403, "/wilayah/73.71/unduh.xlsx": 403,
                                  "/wilayah/73.73/unduh.xlsx": 403}

    events = role_events(fetch, asn.id)
    assert [(e.actor_id, e.before, e.after) for e in events] == [
        (admin.id, {"coordinator_region": None}, {"coordinator_region": "73.71"}),
        (admin.id, {"coordinator_region": "73.71"}, {"coordinator_region": "73.73"}),
        (admin.id, {"coordinator_region": "73.73"}, {"coordinator_region": None}),
    ]
    assert [e.region_id for e in events] == [region_id(fetch, c) for c in ("73.71", "73.73", "73.73")]


def test_roster_lists_all_24_regions(login_as, admin, make_staff):
    make_staff(region="73.73", name="Koordinator Palopo")
    page = login_as(admin).get("/admin/koordinator").get_data(as_text=True)
    assert page.count('<li class="entry">') == 24
    assert page.count("belum ada") == 23
    assert "Koordinator Palopo" in region_entry(page, "Kota Palopo")
    assert "belum ada" in region_entry(page, "Kabupaten Kepulauan Selayar")
    options = re.findall(r'<option value="(73\.\d\d)"', page)
    assert len(options) == 24 and options[0] == "73.01" and options[-1] == "73.73"


@pytest.mark.parametrize("login, region, message", [
    ("tidak.ada@example.id", "73.71", "Tidak ada akun dengan e-mail atau nomor ini."),
    ("0812-9999-0000", "73.71", "Tidak ada akun dengan e-mail atau nomor ini."),
    ("bukan login", "73.71", "Tidak ada akun dengan e-mail atau nomor ini."),
    ("", "73.71", "Wajib diisi."),
    ("{asn}", "", "Wajib diisi."),
    ("{asn}", "99.99", "Pilih dari daftar."),
    ("{asn}", "73.72", "ASN Koordinator sudah koordinator Kota Parepare."),
])
def test_appoint_errors_show_on_the_form(login_as, admin, make_asn, fetch, login, region, message):
    asn = make_asn(name="ASN Koordinator")
    client = login_as(admin)
    client.post("/admin/koordinator", data={"login": asn.login, "region_code": "73.72"})
    events_before = len(role_events(fetch, asn.id))
    response = client.post("/admin/koordinator", data={"login": login.format(asn=asn.login), "region_code": region})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and 'class="field has-error"' in page
    assert f'value="{login.format(asn=asn.login)}"' in page
    assert fetch(User, asn.id).coordinator_region_id == region_id(fetch, "73.72")
    assert len(role_events(fetch, asn.id)) == events_before == 1


def test_remove_refuses_a_non_coordinator_and_an_unknown_user(login_as, admin, make_asn, fetch):
    asn = make_asn(name="Bukan Koordinator")
    client = login_as(admin)
    page = client.post(f"/admin/koordinator/{asn.id}/cabut", follow_redirects=True).get_data(as_text=True)
    assert "Bukan Koordinator bukan koordinator kabupaten/kota." in page
    page = client.post("/admin/koordinator/999999/cabut", follow_redirects=True).get_data(as_text=True)
    assert "Pengguna tidak ditemukan." in page
    assert role_events(fetch, asn.id) == []


def test_removing_an_admins_region_leaves_them_admin(login_as, admin, make_staff, fetch):
    other_admin = make_staff(role="admin", name="Admin Kedua")
    client = login_as(admin)
    client.post("/admin/koordinator", data={"login": other_admin.login, "region_code": "73.01"})
    client.post(f"/admin/koordinator/{other_admin.id}/cabut")
    client.post("/admin/koordinator", data={"login": admin.login, "region_code": "73.02"})
    client.post(f"/admin/koordinator/{admin.id}/cabut")
    for person in (admin, other_admin):
        user = fetch(User, person.id)
        assert user.is_admin and user.coordinator_region_id is None
    assert len(role_events(fetch, other_admin.id)) == len(role_events(fetch, admin.id)) == 2
    assert login_as(admin).get("/admin/koordinator").status_code == 200


def test_a_coordinator_cannot_appoint_in_the_service(app, make_staff, make_asn):
    coordinator, asn = make_staff(region="73.73"), make_asn()
    with app.app_context():
        actor = db.session.get(User, coordinator.id)
        with pytest.raises(PermissionDenied):
            accounts.appoint_coordinator(actor=actor, login=asn.login, region_code="73.73")
        with pytest.raises(PermissionDenied):
            accounts.remove_coordinator(actor=actor, user_id=coordinator.id)


@pytest.mark.parametrize("method, path", [("get", "/admin/koordinator"), ("post", "/admin/koordinator"),
                                          ("post", "/admin/koordinator/{coordinator}/cabut")])
def test_only_admins_may_manage_coordinators(login_as, make_asn, make_owner, make_staff, fetch, method, path):
    coordinator = make_staff(region="73.73")
    target = make_asn()
    path = path.format(coordinator=coordinator.id)
    data = {"login": target.login, "region_code": "73.71"}
    for person in (coordinator, target, make_owner()):
        response = getattr(login_as(person), method)(path, data=data)
        assert response.status_code == 403 and "Akses ditolak" in response.get_data(as_text=True)
    response = getattr(login_as(None), method)(path, data=data)
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk")
    assert fetch(User, coordinator.id).coordinator_region_id == region_id(fetch, "73.73")
    assert fetch(User, target.id).coordinator_region_id is None
    assert fetch(select(AuditEvent).where(AuditEvent.action == "user.role_changed")) == []
