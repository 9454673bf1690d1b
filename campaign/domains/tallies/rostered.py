"""Whether a purchase's buyer is on the roster: the copies the writers keep, checked against the
roster itself.

A purchase is verified only when its buyer's NIP is on an active roster entry
(:func:`.buckets.is_verified`). The writers read that from the purchase's own column
(:data:`.buckets.ON_ROSTER`), copied from the buyer's ASN profile (``asn_profile.on_roster``) and
kept current by the roster's changes; ``check-tallies`` recomputes the verified buckets from the
roster rows instead (:func:`buyers`), and reports (:func:`differences`) and ``rebuild-tallies``
repairs (:func:`repair`) any copy that disagrees. The roster and the ASN profiles sit below this
domain and are read by table and column names.
"""
from __future__ import annotations

from sqlalchemy import exists, select, update

from campaign.core.extensions import db
from campaign.domains.tallies.buckets import ON_ROSTER


def _tables():
    tables = db.metadata.tables
    return tables["purchase"], tables["asn_profile"], tables["roster_entry"]


def buyers():
    """SELECT of the user ids whose ASN profile's NIP is on an active roster entry."""
    _purchase, profile, entry = _tables()
    return (select(profile.c.user_id).join_from(profile, entry, entry.c.nip == profile.c.nip)
            .where(entry.c.active.is_(True)))


def _profile_on_roster():
    _purchase, profile, entry = _tables()
    return exists().where(entry.c.nip == profile.c.nip, entry.c.active.is_(True))


def differences(limit: int) -> list[str]:
    """Purchases and ASN profiles whose copy of "on the roster" disagrees with the roster."""
    purchase, profile, _entry = _tables()
    should = purchase.c.buyer_id.in_(buyers())
    problems = [f"purchase {row.id}: {ON_ROSTER} tersimpan {bool(row.flag)}, seharusnya {not row.flag}"
                for row in db.session.execute(select(purchase.c.id, purchase.c[ON_ROSTER].label("flag")).where(
                    purchase.c[ON_ROSTER] != should).order_by(purchase.c.id).limit(limit))]
    problems += [f"asn_profile {row.user_id}: on_roster tersimpan {bool(row.flag)}, seharusnya {not row.flag}"
                 for row in db.session.execute(select(profile.c.user_id, profile.c.on_roster.label("flag")).where(
                     profile.c.on_roster != _profile_on_roster()).order_by(profile.c.user_id).limit(limit))]
    return problems


def repair() -> int:
    """Set every copy to what the roster says (inside the caller's transaction); rows changed."""
    purchase, profile, _entry = _tables()
    changed = db.session.execute(update(profile).where(profile.c.on_roster != _profile_on_roster())
                                 .values(on_roster=_profile_on_roster())).rowcount
    should = purchase.c.buyer_id.in_(buyers())
    changed += db.session.execute(update(purchase).where(purchase.c[ON_ROSTER] != should)
                                  .values({ON_ROSTER: should})).rowcount
    return changed
