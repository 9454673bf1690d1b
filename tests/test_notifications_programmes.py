"""Notifications for the programmes (needs board, buyer organisations, trainings): the right
person hears, in the app and by e-mail through a real SMTP server on 127.0.0.1; the coordinator's
badge counts organisations waiting; the lower domains announce through signals, never by
importing notifications."""
from __future__ import annotations

import ast
from datetime import time, timedelta
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from icalendar import Calendar
from helpers import badge, province_time, province_today, user
from sqlalchemy import select, update

from campaign.core.extensions import db
from campaign.domains.notifications.models import Notification
from campaign.domains.training import services as training_services
from campaign.domains.training.models import Training, TrainingSeat
from campaign.util.formatting import as_utc, tanggal, utcnow



@pytest.fixture
def app_config(mail_config):
    """E-mail goes to the ``smtp`` sink (smtp_sink.py) when a test asks for it."""
    return mail_config


def heard(fetch, person, about: str = "") -> list[tuple[str, str]]:
    """(kind, message) of the person's notifications whose kind starts with ``about``."""
    return [(n.kind, n.message) for n in fetch(select(Notification).where(Notification.user_id == person.id)
                                               .order_by(Notification.id)) if n.kind.startswith(about)]


def kinds(fetch, person, about: str = "") -> list[str]:
    return [kind for kind, _ in heard(fetch, person, about)]


def mails_to(smtp, address: str) -> list[tuple[str, str]]:
    """(subject, body) of every message to ``address``."""
    return [(str(make_header(decode_header(m["Subject"]))), m.get_payload(decode=True).decode())
            for to, m in smtp.messages if to == [address]]


# --- the needs board -----------------------------------------------------------------------

@pytest.fixture
def buyer_owner(make_owner):
    return make_owner(login="yayasan@example.id", name="Ibu Rahma")


@pytest.fixture
def need(make_buyer, make_need, buyer_owner):
    """A need for 60 APD from a verified organisation whose owner has an e-mail address."""
    return make_need(quantity=60, buyer=make_buyer(owner=buyer_owner))[1]


def test_the_organisation_hears_of_each_offer_in_the_app_and_by_mail(smtp, need, make_offer, buyer_owner, fetch):
    shop_owner, _ = make_offer(need, quantity=60, unit_price=95_000)
    [(kind, message)] = heard(fetch, buyer_owner, "offer.")
    assert kind == "offer.received"
    assert "Penawaran baru dari Warung Uji" in message and "60 potong @ Rp95.000" in message
    [(subject, body)] = [m for m in mails_to(smtp, "yayasan@example.id") if m[0].startswith("Penawaran")]
    assert subject == "Penawaran masuk · Belanja Warung Tetangga"
    assert "Halo Ibu Rahma" in body and f"/kebutuhan/{need}" in body
    assert kinds(fetch, shop_owner, "offer.") == []  # the shop that offered is not told of its own offer


def test_accepting_tells_the_chosen_shop_and_declines_the_others(smtp, need, make_offer, buyer_owner,
                                                                 login_as, fetch):
    chosen, chosen_offer = make_offer(need, quantity=60, unit_price=90_000)
    other, _ = make_offer(need, quantity=40)
    response = login_as(buyer_owner).post(f"/penawaran/{chosen_offer}/terima", data={})
    assert response.status_code == 302
    [(_, accepted)] = [h for h in heard(fetch, chosen) if h[0] == "offer.accepted"]
    assert "diterima: 60 potong, Rp5.400.000" in accepted and "Hubungi Yayasan Peduli Luwu Raya" in accepted
    [(_, declined)] = [h for h in heard(fetch, other) if h[0] == "offer.declined"]
    assert "tidak dipilih" in declined
    assert "offer.accepted" not in kinds(fetch, other)


def test_closing_a_need_tells_every_waiting_shop(need, make_offer, buyer_owner, login_as, fetch):
    first, _ = make_offer(need)
    second, _ = make_offer(need)
    assert login_as(buyer_owner).post(f"/kebutuhan/{need}/tutup").status_code == 302
    assert "offer.declined" in kinds(fetch, first) and "offer.declined" in kinds(fetch, second)


def test_delivery_recorded_asks_the_shop_and_confirmed_tells_the_organisation(smtp, need, make_owner, make_offer,
                                                                             buyer_owner, login_as, fetch):
    shop_owner, offer = make_offer(need, quantity=60, unit_price=95_000)
    buyer = login_as(buyer_owner)
    buyer.post(f"/penawaran/{offer}/terima", data={})
    assert buyer.post(f"/penawaran/{offer}/terkirim").status_code == 302
    [(_, delivered)] = [h for h in heard(fetch, shop_owner) if h[0] == "offer.delivered"]
    assert "mencatat barang \u201cBaju APD untuk RSUD\u201d sudah diterima" in delivered
    assert "Konfirmasi pengiriman" in delivered
    assert login_as(shop_owner).post(f"/penawaran/{offer}/konfirmasi").status_code == 302
    assert kinds(fetch, buyer_owner, "offer.") == ["offer.received", "offer.completed"]
    assert "Transaksi Rp5.700.000 selesai" in heard(fetch, buyer_owner)[-1][1]
    subjects = [subject for subject, _ in mails_to(smtp, "yayasan@example.id")]
    assert subjects[-1] == "Pengiriman dikonfirmasi toko · Belanja Warung Tetangga"


def test_a_refused_action_tells_nobody(need, make_offer, buyer_owner, login_as, fetch):
    shop_owner, offer = make_offer(need)
    login_as(shop_owner).post(f"/penawaran/{offer}/konfirmasi")  # not delivered yet: Conflict, rolled back
    assert kinds(fetch, buyer_owner, "offer.") == ["offer.received"]


# --- buyer organisations -------------------------------------------------------------------

def test_the_coordinator_hears_of_an_organisation_waiting_and_its_badge_counts_it(
        make_buyer, make_shop, make_staff, login_as, fetch):
    here, elsewhere = make_staff(region="73.73"), make_staff(region="73.71")
    make_buyer(status="pending")
    make_shop(status="pending")
    assert ("buyer.registered", "Lembaga baru menunggu verifikasi: Yayasan Peduli Luwu Raya "
            "(Organisasi sosial).") in heard(fetch, here)
    assert kinds(fetch, elsewhere) == []
    page = login_as(here).get("/koordinator/").get_data(as_text=True)
    assert badge(page, "Koordinator") == "2"  # one shop and one organisation
    assert "toko dan lembaga menunggu verifikasi" in page and "(1 menunggu)" in page
    assert badge(login_as(elsewhere).get("/").get_data(as_text=True), "Koordinator") is None


def test_the_organisation_hears_it_was_verified_in_the_app_and_by_mail(smtp, make_buyer, buyer_owner, make_staff,
                                                                       login_as, fetch):
    _, buyer_id = make_buyer(status="pending", owner=buyer_owner)
    assert login_as(make_staff()).post(f"/koordinator/lembaga/{buyer_id}/verifikasi").status_code == 302
    assert heard(fetch, buyer_owner) == [("buyer.verified", "Lembaga Yayasan Peduli Luwu Raya sudah terverifikasi. "
                                          "Kini Anda dapat memasang kebutuhan.")]
    [(subject, body)] = mails_to(smtp, "yayasan@example.id")
    assert subject == "Lembaga terverifikasi · Belanja Warung Tetangga" and "http://localhost/lembaga/saya" in body


def test_the_organisation_hears_why_it_was_rejected(make_buyer, buyer_owner, make_staff, login_as, fetch):
    _, buyer_id = make_buyer(status="pending", owner=buyer_owner)
    login_as(make_staff()).post(f"/koordinator/lembaga/{buyer_id}/tolak", data={"reason": "Alamat tidak ditemukan"})
    assert heard(fetch, buyer_owner) == [("buyer.rejected", "Lembaga Yayasan Peduli Luwu Raya ditolak. "
                                          "Alasan: Alamat tidak ditemukan")]


# --- trainings -----------------------------------------------------------------------------

@pytest.fixture
def training(app, make_staff):
    """A face-to-face training in Kota Palopo three days ahead, with its coordinator."""
    coordinator = make_staff(region="73.73")
    with app.app_context():
        training = training_services.publish_training(
            actor=user(coordinator), title="Pembukuan Warung", topic="keuangan",
            starts_at=utcnow() + timedelta(days=3), duration_minutes=120, capacity=10, mode="offline",
            place="Aula Dinas Koperasi", region_code="73.73")
        return {"id": training.id, "coordinator": coordinator}


@pytest.fixture
def seated(training, make_owner, make_shop, login_as):
    """An owner (with an e-mail address) who took a seat through the page."""
    owner = make_owner(login="daeng@example.id", name="Daeng Tayang")
    shop_id = make_shop(owner=owner, name="Warung Daeng")
    assert login_as(owner).post(f"/pelatihan/{training['id']}/daftar", data={"shop_id": shop_id}).status_code == 302
    return owner


def _starts_tomorrow_at_nine(app, training_id):
    tomorrow = province_today() + timedelta(days=1)
    starts = as_utc(province_time(tomorrow, time(9, 0)))
    with app.app_context():
        db.session.execute(update(Training).where(Training.id == training_id).values(
            starts_at=starts, ends_at=starts + timedelta(hours=2)))
        db.session.commit()


def test_taking_a_seat_sends_the_when_and_where(smtp, seated, training, fetch):
    [(kind, message)] = [h for h in heard(fetch, seated) if h[0].startswith("training.")]
    assert kind == "training.registered"
    assert message.startswith("Warung Daeng terdaftar di pelatihan \u201cPembukuan Warung\u201d, ")
    assert "WITA, di Aula Dinas Koperasi." in message
    subjects = [subject for subject, _ in mails_to(smtp, "daeng@example.id")]
    assert "Terdaftar di pelatihan · Belanja Warung Tetangga" in subjects


def test_the_reminder_goes_once_the_day_before(smtp, app, runner, seated, training, fetch):
    result = runner.invoke(args=["remind-trainings"])
    assert result.exit_code == 0 and "terkirim: 0" in result.output  # three days ahead: not yet
    _starts_tomorrow_at_nine(app, training["id"])
    assert "terkirim: 1" in runner.invoke(args=["remind-trainings"]).output
    assert "terkirim: 0" in runner.invoke(args=["remind-trainings"]).output  # cron again: nothing twice
    assert [m for k, m in heard(fetch, seated) if k == "training.reminder"] == [
        f"Pengingat: pelatihan \u201cPembukuan Warung\u201d besok, {tanggal(province_today() + timedelta(days=1))} "
        "09.00 WITA, di Aula Dinas Koperasi. Peserta: Warung Daeng."]
    assert [s for s, _ in mails_to(smtp, "daeng@example.id")].count("Pengingat pelatihan besok · Belanja Warung Tetangga") == 1


def test_no_reminder_for_a_seat_given_back(app, runner, seated, training, make_owner, make_shop,
                                                     login_as, fetch):
    _starts_tomorrow_at_nine(app, training["id"])
    with app.app_context():
        db.session.execute(update(TrainingSeat).values(status="cancelled"))
        db.session.execute(update(Training).values(seats_taken=0))
        db.session.commit()
    assert "terkirim: 0" in runner.invoke(args=["remind-trainings"]).output
    assert "training.reminder" not in kinds(fetch, seated)


def test_cancelling_a_training_tells_every_participant_and_frees_the_seats(
        smtp, app, client, seated, training, login_as, fetch, tallies_agree):
    coordinator = login_as(training["coordinator"])
    response = coordinator.post(f"/pelatihan/{training['id']}/dibatalkan",
                                data={"reason": "Narasumber berhalangan hadir"}, follow_redirects=True)
    assert "Pelatihan dibatalkan; setiap peserta sudah diberi tahu." in response.get_data(as_text=True)
    [message] = [m for k, m in heard(fetch, seated) if k == "training.cancelled"]
    assert "\u201cPembukuan Warung\u201d" in message and message.endswith("Alasan: Narasumber berhalangan hadir")
    assert "Pelatihan dibatalkan · Belanja Warung Tetangga" in [s for s, _ in mails_to(smtp, "daeng@example.id")]
    assert fetch(Training, training["id"]).seats_taken == 0
    assert "Pembukuan Warung" not in client.get("/pelatihan").get_data(as_text=True)
    page = login_as(seated).get(f"/pelatihan/{training['id']}").get_data(as_text=True)
    assert "Pelatihan ini dibatalkan penyelenggara." in page and "Narasumber berhalangan hadir" in page
    [event] = Calendar.from_ical(client.get(f"/pelatihan/{training['id']}/kalender.ics").data).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED" and str(event["SUMMARY"]) == "DIBATALKAN: Pembukuan Warung"
    tallies_agree()


def test_a_cancelled_training_takes_no_seat(app, training, seated, make_owner, make_shop, login_as, fetch):
    login_as(training["coordinator"]).post(f"/pelatihan/{training['id']}/dibatalkan", data={"reason": "Banjir"})
    owner = make_owner()
    shop_id = make_shop(owner=owner)
    response = login_as(owner).post(f"/pelatihan/{training['id']}/daftar", data={"shop_id": shop_id},
                                    follow_redirects=True)
    assert "dibatalkan penyelenggara" in response.get_data(as_text=True)
    assert fetch(Training, training["id"]).seats_taken == 0


def test_only_those_who_manage_it_may_cancel(training, seated, make_staff, login_as, fetch):
    other = make_staff(region="73.71")
    login_as(other).post(f"/pelatihan/{training['id']}/dibatalkan", data={"reason": "Bukan urusan saya"})
    login_as(seated).post(f"/pelatihan/{training['id']}/dibatalkan", data={"reason": "Saya pemilik toko"})
    assert fetch(Training, training["id"]).cancelled_at is None
    assert "training.cancelled" not in kinds(fetch, seated)


# --- layering ------------------------------------------------------------------------------

LOWER = ("purchases", "shops", "needs", "buyers", "training")


@pytest.mark.parametrize("domain", LOWER)
def test_lower_domains_never_import_notifications(domain):
    root = Path(__file__).resolve().parent.parent / "campaign" / "domains" / domain
    offenders = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("campaign.domains.notifications")]
    assert offenders == []
