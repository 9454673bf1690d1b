"""The province admin's campaign page: who may open it, creating a campaign, validation, audit."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from campaign.core.audit import AuditEvent
from campaign.core.errors import Conflict, PermissionDenied
from campaign.core.extensions import db
from campaign.domains.auth.models import User
from campaign.domains.regions import services as regions
from campaign.domains.regions.models import Campaign
from helpers import csrf_token, province_today

DEFAULT_LETTER = "4432/3004/JK/UMKM"
DEFAULT_START = date(2020, 5, 4)


@pytest.fixture
def default_campaign_since_2020(app):
    """The default campaign, moved back to its real 2020 start, so a later one can overtake it."""
    with app.app_context():
        db.session.execute(update(Campaign).values(starts_on=DEFAULT_START))
        db.session.commit()


@pytest.fixture
def admin(make_staff):
    return make_staff(role="admin", name="Admin Diskop")


def form_data(**overrides) -> dict:
    start = province_today() - timedelta(days=10)
    data = {"name": "Belanja Warung Tetangga Gelombang II", "appeal_letter_number": "500/1234/DKUKM",
            "appeal_letter_date": (start - timedelta(days=3)).isoformat(),
            "issuing_office": "Gubernur Sulawesi Selatan", "starts_on": start.isoformat(), "ends_on": ""}
    return {**data, **overrides}


def campaign_names(fetch) -> list[str]:
    return sorted(c.name for c in fetch(select(Campaign)))


def test_admin_creates_a_campaign_with_csrf(csrf_app, admin, default_campaign_since_2020, fetch):
    client = csrf_app.test_client()
    client.post("/masuk", data={"login": admin.login, "password": admin.password,
                                "csrf_token": csrf_token(client, "/masuk")})
    page = client.get("/admin/kampanye").get_data(as_text=True)
    for label in ("Nama kampanye", "Nomor surat imbauan", "Tanggal surat", "Penerbit surat", "Mulai",
                  "Selesai (opsional)", 'type="date"'):
        assert label in page
    end = province_today() + timedelta(days=60)
    data = form_data(ends_on=end.isoformat(), csrf_token=csrf_token(client, "/admin/kampanye"))
    response = client.post("/admin/kampanye", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/kampanye"

    page = client.get("/admin/kampanye").get_data(as_text=True)
    assert "Kampanye dibuat." in page
    assert "Surat imbauan No. 500/1234/DKUKM" in page and "Gubernur Sulawesi Selatan" in page
    campaign = fetch(select(Campaign).where(Campaign.appeal_letter_number == "500/1234/DKUKM"))[0]
    assert (campaign.name, campaign.starts_on, campaign.ends_on) == (
        "Belanja Warung Tetangga Gelombang II", province_today() - timedelta(days=10), end)
    assert campaign.appeal_letter_date == province_today() - timedelta(days=13)
    event = fetch(select(AuditEvent).where(AuditEvent.action == "campaign.created"))[0]
    assert (event.actor_id, event.entity_type, event.entity_id) == (admin.id, "campaign", campaign.id)
    assert event.before is None
    assert event.after["appeal_letter_number"] == "500/1234/DKUKM"
    assert event.after["ends_on"] == end.isoformat()


def test_post_without_csrf_token_is_refused(csrf_app, admin, fetch):
    client = csrf_app.test_client()
    client.post("/masuk", data={"login": admin.login, "password": admin.password,
                                "csrf_token": csrf_token(client, "/masuk")})
    assert client.post("/admin/kampanye", data=form_data()).status_code == 400
    assert campaign_names(fetch) == ["Gerakan Belanja di Warung Tetangga"]


@pytest.mark.parametrize("overrides, field_error", [
    ({"name": ""}, "Wajib diisi."),
    ({"name": "   "}, "Wajib diisi."),
    ({"name": "x" * 161}, "Maksimal 160 karakter."),
    ({"issuing_office": ""}, "Wajib diisi."),
    ({"appeal_letter_date": ""}, "Wajib diisi."),
    ({"starts_on": "2026-02-30"}, "Tanggal tidak valid"),
    ({"ends_on": "besok"}, "Tanggal tidak valid"),
    ({"starts_on": "2027-03-10", "ends_on": "2027-03-09"}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
    ({"appeal_letter_number": DEFAULT_LETTER, "starts_on": DEFAULT_START.isoformat()},
     "Sudah ada kampanye dengan nomor surat imbauan dan tanggal mulai yang sama."),
    ({"appeal_letter_number": f"  {DEFAULT_LETTER} ", "starts_on": "04/05/2020"},
     "Sudah ada kampanye dengan nomor surat imbauan dan tanggal mulai yang sama."),
])
def test_invalid_campaign_shows_the_error_and_keeps_the_input(login_as, admin, default_campaign_since_2020,
                                                              fetch, overrides, field_error):
    data = form_data(**overrides)
    response = login_as(admin).post("/admin/kampanye", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert field_error in page and 'class="field has-error"' in page
    for typed in data.values():
        assert not typed.strip() or f'value="{typed}"' in page  # what was typed stays in the form
    assert campaign_names(fetch) == ["Gerakan Belanja di Warung Tetangga"]
    assert fetch(select(AuditEvent).where(AuditEvent.action == "campaign.created")) == []


def test_a_race_on_the_unique_letter_and_start_is_a_conflict(app, admin, default_campaign_since_2020,
                                                             monkeypatch, fetch):
    monkeypatch.setattr(regions, "_campaign_exists", lambda *args: False)  # as if a twin request won
    with app.app_context():
        actor = db.session.get(User, admin.id)
        with pytest.raises(Conflict) as caught:
            regions.create_campaign(actor=actor, name="Kembar", appeal_letter_number=DEFAULT_LETTER,
                                    appeal_letter_date=date(2020, 4, 30), issuing_office="Gubernur",
                                    starts_on=DEFAULT_START)
    assert caught.value.fields == {"appeal_letter_number": [
        "Sudah ada kampanye dengan nomor surat imbauan dan tanggal mulai yang sama."]}
    assert campaign_names(fetch) == ["Gerakan Belanja di Warung Tetangga"]


def test_only_admins_may_create_campaigns_in_the_service(app, make_staff):
    coordinator = make_staff(region="73.73")
    with app.app_context():
        with pytest.raises(PermissionDenied):
            regions.create_campaign(actor=db.session.get(User, coordinator.id), name="Liar",
                                    appeal_letter_number="1/2/3", appeal_letter_date=date(2026, 1, 1),
                                    issuing_office="Siapa saja", starts_on=date(2026, 1, 2))


@pytest.mark.parametrize("method, path", [("get", "/admin/"), ("get", "/admin/kampanye"),
                                          ("post", "/admin/kampanye")])
def test_only_admins_may_open_the_admin_pages(login_as, make_asn, make_owner, make_staff, fetch, method, path):
    for person in (make_staff(region="73.73"), make_asn(), make_owner()):
        response = getattr(login_as(person), method)(path, data=form_data())
        assert response.status_code == 403 and "Akses ditolak" in response.get_data(as_text=True)
    response = getattr(login_as(None), method)(path, data=form_data())
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk")
    assert campaign_names(fetch) == ["Gerakan Belanja di Warung Tetangga"]


def test_admin_link_in_the_nav_only_for_admins(login_as, admin, make_staff):
    assert 'href="/admin/"' in login_as(admin).get("/").get_data(as_text=True)
    assert 'href="/admin/"' not in login_as(make_staff(region="73.73")).get("/").get_data(as_text=True)
    page = login_as(admin).get("/admin/").get_data(as_text=True)
    assert 'href="/admin/kampanye"' in page and 'href="/admin/koordinator"' in page


@pytest.mark.parametrize("starts_in_days, ends_in_days, becomes_current", [
    (-10, None, True),   # started after the default campaign and still running
    (-10, 30, True),
    (0, 0, True),        # a one-day campaign, today
    (1, None, False),    # not started yet
    (-30, -1, False),    # already over
])
def test_a_later_running_campaign_becomes_current(app, login_as, admin, default_campaign_since_2020,
                                                  starts_in_days, ends_in_days, becomes_current):
    today = province_today()
    end = (today + timedelta(days=ends_in_days)).isoformat() if ends_in_days is not None else ""
    client = login_as(admin)
    response = client.post("/admin/kampanye", data=form_data(
        starts_on=(today + timedelta(days=starts_in_days)).isoformat(), ends_on=end))
    assert response.status_code == 302

    expected = "Belanja Warung Tetangga Gelombang II" if becomes_current else "Gerakan Belanja di Warung Tetangga"
    with app.app_context():
        assert regions.current_campaign().name == expected
    standings = login_as(None).get("/peringkat").get_data(as_text=True)
    letter = "500/1234/DKUKM" if becomes_current else DEFAULT_LETTER
    assert f"surat imbauan No. {letter}" in standings
    page = client.get("/admin/kampanye").get_data(as_text=True)
    assert page.count("Kampanye saat ini</span>") == 1
    current_entry = page.split("Kampanye saat ini</span>")[0].rsplit('<li class="entry">', 1)[1]
    assert expected in current_entry
