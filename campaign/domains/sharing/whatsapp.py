"""``wa.me`` share links with a short summary: the leaderboard, a region, an ASN's own progress.

Summaries hold public aggregates only (an ASN's own link holds their own figures, which they
choose to share); a value hidden by the small-number rule is never written out.
"""
from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from urllib.parse import quote

from babel.dates import format_datetime
from flask import url_for

from campaign.core import clock
from campaign.domains.leaderboard.metrics import METRICS
from campaign.util.formatting import as_utc, number, percent, rupiah
from campaign.util.svg import full, suppressed_text, withheld

TOP = 3
SITE = "Belanja Warung Tetangga"


def share_url(text: str, page_url: str) -> str:
    """``https://wa.me/?text=...``: WhatsApp opens with ``text`` and ``page_url`` ready to send
    to any chat (no number: the sender picks the chat)."""
    return "https://wa.me/?text=" + quote(f"{text}\n{page_url}", safe="")


def as_of(moment: datetime | None = None) -> str:
    """``per 28 November 2026 pukul 14.05 WIB`` (now when ``moment`` is None), in the deployment's
    zone."""
    zone = clock.zone()
    moment = as_utc(moment or clock.now())
    shown = format_datetime(moment, "d MMMM y 'pukul' HH.mm", tzinfo=zone.tz, locale="id")
    return f"per {shown} {zone.label}"


def standings_text(standings, *, metric_label: str, moment: datetime | None = None,
                   suppressed: Collection[str] = ()) -> str:
    """"Papan Peringkat ... (belanja terealisasi) per ...: 1. Kota Makassar Rp200.000; ..."."""
    def shown(row) -> str:
        if row.region_code in suppressed or withheld(row, standings.metric):
            return suppressed_text()
        return full(standings.metric, getattr(row, standings.metric))

    top = [f"{row.rank}. {row.region_kind} {row.region_name} {shown(row)}" for row in standings.rows[:TOP]
           if row.rank is not None]
    return (f"Papan Peringkat {SITE} ({metric_label.lower()}) {as_of(moment)}: " + "; ".join(top) + ".")


def region_text(progress, *, moment: datetime | None = None, suppressed: bool = False) -> str:
    """"Kota Palopo peringkat 2 dari <jumlah wilayah> ...: belanja terealisasi Rp170.000, partisipasi 12,5% ..."."""
    figures = progress.asn_region
    place = (f"peringkat {progress.rank} dari {progress.region_count} kabupaten/kota" if progress.rank is not None
             else "belum diperingkat (angka kecil disembunyikan)")
    head = f"{progress.region.full_name} {place} di {SITE}"
    if suppressed or withheld(figures, "realized") or withheld(figures, "participants"):
        return f"{head} {as_of(moment)}."
    participation = (f"partisipasi {percent(figures.participation_rate)} ({number(figures.participants)} ASN)"
                     if figures.participation_rate is not None else f"{number(figures.participants)} ASN berbelanja")
    return f"{head}: belanja terealisasi {rupiah(figures.realized)}, {participation}, {as_of(moment)}."


def own_text(summary, *, moment: datetime | None = None) -> str:
    """The ASN's own progress, in the first person."""
    text = f"Saya sudah belanja {rupiah(summary.realized)} di warung tetangga"
    if summary.pledged:
        text += f" ({percent(summary.progress)} dari janji {rupiah(summary.pledged)})"
    return f"{text}, {as_of(moment)}. Ayo ikut gerakan {SITE}!"


def standings_link(standings) -> str:
    page = url_for("leaderboard.standings", campaign=standings.campaign.id, metric=standings.metric,
                   perspective=standings.perspective, _external=True)
    return share_url(standings_text(standings, metric_label=METRICS[standings.metric]), page)


def region_link(progress) -> str:
    page = url_for("leaderboard.region", code=progress.region.code, campaign=progress.campaign.id, _external=True)
    return share_url(region_text(progress), page)


def own_link(summary, region_code: str) -> str:
    """Shares the ASN's region page (their own page is private)."""
    page = url_for("leaderboard.region", code=region_code, _external=True)
    return share_url(own_text(summary), page)


def owner_message_link(shop) -> str:
    """For the coordinator: a WhatsApp message to the owner of a shop waiting for verification
    (``shop`` is a :class:`~campaign.domains.shops.queries.PendingShop`)."""
    text = (f"Halo {shop.owner_name}, saya koordinator {SITE} {shop.region_name}. "
            f"Toko {shop.name} ({shop.street}, {shop.village}, Kec. {shop.district}) yang Anda daftarkan sedang "
            "kami verifikasi. Apakah nama, alamat, dan nomor ini sudah benar? Terima kasih.")
    return f"https://wa.me/{shop.whatsapp.lstrip('+')}?text={quote(text, safe='')}"
