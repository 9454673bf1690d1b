"""Reference data (regions, the default campaign), campaigns, agencies and region targets."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from campaign.core import audit, clock
from campaign.core.database import write_transaction
from campaign.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.core.validation import require_text
from campaign.domains.regions import signals
from campaign.domains.regions import areas
from campaign.domains.regions.loading import load_districts, load_regions
from campaign.domains.regions.models import Agency, Campaign, Region, RegionTarget
from campaign.domains.regions.provinces import appeal, configured_provinces, normalize, scope_of
from campaign.util.formatting import number


class Staff(Protocol):
    """The acting account as this domain sees it (accounts sit above regions: not imported)."""

    id: int
    is_admin: bool
    admin_province: str | None

    def coordinates(self, region_id: int) -> bool: ...

MAX_HEADCOUNT = 10_000_000  # far above any region's civil service; catches a typo'd extra digit or three
MAX_TARGET_AMOUNT = 10**15  # rupiah
CAMPAIGN_NAME = "Gerakan Belanja di Warung Tetangga"


@dataclass
class InitReport:
    regions_added: int
    regions_updated: int
    campaign_created: bool
    districts_added: int = 0
    districts_updated: int = 0
    regions_deactivated: int = 0
    districts_deactivated: int = 0
    appeal_letter_number: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.regions_added or self.regions_updated or self.campaign_created or self.districts_added
                    or self.districts_updated or self.regions_deactivated or self.districts_deactivated)


def load_reference_data(provinces=None) -> InitReport:
    """Upsert the kabupaten/kota and kecamatan of ``provinces`` (default: the configured
    ``PROVINCES``) from the kept data, and create the default campaign if there is none.

    Idempotent: a second run changes nothing and reports so. Names follow the data; a code no
    longer in it (or of a province no longer served) is marked inactive, never deleted. The
    default campaign starts today (``campaign.core.clock``), has no end and answers the province's configured
    appeal letter (``APPEALS``), or none ("-") for a province without one.
    """
    codes = normalize(provinces) if provinces is not None else configured_provinces()
    with write_transaction():
        regions = load_regions(codes)
        districts = load_districts(codes)
        if districts[0] or districts[1]:
            db.session.flush()
            signals.districts_loaded.send(load_reference_data)
        letter = None
        if db.session.scalar(select(func.count()).select_from(Campaign)) == 0:
            values = _default_campaign(codes)
            db.session.add(Campaign(**values, starts_on=clock.earliest_today(), ends_on=None))
            letter = values["appeal_letter_number"]
    return InitReport(regions[0], regions[1], letter is not None, districts[0], districts[1], regions[2],
                      districts[2], letter)


def _default_campaign(codes: tuple[str, ...]) -> dict:
    letter = appeal() if codes == configured_provinces() else None
    if letter is not None:
        return {"name": CAMPAIGN_NAME, "appeal_letter_number": letter.number, "appeal_letter_date": letter.date,
                "issuing_office": letter.office}
    return {"name": CAMPAIGN_NAME, "appeal_letter_number": "-", "appeal_letter_date": clock.today(),
            "issuing_office": _issuing_office(codes)}


def _issuing_office(codes: tuple[str, ...]) -> str:
    """Who issues a campaign without an appeal letter: the provinces by name while they fit the
    column (160 characters), else by number (all 38 names take over 400)."""
    office = f"Pemerintah Provinsi {scope_of(codes).name}"
    if len(office) <= 160:
        return office
    return "Pemerintah Provinsi se-Indonesia" if len(codes) == len(areas.provinces()) else f"Pemerintah {len(codes)} Provinsi"


def all_regions() -> list[Region]:
    """The active kabupaten/kota (those of the configured provinces' data), in code order."""
    return list(db.session.scalars(select(Region).where(Region.active).order_by(Region.code)))


def region_by_code(code: str) -> Region:
    """The active region of that code; an inactive one (gone from the data, or of a province no
    longer served) is NotFound like an unknown code, so nothing new attaches to it."""
    region = db.session.scalar(select(Region).where(Region.code == code, Region.active))
    if region is None:
        raise NotFound(f"Kabupaten/kota dengan kode {code} tidak ditemukan.")
    return region


def current_campaign_order(day) -> tuple:
    """ORDER BY that puts the current campaign first: the one running on ``day`` (a date or a
    bound parameter) that started last; with none running, the latest one."""
    running = (Campaign.starts_on <= day) & (Campaign.ends_on.is_(None) | (Campaign.ends_on >= day))
    return case((running, 0), else_=1), Campaign.starts_on.desc(), Campaign.id.desc()


def current_campaign(day: date | None = None) -> Campaign | None:
    """The campaign running on ``day`` (default today, ``campaign.core.clock``) that started last;
    else the latest one."""
    return db.session.scalar(select(Campaign).order_by(*current_campaign_order(day or clock.today())).limit(1))


def get_campaign(campaign_id: int | None) -> Campaign:
    """The campaign with that id, or the current one for None."""
    campaign = db.session.get(Campaign, campaign_id) if campaign_id else current_campaign()
    if campaign is None:
        raise NotFound("Kampanye tidak ditemukan.")
    return campaign


def all_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id.desc())))


def create_campaign(*, actor: Staff, name: str, appeal_letter_number: str, appeal_letter_date: date,
                    issuing_office: str, starts_on: date, ends_on: date | None = None) -> Campaign:
    """Create a campaign under an appeal letter (national admins only; ``ends_on`` None: open-ended).

    It becomes the current campaign (:func:`current_campaign`) once it is the running one that
    started last. Raises PermissionDenied, ValidationFailed (on the field at fault: a text missing
    or too long, ``ends_on`` before ``starts_on``) or Conflict (that letter number already opened a
    campaign on that start date; the database's unique constraint backs the check up).
    """
    if not actor.is_admin or actor.admin_province is not None:  # campaigns span every served province
        raise PermissionDenied("Hanya admin nasional yang dapat membuat kampanye.")
    values = {
        "name": require_text(name, "name", "Nama kampanye", 160),
        "appeal_letter_number": require_text(appeal_letter_number, "appeal_letter_number",
                                             "Nomor surat imbauan", 80),
        "issuing_office": require_text(issuing_office, "issuing_office", "Penerbit surat", 160),
        "appeal_letter_date": appeal_letter_date, "starts_on": starts_on, "ends_on": ends_on,
    }
    if ends_on is not None and ends_on < starts_on:
        message = "Tanggal selesai tidak boleh sebelum tanggal mulai."
        raise ValidationFailed(message, fields={"ends_on": [message]})
    with write_transaction():
        if _campaign_exists(values["appeal_letter_number"], starts_on):
            raise _duplicate_campaign()
        campaign = Campaign(**values)
        db.session.add(campaign)
        try:
            db.session.flush()
        except IntegrityError:  # the same letter and start date created by a concurrent request
            raise _duplicate_campaign() from None
        audit.record(actor=actor, action="campaign.created", entity=campaign,
                     after={k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()})
    return campaign


def _campaign_exists(appeal_letter_number: str, starts_on: date) -> bool:
    return db.session.scalar(select(Campaign.id).where(Campaign.appeal_letter_number == appeal_letter_number,
                                                       Campaign.starts_on == starts_on)) is not None


def _duplicate_campaign() -> Conflict:
    message = "Sudah ada kampanye dengan nomor surat imbauan dan tanggal mulai yang sama."
    return Conflict(message, fields={"appeal_letter_number": [message]})


def agency_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def get_or_create_agency(*, region_id: int, name: str) -> Agency:
    """The agency of that name (case and spacing folded) in the region, created if new.

    Runs inside the caller's transaction.
    """
    key = agency_key(name)
    agency = db.session.scalar(select(Agency).where(Agency.region_id == region_id, Agency.name_key == key))
    if agency is None:
        agency = Agency(region_id=region_id, name=re.sub(r"\s+", " ", name).strip(), name_key=key)
        db.session.add(agency)
        db.session.flush()
    return agency


def loose_agency_key(name: str) -> str:
    """Folded harder than :func:`agency_key`, to match what people type against the list: case,
    spacing, punctuation, and "&" for "dan" ("Dinas Koperasi & UKM." = "dinas koperasi dan ukm")."""
    text = re.sub(r"[^\w\s]", " ", name.casefold().replace("&", " dan "))
    return re.sub(r"\s+", " ", text).strip()


def find_or_add_agency(*, region_id: int, name: str) -> Agency:
    """The region's agency whose name matches ``name`` loosely (:func:`loose_agency_key`), so a typed
    variant does not split the per-agency table; a new agency only when none matches. Runs inside
    the caller's transaction."""
    key = loose_agency_key(name)
    for agency in db.session.scalars(select(Agency).where(Agency.region_id == region_id).order_by(Agency.id)):
        if loose_agency_key(agency.name) == key:
            return agency
    return get_or_create_agency(region_id=region_id, name=name)


def get_target(campaign_id: int, region_id: int) -> RegionTarget | None:
    return db.session.scalar(select(RegionTarget).where(RegionTarget.campaign_id == campaign_id,
                                                        RegionTarget.region_id == region_id))


def set_region_target(*, actor: Staff, campaign_id: int, region_id: int, asn_headcount: int,
                      target_amount: int) -> RegionTarget:
    """Set a region's ASN headcount (0..MAX_HEADCOUNT) and spending target (0..MAX_TARGET_AMOUNT
    rupiah) for a campaign; the region's coordinator or an admin only."""
    if not actor.coordinates(region_id):
        raise PermissionDenied("Hanya koordinator wilayah ini atau admin yang dapat mengubah target.")
    for field, value, maximum, label in (("asn_headcount", asn_headcount, MAX_HEADCOUNT, "Jumlah ASN"),
                                         ("target_amount", target_amount, MAX_TARGET_AMOUNT, "Target belanja")):
        if value is None or not 0 <= value <= maximum:
            message = f"{label} wajib diisi." if value is None else f"{label} antara 0 dan {number(maximum)}."
            raise ValidationFailed(message, fields={field: [message]})
    with write_transaction():
        if db.session.get(Campaign, campaign_id) is None:
            raise NotFound("Kampanye tidak ditemukan.")
        target = get_target(campaign_id, region_id)
        before = None
        if target is None:
            target = RegionTarget(campaign_id=campaign_id, region_id=region_id)
            db.session.add(target)
        else:
            before = {"asn_headcount": target.asn_headcount, "target_amount": target.target_amount}
        target.asn_headcount = asn_headcount
        target.target_amount = target_amount
        audit.record(actor=actor, action="target.set", entity=target, region_id=region_id, before=before,
                     after={"asn_headcount": asn_headcount, "target_amount": target_amount})
    return target
