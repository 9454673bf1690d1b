"""Buyer organisations (lembaga): sign-up, verification by the region's coordinator, their page."""
