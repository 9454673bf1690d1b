"""E-mail notifications against a real SMTP server on 127.0.0.1 (aiosmtpd): sent only after
the transaction commits, and a mail failure never loses the state change."""
from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from campaign.domains.notifications.models import Notification
from campaign.domains.shops.models import Shop


@pytest.fixture
def app_config(mail_config):
    return mail_config


def test_owner_gets_an_email_after_the_verification_commits(smtp, app, make_owner, make_shop, make_staff, login_as):
    owner = make_owner(login="sitti@example.id", name="Ibu Sitti")
    shop_id = make_shop(owner=owner, status="pending", name="Warung Sitti")
    smtp.database_url, smtp.shop_id = app.config["SQLALCHEMY_DATABASE_URI"], shop_id
    assert login_as(make_staff()).post(f"/koordinator/toko/{shop_id}/verifikasi").status_code == 302
    owner_mails = [m for to, m in smtp.messages if to == ["sitti@example.id"]]
    assert len(owner_mails) == 1
    mail = owner_mails[0]
    assert str(make_header(decode_header(mail["Subject"]))) == "Toko terverifikasi · Belanja Warung Tetangga"
    assert mail["From"] == "Belanja Warung Tetangga <noreply@bwt.test>"
    body = mail.get_payload(decode=True).decode()
    assert "Halo Ibu Sitti" in body and "Warung Sitti sudah terverifikasi" in body and "http://localhost/toko/saya" in body
    assert smtp.status_seen[-1] == "verified"  # the change was committed before the mail left


def _notifications(user_id):
    return select(Notification).where(Notification.user_id == user_id)


def test_people_without_an_email_address_hear_in_the_app_only(smtp, make_owner, make_shop, fetch):
    owner = make_owner(login="0812-9999-0001")
    make_shop(owner=owner)
    assert smtp.messages == []
    assert [n.kind for n in fetch(_notifications(owner.id))] == ["shop.verified"]


def test_a_mail_failure_keeps_the_state_change(app, make_owner, make_shop, make_staff, login_as, fetch):
    owner = make_owner(login="sitti@example.id")
    shop_id = make_shop(owner=owner, status="pending")
    response = login_as(make_staff()).post(f"/koordinator/toko/{shop_id}/verifikasi", follow_redirects=True)
    assert response.status_code == 200 and "terverifikasi" in response.get_data(as_text=True)
    assert fetch(Shop, shop_id).status == "verified"
    assert [n.kind for n in fetch(_notifications(owner.id))] == ["shop.verified"]


def test_no_mail_when_the_change_is_refused(smtp, make_owner, make_shop, make_staff, login_as):
    shop_id = make_shop(owner=make_owner(login="sitti@example.id"))  # already verified
    sent = len(smtp.messages)
    login_as(make_staff()).post(f"/koordinator/toko/{shop_id}/verifikasi")  # Conflict: rolled back
    assert len(smtp.messages) == sent
