"""Reading the roster: whether a region is roster-checked, its counts, its entries (for the
coordinator's page and the API) and the agencies offered at sign-up."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, select

from campaign.core.extensions import db
from campaign.domains.auth.models import AsnProfile
from campaign.domains.regions.models import Agency, Region
from campaign.domains.roster.models import RosterEntry, RosterImport
from campaign.util.formatting import mask_nip
from campaign.web.pagination import Page, paginate

NAME_LENGTH = RosterEntry.name.type.length  # 120


def has_roster(region_id: int) -> bool:
    """A region is roster-checked once it has a roster entry (active or retired): from then on
    ASN sign-up there needs a NIP on its active roster."""
    return db.session.scalar(select(RosterEntry.id).where(RosterEntry.region_id == region_id).limit(1)) is not None


NOT_CHECKED = "belum dicek dengan daftar ASN"  # beside a verified figure of a region without a roster


def checked_region_codes() -> frozenset[str]:
    """The codes of the regions that have a roster (one index probe per region). Only an ASN whose
    NIP is on an active roster entry buys verified spend, so a region without one has no verified
    spend of its own ASN: its verified figure is shown as :data:`NOT_CHECKED`."""
    has = select(RosterEntry.id).where(RosterEntry.region_id == Region.id).exists()
    return frozenset(db.session.scalars(select(Region.code).where(has)))


@dataclass(frozen=True)
class RosterStatus:
    checked: bool
    active: int
    retired: int
    signed_up: int  # active entries whose NIP has an account
    last_import: datetime | None


def roster_status(region_id: int) -> RosterStatus:
    counts = dict(db.session.execute(select(RosterEntry.active, func.count()).where(
        RosterEntry.region_id == region_id).group_by(RosterEntry.active)).all())
    signed_up = db.session.scalar(select(func.count()).select_from(RosterEntry).join(
        AsnProfile, AsnProfile.nip == RosterEntry.nip).where(RosterEntry.region_id == region_id,
                                                            RosterEntry.active.is_(True)))
    last = db.session.scalar(select(func.max(RosterImport.at)).where(
        (RosterImport.region_id == region_id) | RosterImport.region_id.is_(None)))
    active, retired = counts.get(True, 0), counts.get(False, 0)
    return RosterStatus(bool(active or retired), active, retired, signed_up or 0, last)


@dataclass(frozen=True)
class EntryRow:
    id: int
    nip_masked: str
    name: str
    agency_name: str
    active: bool
    signed_up: bool


def entries(*, region_id: int, q: str | None, page: int, per_page: int) -> Page[EntryRow]:
    """A region's roster by name (then id); ``q`` matches a full NIP exactly or part of a name.
    NIPs are masked: the coordinator manages entries, not numbers."""
    query = (select(RosterEntry, AsnProfile.id).outerjoin(AsnProfile, AsnProfile.nip == RosterEntry.nip)
             .where(RosterEntry.region_id == region_id))
    text = (q or "").strip()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) == 18:
            query = query.where(RosterEntry.nip == digits)
        elif len(text) > NAME_LENGTH:  # longer than any name: matches none (and SQLite refuses huge LIKEs)
            query = query.where(false())
        else:
            query = query.where(RosterEntry.name.icontains(text, autoescape=True))
    return paginate(query.order_by(func.lower(RosterEntry.name), RosterEntry.id), page=page, per_page=per_page,
                    row=lambda entry, profile_id: EntryRow(entry.id, mask_nip(entry.nip), entry.name,
                                                           entry.agency_name, entry.active, profile_id is not None))


def signed_up(nip: str) -> bool:
    return db.session.scalar(select(AsnProfile.id).where(AsnProfile.nip == nip)) is not None


def agency_names(region_id: int) -> list[str]:
    """The region's agencies by name, for the sign-up list (those already used by its ASN)."""
    return list(db.session.scalars(select(Agency.name).where(Agency.region_id == region_id)
                                   .order_by(func.lower(Agency.name))))
