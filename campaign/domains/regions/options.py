"""The kabupaten/kota and kecamatan as a filter's choices, kept per process.

The directory's filter form offers every active region (514 for the whole country) and the chosen
region's kecamatan on every page it renders; reading and wrapping them from the database each
time was a tenth of a cold directory page. They change only when ``init-db`` loads new area data,
which touches the ``reference`` change marker (regions and kecamatan are watched), so they are
kept in the read cache under that marker's token, as the directory's pages are under ``shops``.
"""
from __future__ import annotations

from typing import NamedTuple

from campaign.domains.regions.districts import districts_of
from campaign.domains.regions.services import all_regions
from campaign.web import readcache


class RegionOption(NamedTuple):
    id: int
    code: str
    full_name: str


def region_options() -> tuple[RegionOption, ...]:
    """The active kabupaten/kota in code order."""
    return readcache.remember(("region-options",), _reference(), lambda: tuple(
        RegionOption(region.id, region.code, region.full_name) for region in all_regions()))


def district_options(region_code: str | None) -> tuple[tuple[str, str], ...]:
    """(code, name) of the active kecamatan of the active region ``region_code``, by name; none
    for an unknown code or None."""
    region = next((option for option in region_options() if option.code == region_code), None) if region_code else None
    if region is None:
        return ()
    return readcache.remember(("district-options", region.id), _reference(), lambda: tuple(
        (district.code, district.name) for district in districts_of(region.id)))


def _reference() -> tuple:
    return readcache.shops_version()[:1]
