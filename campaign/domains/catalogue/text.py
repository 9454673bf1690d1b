"""The WhatsApp text of one catalogue section: short enough to paste into a group and to travel
inside a ``wa.me`` link on a cheap phone."""
from __future__ import annotations

from urllib.parse import quote

from campaign.domains.catalogue.queries import CatalogueSection

MAX_SHOPS_IN_TEXT = 15
MAX_PRODUCTS = 60


def _products(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_PRODUCTS else text[:MAX_PRODUCTS - 1].rstrip() + "\u2026"


def section_text(section: CatalogueSection, *, region_name: str, catalogue_url: str) -> str:
    """``*Kuliner di Kota Palopo*``, then one line per shop (name, products, order link), at most
    MAX_SHOPS_IN_TEXT; the rest are named by count with the catalogue's address."""
    lines = [f"*{section.label} di {region_name}*", "Belanja di warung tetangga, pesan langsung ke WhatsApp toko:", ""]
    for n, shop in enumerate(section.shops[:MAX_SHOPS_IN_TEXT], start=1):
        products = _products(shop.products)
        lines.append(f"{n}. *{shop.name}* ({shop.district})" + (f": {products}" if products else ""))
        lines.append(f"   Pesan: https://wa.me/{shop.whatsapp.lstrip('+')}")
    rest = section.total - min(len(section.shops), MAX_SHOPS_IN_TEXT)
    lines.append("")
    if rest > 0:
        lines.append(f"Dan {rest} toko lain.")
    lines.append(f"Katalog lengkap: {catalogue_url}")
    return "\n".join(lines)


def share_url(text: str) -> str:
    """``https://wa.me/?text=...``: WhatsApp asks which chat or group to send it to."""
    return "https://wa.me/?text=" + quote(text, safe="")
