"""Builder fixtures (a pytest plugin, declared in conftest.py's ``pytest_plugins``): people, shops,
purchases, campaigns, buyer organisations, needs and offers, each made through the services the app
uses, with sensible defaults. Test modules ask for them by name; nothing imports this module."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from helpers import PASSWORD, Person, province_today, user
from sqlalchemy import select

from campaign.core.extensions import db
from campaign.util.formatting import utcnow

_numbers = itertools.count(1)


@pytest.fixture
def make_asn(app):
    from campaign.domains.auth.services import sign_up_asn

    def make(*, region: str = "73.73", agency: str = "Dinas Koperasi dan UKM", name: str | None = None,
             login: str | None = None, nip: str | None = None, on_roster: bool = True) -> Person:
        """An ASN signed up as anyone would; ``on_roster`` (the default): their NIP is on the active
        roster of ``region`` first (which makes the region roster-checked), so their confirmed
        purchases are verified spend."""
        n = next(_numbers)
        nip = nip or f"198609262015051{n % 999 + 1:03d}"
        login = login or f"asn{n}@example.id"
        name = name or f"ASN Uji {n}"
        with app.app_context():
            if on_roster:
                _put_on_roster(nip=nip, name=name, agency=agency, region=region)
            created = sign_up_asn(name=name, nip=nip, agency_name=agency, region_code=region, login=login,
                                  password=PASSWORD, consent=True)
            return Person(created.id, name, login, nip=nip)
    return make


def _put_on_roster(*, nip: str, name: str, agency: str, region: str) -> None:
    """An active roster entry for ``nip``, as a roster import would leave it."""
    from campaign.domains.regions.services import region_by_code
    from campaign.domains.roster.models import RosterEntry

    entry = db.session.scalar(select(RosterEntry).where(RosterEntry.nip == nip))
    if entry is None:
        db.session.add(RosterEntry(nip=nip, name=name, agency_name=agency, region_id=region_by_code(region).id))
        db.session.commit()


@pytest.fixture
def make_owner(app):
    from campaign.domains.auth.services import sign_up_shop_owner

    def make(*, name: str | None = None, login: str | None = None) -> Person:
        n = next(_numbers)
        login = login or f"toko{n}@example.id"
        name = name or f"Pemilik Uji {n}"
        with app.app_context():
            created = sign_up_shop_owner(name=name, login=login, password=PASSWORD, consent=True)
            return Person(created.id, name, login)
    return make


@pytest.fixture
def make_staff(app):
    """Coordinators (``role="coordinator", region="73.73"``) and admins (``role="admin"``)."""
    from campaign.domains.auth.services import create_user

    def make(*, role: str = "coordinator", region: str | None = "73.73", name: str | None = None) -> Person:
        n = next(_numbers)
        login = f"staf{n}@example.id"
        name = name or f"{role.title()} Uji {n}"
        with app.app_context():
            created, _ = create_user(name=name, login=login, role=role,
                                     region_code=region if role == "coordinator" else None, password=PASSWORD)
            return Person(created.id, name, login)
    return make


@pytest.fixture
def builder_admin(app):
    """``builder_admin()``: the User of the one admin the builders act as, made on first use (found
    by login, so it is made again after ``fresh_database()``); call inside an app context."""
    from campaign.domains.auth.services import create_user, find_by_login

    login = f"admin-builder{next(_numbers)}@example.id"

    def get():
        admin = find_by_login(login)
        if admin is None:
            admin, _ = create_user(name="Admin Pembuat", login=login, role="admin", password=PASSWORD)
        return admin
    return get


@pytest.fixture
def make_shop(app, make_owner, builder_admin):
    """A shop, verified by default (by an admin), in Kota Palopo unless told otherwise."""
    from campaign.domains.shops.services import register_shop, reject_shop, verify_shop

    def make(*, owner: Person | None = None, region: str = "73.73", status: str = "verified",
             name: str | None = None, category: str = "sembako", district: str | None = None, **fields) -> int:
        owner = owner or make_owner()
        n = next(_numbers)
        with app.app_context():
            district = district or _first_district(region)
            shop = register_shop(owner=user(owner), name=name or f"Warung Uji {n}", category=category,
                                 region_code=region, district=district, village="Amassangan",
                                 street=f"Jl. Andi Djemma No. {n}", whatsapp="0812-3456-7890", **fields)
            if status == "verified":
                verify_shop(actor=builder_admin(), shop_id=shop.id)
            elif status != "pending":
                reject_shop(actor=builder_admin(), shop_id=shop.id, reason="Alamat tidak ditemukan")
            return shop.id
    return make


def _first_district(region_code: str) -> str:
    """Wara for Kota Palopo, else the region's first kecamatan by code."""
    from campaign.domains.regions.models import District, Region

    if region_code == "73.73":
        return "Wara"
    return db.session.scalar(select(District.name).join(Region, Region.id == District.region_id)
                             .where(Region.code == region_code).order_by(District.code).limit(1)) or "Wara"


@pytest.fixture
def make_purchase(app):
    """A purchase logged through the service (status ``reported``; ``confirmed_by`` the shop's owner:
    then confirmed by them); returns its id."""
    from campaign.domains.purchases.services import confirm_purchase, log_purchase

    def make(*, buyer: Person, shop_id: int, amount: int = 50_000, purchased_on: date | None = None,
             note: str = "", confirmed_by: Person | None = None) -> int:
        with app.app_context():
            purchase = log_purchase(buyer=user(buyer), shop_id=shop_id, amount=amount,
                                    purchased_on=purchased_on, note=note)
            if confirmed_by is not None:
                confirm_purchase(actor=user(confirmed_by), purchase_id=purchase.id)
            return purchase.id
    return make


@pytest.fixture
def make_campaign(app, builder_admin):
    """A campaign created by an admin through the service (besides the running one the database
    starts with); ``ends_on`` None: open-ended. Returns its id."""
    from campaign.domains.regions.services import create_campaign

    def make(*, starts_on: date, ends_on: date | None = None, name: str = "Kampanye Uji",
             appeal_letter_number: str = "1/2020", appeal_letter_date: date | None = None,
             issuing_office: str = "Gubernur") -> int:
        with app.app_context():
            return create_campaign(actor=builder_admin(), name=name, appeal_letter_number=appeal_letter_number,
                                   appeal_letter_date=appeal_letter_date or starts_on,
                                   issuing_office=issuing_office, starts_on=starts_on, ends_on=ends_on).id
    return make


@pytest.fixture
def make_training(app, make_staff):
    """A training published by ``by`` (default: a new coordinator of ``region``): online, three
    days ahead, 90 minutes, 30 seats, unless told otherwise. Returns its id."""
    from campaign.domains.training.services import publish_training

    def make(*, by: Person | None = None, region: str | None = "73.73", **fields) -> int:
        by = by or make_staff(region=region or "73.73")
        values = {"title": "Katalog WhatsApp untuk Warung", "topic": "pemasaran_digital",
                  "starts_at": utcnow() + timedelta(days=3), "duration_minutes": 90, "capacity": 30,
                  "mode": "online", "online_url": "https://meet.example.id/katalog", "region_code": region, **fields}
        with app.app_context():
            return publish_training(actor=user(by), **values).id
    return make


# --- the needs board -----------------------------------------------------------------------

@pytest.fixture
def make_buyer(app, make_owner, make_staff):
    """A buyer organisation (verified by an admin unless ``status="pending"``); returns (person, id)."""
    from campaign.domains.buyers import services as buyers

    def make(*, region: str = "73.73", status: str = "verified", owner=None, kind: str = "social"):
        owner = owner or make_owner(name="Pengurus Yayasan")
        with app.app_context():
            buyer = buyers.register_buyer(owner=user(owner), name="Yayasan Peduli Luwu Raya", kind=kind,
                                          region_code=region, address="Jl. Andi Djemma No. 9",
                                          whatsapp="0813-5555-0001")
            if status != "pending":
                admin = user(make_staff(role="admin"))
                if status == "verified":
                    buyers.verify_buyer(actor=admin, buyer_id=buyer.id)
                else:
                    buyers.reject_buyer(actor=admin, buyer_id=buyer.id, reason="Tidak ditemukan")
            return owner, buyer.id
    return make


@pytest.fixture
def make_need(app, make_buyer):
    """A need for APD (category fesyen) from Kota Palopo; returns (buyer person, need id)."""
    from campaign.domains.needs import services

    def make(*, quantity: int = 100, regions=("73.73",), category: str = "fesyen", buyer=None):
        owner, buyer_id = buyer or make_buyer()
        with app.app_context():
            need = services.post_need(actor=user(owner), buyer_id=buyer_id, title="Baju APD untuk RSUD",
                                      category=category, quantity=quantity, unit="potong", budget_min=1_000_000,
                                      budget_max=20_000_000, region_codes=list(regions),
                                      deadline=province_today() + timedelta(days=14),
                                      delivery_place="RSUD Sawerigading")
            return owner, need.id
    return make


@pytest.fixture
def make_offer(app, make_owner, make_shop):
    """An offer from a fresh verified garment maker in Kota Palopo; returns (shop owner, offer id)."""
    from campaign.domains.needs import services

    def make(need_id: int, *, quantity: int = 60, unit_price: int = 95_000, region: str = "73.73"):
        owner = make_owner()
        shop_id = make_shop(owner=owner, category="fesyen", region=region)
        with app.app_context():
            offer = services.send_offer(actor=user(owner), need_id=need_id, shop_id=shop_id, unit_price=unit_price,
                                        quantity=quantity, delivery_date=province_today() + timedelta(days=7))
            return owner, offer.id
    return make
