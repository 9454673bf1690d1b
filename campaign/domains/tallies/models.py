"""The aggregate tables, so leaderboards and progress pages never scan purchases.

Per (campaign, dimension, key) a :class:`Tally` row holds realized and verified sums and counts,
the number of distinct buyers (``participants``), of distinct buyers with a verified purchase
(``verified_buyers``) and of distinct shops (``shops_supported``), and the pledges. Distinct
counts stay O(1): :class:`TallyMember` keeps per (key, buyer) a count of realized and of verified
purchases, per (key, shop) of realized ones, and only their 0 -> 1 and 1 -> 0 crossings move the
distinct counters. :class:`TallyWeek` holds the weekly series (weeks start on Monday) for the two
region dimensions, with the same two distinct buyer counts per week, kept by
:class:`TallyWeekMember` per (key, week, buyer). :mod:`campaign.domains.leaderboard.privacy`
withholds a figure by those people counts. Where a purchase counts is :mod:`.buckets`'s rule;
:mod:`.moves` writes it.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign.core.extensions import db


class Tally(db.Model):
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    key_id: Mapped[int] = mapped_column(primary_key=True)
    realized_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    realized_count: Mapped[int] = mapped_column(default=0)
    verified_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    verified_count: Mapped[int] = mapped_column(default=0)
    participants: Mapped[int] = mapped_column(default=0)
    shops_supported: Mapped[int] = mapped_column(default=0)
    verified_buyers: Mapped[int] = mapped_column(default=0)  # distinct buyers with a confirmed purchase
    pledged_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    pledgers: Mapped[int] = mapped_column(default=0)


class TallyWeek(db.Model):
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    key_id: Mapped[int] = mapped_column(primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    realized_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    realized_count: Mapped[int] = mapped_column(default=0)
    verified_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    verified_count: Mapped[int] = mapped_column(default=0)
    participants: Mapped[int] = mapped_column(default=0)  # distinct buyers with a realized purchase that week
    verified_buyers: Mapped[int] = mapped_column(default=0)  # ... with a verified one


class TallyMember(db.Model):
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    key_id: Mapped[int] = mapped_column(primary_key=True)
    member_kind: Mapped[str] = mapped_column(String(4), primary_key=True)  # "asn" or "shop"
    member_id: Mapped[int] = mapped_column(primary_key=True)
    realized_count: Mapped[int] = mapped_column(default=0)
    verified_count: Mapped[int] = mapped_column(default=0)  # buyers only; 0 for shops


class TallyWeekMember(db.Model):
    """Per (key, week, buyer) of a weekly dimension: realized and verified purchases, whose
    0 <-> 1 crossings move :class:`TallyWeek`'s ``participants`` and ``verified_buyers``."""

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    key_id: Mapped[int] = mapped_column(primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    buyer_id: Mapped[int] = mapped_column(primary_key=True)
    realized_count: Mapped[int] = mapped_column(default=0)
    verified_count: Mapped[int] = mapped_column(default=0)
