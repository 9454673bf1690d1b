"""Reference data (regions, the default campaign), campaigns, agencies and region targets."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from campaign.core import audit
from campaign.core.database import write_transaction
from campaign.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.core.validation import require_text
from campaign.domains.regions import signals
from campaign.domains.regions.districts import DEFAULT_DISTRICTS_FILE, load_districts
from campaign.domains.regions.models import Agency, Campaign, Region, RegionTarget
from campaign.util.formatting import number, today_wita


class Staff(Protocol):
    """The acting account as this domain sees it (accounts sit above regions: not imported)."""

    id: int
    is_admin: bool

    def coordinates(self, region_id: int) -> bool: ...

DATA_DIR = Path(__file__).parent / "data"
MAX_HEADCOUNT = 10_000_000  # far above any region's civil service; catches a typo'd extra digit or three
MAX_TARGET_AMOUNT = 10**15  # rupiah
DEFAULT_REGIONS_FILE = DATA_DIR / "sulawesi_selatan.csv"
DEFAULT_CAMPAIGN = {
    "name": "Gerakan Belanja di Warung Tetangga",
    "appeal_letter_number": "4432/3004/JK/UMKM",
    "appeal_letter_date": date(2020, 4, 30),
    "issuing_office": "Gubernur Sulawesi Selatan",
}


@dataclass
class InitReport:
    regions_added: int
    regions_updated: int
    campaign_created: bool
    districts_added: int = 0
    districts_updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.regions_added or self.regions_updated or self.campaign_created
                    or self.districts_added or self.districts_updated)


def load_reference_data(regions_file: Path = DEFAULT_REGIONS_FILE,
                        districts_file: Path | None = DEFAULT_DISTRICTS_FILE) -> InitReport:
    """Upsert the regions and their kecamatan from the CSVs and create the default campaign if
    there is none.

    Idempotent: a second run changes nothing and reports so. The default campaign starts
    today (WITA) and has no end.
    """
    with write_transaction():
        existing = {r.code: r for r in db.session.scalars(select(Region))}
        added = updated = 0
        with open(regions_file, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                values = {k: row[k].strip() for k in ("code", "bps_code", "kind", "name", "capital")}
                region = existing.get(values["code"])
                if region is None:
                    db.session.add(Region(**values))
                    added += 1
                elif any(getattr(region, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(region, k, v)
                    updated += 1
        db.session.flush()  # the kecamatan need their regions' ids
        districts = load_districts(districts_file) if districts_file else (0, 0)
        if any(districts):
            db.session.flush()
            signals.districts_loaded.send(load_reference_data)
        created = False
        if db.session.scalar(select(func.count()).select_from(Campaign)) == 0:
            db.session.add(Campaign(**DEFAULT_CAMPAIGN, starts_on=today_wita(), ends_on=None))
            created = True
    return InitReport(added, updated, created, *districts)


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.code)))


def region_by_code(code: str) -> Region:
    region = db.session.scalar(select(Region).where(Region.code == code))
    if region is None:
        raise NotFound(f"Kabupaten/kota dengan kode {code} tidak ditemukan.")
    return region


def current_campaign_order(day) -> tuple:
    """ORDER BY that puts the current campaign first: the one running on ``day`` (a date or a
    bound parameter) that started last; with none running, the latest one."""
    running = (Campaign.starts_on <= day) & (Campaign.ends_on.is_(None) | (Campaign.ends_on >= day))
    return case((running, 0), else_=1), Campaign.starts_on.desc(), Campaign.id.desc()


def current_campaign(day: date | None = None) -> Campaign | None:
    """The campaign running on ``day`` (today WITA) that started last; else the latest one."""
    return db.session.scalar(select(Campaign).order_by(*current_campaign_order(day or today_wita())).limit(1))


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
    """Create a campaign under an appeal letter (province admins only; ``ends_on`` None: open-ended).

    It becomes the current campaign (:func:`current_campaign`) once it is the running one that
    started last. Raises PermissionDenied, ValidationFailed (on the field at fault: a text missing
    or too long, ``ends_on`` before ``starts_on``) or Conflict (that letter number already opened a
    campaign on that start date; the database's unique constraint backs the check up).
    """
    if not actor.is_admin:
        raise PermissionDenied("Hanya admin provinsi yang dapat membuat kampanye.")
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
