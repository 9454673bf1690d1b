"""Katalog: a region's verified shops as a printable page and WhatsApp-ready texts per category,
for selling through the WhatsApp groups people already use."""
