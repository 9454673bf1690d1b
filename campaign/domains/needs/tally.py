"""Institutional spend: completed deals per (campaign, shop region), moved by
:func:`campaign.domains.needs.services.confirm_delivery` and recomputed by ``check-tallies``."""
from __future__ import annotations

from sqlalchemy import func, select, update

from campaign.core.database import dialect_insert
from campaign.core.extensions import db
from campaign.core.money import check_total
from campaign.domains.needs.models import InstitutionalTally, Need, Offer
from campaign.domains.tallies import checks
from campaign.web import markers


def add_deal(*, campaign_id: int, region_id: int, amount: int) -> None:
    """Count a completed deal; LimitExceeded if the region's total would pass SAFE_MAX (checked
    here, before the write; the table's CHECK is the guard behind it)."""
    markers.touch(markers.region(campaign_id, region_id))  # the leaderboard and region pages show it
    current = db.session.scalar(select(InstitutionalTally.amount).where(
        InstitutionalTally.campaign_id == campaign_id, InstitutionalTally.region_id == region_id)) or 0
    check_total(int(current) + amount, what="Belanja lembaga wilayah ini")
    table = InstitutionalTally.__table__
    statement = dialect_insert(table).values(campaign_id=campaign_id, region_id=region_id, amount=amount, deals=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.campaign_id, table.c.region_id],
        set_={"amount": table.c.amount + statement.excluded.amount, "deals": table.c.deals + 1})
    db.session.execute(statement)


def remove_deal(*, campaign_id: int, region_id: int, amount: int) -> None:
    """Take a voided deal out again (its row exists: add_deal wrote it)."""
    markers.touch(markers.region(campaign_id, region_id))
    db.session.execute(update(InstitutionalTally).where(
        InstitutionalTally.campaign_id == campaign_id, InstitutionalTally.region_id == region_id)
        .values(amount=InstitutionalTally.amount - amount, deals=InstitutionalTally.deals - 1))


def expected() -> dict[tuple[int, int], dict]:
    rows = db.session.execute(
        select(Need.campaign_id, Offer.shop_region_id, func.sum(Offer.unit_price * Offer.accepted_quantity),
               func.count())
        .join(Need, Need.id == Offer.need_id).where(Offer.status == "completed")
        .group_by(Need.campaign_id, Offer.shop_region_id))
    return {(c, r): {"amount": int(a), "deals": n} for c, r, a, n in rows}


def connect_signals() -> None:
    """``check-tallies`` and ``rebuild-tallies`` prove and repair these totals too."""
    checks.register_table(InstitutionalTally, keys=("campaign_id", "region_id"), fields=("amount", "deals"),
                             expected=expected)


def by_region(campaign_id: int) -> dict[int, InstitutionalTally]:
    return {t.region_id: t for t in db.session.scalars(
        select(InstitutionalTally).where(InstitutionalTally.campaign_id == campaign_id))}
