"""Whether each ASN's NIP is on an active roster entry (``asn_profile.on_roster``), kept current
by every roster change in its transaction; the purchases domain above moves the verified spend of
those whose standing changed (:data:`.signals.standing_changed`)."""
from __future__ import annotations

from sqlalchemy import exists, update

from campaign.core.extensions import db
from campaign.domains.auth.models import AsnProfile
from campaign.domains.roster.models import RosterEntry
from campaign.domains.roster.signals import standing_changed


def on_active_roster():
    """True for an ASN profile whose NIP is on an active roster entry (a correlated EXISTS)."""
    return exists().where(RosterEntry.nip == AsnProfile.nip, RosterEntry.active.is_(True))


def sync(nip: str | None = None) -> tuple[list[int], list[int]]:
    """Set ``on_roster`` of the ASN profile of ``nip`` (None: of every profile, one statement over
    them all, as after an import) to what the roster says, and tell the domains above whose
    standing changed. Returns the user ids now on and now off the roster."""
    statement = update(AsnProfile).where(AsnProfile.on_roster != on_active_roster())
    if nip is not None:
        statement = statement.where(AsnProfile.nip == nip)
    rows = db.session.execute(statement.values(on_roster=on_active_roster())
                              .returning(AsnProfile.user_id, AsnProfile.on_roster)
                              .execution_options(synchronize_session=False)).all()
    for loaded in [obj for obj in db.session.identity_map.values() if isinstance(obj, AsnProfile)]:
        db.session.expire(loaded, ["on_roster"])  # loaded before now: the old flag
    on = sorted(user_id for user_id, flag in rows if flag)
    off = sorted(user_id for user_id, flag in rows if not flag)
    if on or off:
        standing_changed.send(None, on=on, off=off)
    return on, off
