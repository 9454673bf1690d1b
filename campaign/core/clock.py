"""Local time in one place: which of Indonesia's zones (WIB, WITA, WIT) a date rule or a shown time
follows, its label, and what day it is there.

Each province's zone is data (``time_zone`` in ``campaign/domains/regions/data/provinces.csv``, from
Keppres 41/1987); the regions domain hands over the zones of the provinces served (``PROVINCES``) when
the app is built (:func:`configure`). With provinces in different zones:

- a region's dates follow its own province's zone: ``zone(region_code)`` (a purchase's "today" and the
  per-day limits by the buyer's region, a region page's weeks);
- everything else (the current campaign, the needs board, trainings, every time shown on a page, in an
  export, a share text or the API) follows the zone of the first province served: ``zone()``; a time
  shown always carries its label, so it is never ambiguous.

:func:`now` is the one clock every rule reads; tests fix it by replacing it (``monkeypatch``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from campaign.util import formatting
from campaign.util.formatting import as_utc, utcnow

LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@dataclass(frozen=True)
class Zone:
    """One of the three zones: ``name`` the IANA name, ``label`` what people read (``WIB``)."""

    name: str
    label: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.name)

    def today(self) -> date:
        return now().astimezone(self.tz).date()

    def local(self, moment: datetime) -> datetime:
        """A stored (UTC, possibly naive) moment as local time."""
        return as_utc(moment).astimezone(self.tz)

    def at(self, day: date, clock_time: time = time()) -> datetime:
        """``day`` at ``clock_time`` local, as an aware UTC moment."""
        return datetime.combine(day, clock_time, self.tz).astimezone(timezone.utc)

    def day_start(self, moment: datetime) -> datetime:
        """Midnight of ``moment``'s local day, in UTC."""
        return self.at(self.local(moment).date())


def now() -> datetime:
    """The current moment, aware UTC."""
    return utcnow()


def configure(app: Flask, zones: dict[str, str]) -> None:
    """Serve ``zones`` (province code -> IANA name, in the order of ``PROVINCES``); an unknown name
    is a RuntimeError, so the app does not start with a zone it cannot label."""
    unknown = sorted(set(zones.values()) - set(LABELS))
    if not zones or unknown:
        raise RuntimeError(f"time zones must be among {sorted(LABELS)}; got {unknown or 'none'}")
    app.extensions["clock"] = {code: Zone(name, LABELS[name]) for code, name in zones.items()}


def zone(region_code: str | None = None) -> Zone:
    """The zone of the region's province (``"34.71"`` or ``"34"``); without a code, or for a province
    not served, the deployment's: the first province served."""
    zones: dict[str, Zone] = current_app.extensions["clock"]
    if region_code and (found := zones.get(region_code.split(".")[0])):
        return found
    return next(iter(zones.values()))


def today(region_code: str | None = None) -> date:
    return zone(region_code).today()


def earliest_today() -> date:
    """The earliest of the served zones' dates: a day that has begun everywhere served (what a
    campaign opened "today" starts on, so the western provinces' evening is inside it)."""
    zones: dict[str, Zone] = current_app.extensions["clock"]
    return min(found.today() for found in zones.values())


def tanggal(value: date | datetime | None) -> str:
    """``27 November 2026``; a moment by its date in the deployment's zone."""
    return formatting.tanggal(value, zone().tz)


def waktu(value: datetime | None, region_code: str | None = None) -> str:
    """``27 November 2026 14.05 WIB``: in the region's zone, by default the deployment's."""
    where = zone(region_code)
    return formatting.waktu(value, where.tz, where.label)


def jam(value: datetime, region_code: str | None = None) -> str:
    """``14.05 WIB``."""
    where = zone(region_code)
    return f"{where.local(value):%H.%M} {where.label}"


def register(app: Flask) -> None:
    """The date and time filters templates use: ``tanggal``, ``waktu``; ``time_zone()`` for texts
    that name the zone."""
    app.jinja_env.filters.update(tanggal=tanggal, waktu=waktu)
    app.jinja_env.globals.update(time_zone=zone)
