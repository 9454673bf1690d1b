"""The training pages as owners, coordinators and the public use them."""
from datetime import timedelta
from io import BytesIO

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import select, update

from campaign.core.extensions import db
from campaign.domains.training.models import Training, TrainingSeat
from campaign.util.formatting import utcnow


@pytest.fixture
def training(make_staff, make_training):
    """An online training in Kota Palopo, three days ahead, with two seats, published by its coordinator."""
    coordinator = make_staff(region="73.73")
    return {"id": make_training(by=coordinator, capacity=2), "coordinator": coordinator}


def _started(app, training_id):
    with app.app_context():
        db.session.execute(update(Training).where(Training.id == training_id).values(
            starts_at=utcnow() - timedelta(hours=2), ends_at=utcnow() - timedelta(hours=1)))
        db.session.commit()


def test_the_public_list_shows_upcoming_trainings_with_seats_left(client, training):
    page = client.get("/pelatihan").get_data(as_text=True)
    assert "Katalog WhatsApp untuk Warung" in page and "Sisa 2 dari 2 kursi" in page
    assert "Katalog WhatsApp" in client.get("/pelatihan?wilayah=73.73").get_data(as_text=True)
    assert "Belum ada pelatihan" in client.get("/pelatihan?wilayah=73.71").get_data(as_text=True)


def test_ended_trainings_leave_the_public_list(app, client, training):
    _started(app, training["id"])
    assert "Katalog WhatsApp" not in client.get("/pelatihan").get_data(as_text=True)


def test_an_owner_with_one_shop_signs_up_with_one_tap(app, training, make_owner, make_shop, login_as, fetch):
    owner = make_owner()
    shop = make_shop(owner=owner, name="Warung Bu Hasnah")
    browser = login_as(owner)
    page = browser.get(f"/pelatihan/{training['id']}").get_data(as_text=True)
    assert "Daftar dengan toko Warung Bu Hasnah" in page
    response = browser.post(f"/pelatihan/{training['id']}/daftar", data={"shop_id": shop}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Terdaftar di pelatihan" in text and "Warung Bu Hasnah</strong> sudah terdaftar" in text
    assert "https://meet.example.id/katalog" in text  # the link is shown to those with a seat
    assert [s.status for s in fetch(select(TrainingSeat))] == ["registered"]
    assert "Katalog WhatsApp untuk Warung" in browser.get("/pelatihan/saya").get_data(as_text=True)


def test_the_link_is_not_public(client, training):
    assert "meet.example.id" not in client.get(f"/pelatihan/{training['id']}").get_data(as_text=True)


def test_a_full_training_says_so(app, training, make_owner, make_shop, login_as):
    for _ in range(2):
        owner = make_owner()
        login_as(owner).post(f"/pelatihan/{training['id']}/daftar", data={"shop_id": make_shop(owner=owner)})
    late = make_owner()
    make_shop(owner=late)
    page = login_as(late).get(f"/pelatihan/{training['id']}").get_data(as_text=True)
    assert "Kursi sudah penuh" in page


def test_cancel_gives_the_seat_back(app, training, make_owner, make_shop, login_as, fetch):
    owner = make_owner()
    shop = make_shop(owner=owner)
    browser = login_as(owner)
    browser.post(f"/pelatihan/{training['id']}/daftar", data={"shop_id": shop})
    text = browser.post(f"/pelatihan/{training['id']}/batal", data={"shop_id": shop},
                        follow_redirects=True).get_data(as_text=True)
    assert "Pendaftaran dibatalkan" in text
    assert fetch(Training, training["id"]).seats_taken == 0


def test_someone_elses_shop_cannot_be_signed_up(app, training, make_owner, make_shop, login_as, fetch):
    shop = make_shop()
    browser = login_as(make_owner())
    response = browser.post(f"/pelatihan/{training['id']}/daftar", data={"shop_id": shop}, follow_redirects=True)
    assert "Pilih dari daftar." in response.get_data(as_text=True)
    assert fetch(select(TrainingSeat)) == []


def test_anonymous_visitors_are_asked_to_log_in(client, training):
    assert "Masuk untuk mendaftar" in client.get(f"/pelatihan/{training['id']}").get_data(as_text=True)
    response = client.post(f"/pelatihan/{training['id']}/daftar", data={"shop_id": 1})
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_calendar_file_is_valid_icalendar_in_utc(client, training):
    response = client.get(f"/pelatihan/{training['id']}/kalender.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Katalog WhatsApp untuk Warung"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.utcoffset() == timedelta(0) and end - start == timedelta(minutes=90)
    assert str(event["UID"]).startswith(f"pelatihan-{training['id']}@")


def test_coordinator_publishes_from_the_form(app, make_staff, login_as, fetch):
    browser = login_as(make_staff(region="73.22"))
    page = browser.get("/pelatihan/baru").get_data(as_text=True)
    assert "Kabupaten Luwu Utara" in page and "Seluruh Sulawesi Selatan" not in page
    day = (utcnow() + timedelta(days=10)).date().isoformat()
    response = browser.post("/pelatihan/baru", data={
        "title": "Pembukuan Sederhana", "topic": "keuangan", "mode": "offline", "place": "Aula Kantor Bupati",
        "day": day, "start_time": "09:00", "duration_minutes": "180", "capacity": "40", "region": "73.22"})
    assert response.status_code == 302
    training = fetch(select(Training))[0]
    assert (training.title, training.capacity, training.place) == ("Pembukuan Sederhana", 40, "Aula Kantor Bupati")


def test_the_publish_form_shows_errors_in_indonesian(make_staff, login_as):
    browser = login_as(make_staff(region="73.73"))
    page = browser.post("/pelatihan/baru", data={"title": "", "topic": "keuangan", "mode": "online",
                                                "online_url": "bukan-tautan", "day": "2020-01-01",
                                                "start_time": "09:00", "duration_minutes": "60",
                                                "capacity": "10", "region": "73.73"}).get_data(as_text=True)
    assert "Wajib diisi." in page


def test_the_service_errors_land_on_the_form(make_staff, login_as):
    browser = login_as(make_staff(region="73.73"))
    page = browser.post("/pelatihan/baru", data={"title": "Kemasan", "topic": "kemasan", "mode": "online",
                                                "online_url": "bukan-tautan", "day": "2020-01-01",
                                                "start_time": "09:00", "duration_minutes": "60",
                                                "capacity": "10", "region": "73.73"}).get_data(as_text=True)
    assert "harus diawali http" in page


def test_owners_and_asn_cannot_publish_or_see_attendance(training, make_owner, make_asn, login_as):
    for person in (make_owner(), make_asn()):
        browser = login_as(person)
        assert browser.get("/pelatihan/baru").status_code == 403
        assert browser.get(f"/pelatihan/{training['id']}/kehadiran").status_code == 403


def test_another_regions_coordinator_cannot_mark_attendance(training, make_staff, login_as):
    browser = login_as(make_staff(region="73.71"))
    assert browser.get(f"/pelatihan/{training['id']}/kehadiran").status_code == 403
    assert browser.get(f"/pelatihan/{training['id']}/kehadiran.xlsx").status_code == 403


def test_attendance_marked_shows_on_the_shop_page(app, client, training, make_owner, make_shop, login_as):
    owner = make_owner()
    shop = make_shop(owner=owner)
    login_as(owner).post(f"/pelatihan/{training['id']}/daftar", data={"shop_id": shop})
    _started(app, training["id"])
    coordinator = login_as(training["coordinator"])
    response = coordinator.post(f"/pelatihan/{training['id']}/kehadiran", data={"attended": [str(shop)]},
                                follow_redirects=True)
    assert "1 hadir, 0 tidak hadir" in response.get_data(as_text=True)
    assert "Ikut 1 pelatihan" in client.get(f"/toko/{shop}").get_data(as_text=True)


def test_attendance_downloads_as_excel_with_text_kept_as_text(app, training, make_owner, make_shop, login_as):
    owner = make_owner(name="=HYPERLINK(\"http://contoh.id\",\"klik\")")
    login_as(owner).post(f"/pelatihan/{training['id']}/daftar",
                         data={"shop_id": make_shop(owner=owner, name="+Warung Plus")})
    response = login_as(training["coordinator"]).get(f"/pelatihan/{training['id']}/kehadiran.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[3][:3] == ("Toko", "Wilayah", "Pemilik")
    shop_name, _, owner_name, _, status = rows[4]
    assert shop_name == "'+Warung Plus" and owner_name.startswith("'=HYPERLINK") and status == "Terdaftar"


def test_seed_demo_has_trainings_to_show(app, runner, client):
    assert runner.invoke(args=["seed-demo", "--asn", "30", "--shops", "60", "--purchases", "100"]).exit_code == 0
    page = client.get("/pelatihan").get_data(as_text=True)
    assert "Produksi APD sesuai standar kesehatan" in page and "Seluruh Sulawesi Selatan" in page
    assert "Jualan lewat WhatsApp Business" not in page  # held two weeks ago
    with app.app_context():
        attended = db.session.scalars(select(TrainingSeat.shop_id).where(TrainingSeat.status == "attended")).all()
    assert attended and "Ikut 1 pelatihan" in client.get(f"/toko/{attended[0]}").get_data(as_text=True)
    assert runner.invoke(args=["check-tallies"]).exit_code == 0
