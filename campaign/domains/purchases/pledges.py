"""Pledges: how much an ASN means to spend in a campaign, moved into the tallies with each change."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from campaign.core import audit, clock
from campaign.core.database import write_transaction
from campaign.core.errors import Conflict
from campaign.core.extensions import db
from campaign.core.validation import field_error
from campaign.domains.auth.models import User
from campaign.domains.purchases.models import Pledge
from campaign.domains.purchases.services import asn_of
from campaign.domains.regions.services import get_campaign
from campaign.domains.tallies import moves as tallies
from campaign.util.formatting import rupiah


def make_pledge(*, asn: User, amount: int, campaign_id: int | None = None) -> Pledge:
    """Make or change the ASN's pledge for a campaign (the current one by default).

    One pledge per ASN and campaign (a database constraint). Not possible after the campaign
    ended. Unchanged amounts write nothing.
    """
    maximum = current_app.config["PLEDGE_MAX_AMOUNT"]
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= maximum:
        raise field_error("amount", f"Janji belanja antara Rp1 dan {rupiah(maximum)}.")
    asn_id = asn.id
    try:
        with write_transaction():
            user = asn_of(asn_id)
            campaign = get_campaign(campaign_id)
            if campaign.ends_on is not None and campaign.ends_on < clock.today():
                raise Conflict("Kampanye ini sudah berakhir; janji tidak dapat diubah.")
            pledge = db.session.scalar(select(Pledge).where(
                Pledge.campaign_id == campaign.id, Pledge.user_id == user.id).with_for_update())
            old = tallies.PledgeState.of(pledge) if pledge else None
            if pledge is None:
                pledge = Pledge(campaign_id=campaign.id, user_id=user.id)
                db.session.add(pledge)
            elif pledge.amount == amount:
                return pledge
            pledge.amount = amount
            pledge.region_id = user.asn.region_id
            pledge.agency_id = user.asn.agency_id
            db.session.flush()
            tallies.move_pledge(old, tallies.PledgeState.of(pledge))
            audit.record(actor=user, action="pledge.set", entity=pledge, region_id=pledge.region_id,
                         before={"amount": old.amount} if old else None, after={"amount": amount})
    except IntegrityError:
        raise Conflict("Janji Anda baru saja disimpan dari perangkat lain. Muat ulang halaman.") from None
    return pledge


def get_pledge(user_id: int, campaign_id: int) -> Pledge | None:
    return db.session.scalar(select(Pledge).where(Pledge.campaign_id == campaign_id, Pledge.user_id == user_id))
