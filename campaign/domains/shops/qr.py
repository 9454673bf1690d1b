"""The QR code on a shop's poster: it opens "Catat Belanja" with the shop already chosen."""
from __future__ import annotations

import io

import segno
from flask import url_for
from markupsafe import Markup

ERROR_LEVEL = "m"  # survives a creased or smudged print; segno raises it when the data allows
QUIET_ZONE = 4  # modules of white border, as the QR standard asks


def purchase_url(shop_id: int) -> str:
    """Absolute URL the poster's QR code encodes: the purchase form with this shop chosen."""
    return url_for("purchases.new", toko=shop_id, _external=True)


def short_url(shop_id: int) -> str:
    """What a phone that cannot scan types instead: this host and ``/t/<id>``, without the scheme."""
    return url_for("shops.short_link", shop_id=shop_id, _external=True).split("://", 1)[1]


def make_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def svg_document(url: str) -> bytes:
    """A standalone SVG file (with XML declaration), 8 px per module."""
    buffer = io.BytesIO()
    make_code(url).save(buffer, kind="svg", scale=8, border=QUIET_ZONE, xmldecl=True,
                        title="Kode QR Belanja Warung Tetangga")
    return buffer.getvalue()


def svg_inline(url: str) -> Markup:
    """An ``<svg>`` element without a fixed size (CSS sizes it) for embedding in a page."""
    # segno writes only the code's path and our fixed attributes (the URL is not in the SVG): safe markup.
    return Markup(make_code(url).svg_inline(border=QUIET_ZONE, omitsize=True, svgclass="qr"))  # nosec B704
