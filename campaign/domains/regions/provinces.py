"""The provinces this deployment serves (configuration ``PROVINCES``, Kemendagri codes), their
names and region counts for every text that mentions them, and the appeal letter behind them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from flask import Flask, current_app

from campaign.core import clock
from campaign.domains.regions import areas


@dataclass(frozen=True)
class ProvinceScope:
    """The configured provinces: ``name`` reads "Sulawesi Selatan" for one, "A dan B" for two,
    "A, B dan C" for more; ``region_count`` is their kabupaten/kota in the kept data."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    region_count: int

    @property
    def name(self) -> str:
        if len(self.names) == 1:
            return self.names[0]
        return f"{', '.join(self.names[:-1])} dan {self.names[-1]}"


@dataclass(frozen=True)
class Appeal:
    """The letter a campaign answers: who issued it, its number and date."""

    office: str
    number: str
    date: date


def normalize(value) -> tuple[str, ...]:
    """``PROVINCES`` as a tuple of known codes: a JSON list (``["34"]``, ``[34, 35]``) or one code.

    Raises ValueError naming what is wrong (empty, or a code not in ``data/provinces.csv``).
    """
    items = value if isinstance(value, list | tuple) else [value]
    codes = tuple(dict.fromkeys(f"{item:02d}" if isinstance(item, int) else str(item).strip() for item in items))
    unknown = [code for code in codes if code not in areas.provinces()]
    if not codes or unknown:
        raise ValueError(f"PROVINCES must list province codes from {areas.DATA_DIR / 'provinces.csv'} "
                         f"(e.g. [\"73\"]); unknown: {unknown or 'none given'}")
    return codes


def configured_provinces() -> tuple[str, ...]:
    return normalize(current_app.config["PROVINCES"])


@cache
def scope_of(codes: tuple[str, ...]) -> ProvinceScope:
    names = tuple(areas.provinces()[code] for code in codes)
    return ProvinceScope(codes, names, sum(len(areas.regencies(code)) for code in codes))


def province_scope() -> ProvinceScope:
    return scope_of(configured_provinces())


def appeal() -> Appeal | None:
    """The appeal letter configured (``APPEALS``) for the one province served; None for a province
    without one, or when several are served."""
    codes = configured_provinces()
    letter = current_app.config.get("APPEALS", {}).get(codes[0]) if len(codes) == 1 else None
    if not letter:
        return None
    return Appeal(letter["office"], letter["number"], date.fromisoformat(str(letter["date"])))


def register(app: Flask) -> None:
    """Refuse to start with an unknown province; serve the provinces' time zones (``core.clock``);
    give templates ``province`` and ``appeal``."""
    try:
        app.config["PROVINCES"] = list(normalize(app.config.get("PROVINCES")))
    except ValueError as exc:
        raise RuntimeError(str(exc)) from None
    clock.configure(app, {code: areas.time_zones()[code] for code in app.config["PROVINCES"]})

    @app.context_processor
    def province_globals() -> dict:
        return {"province": province_scope(), "appeal": appeal()}
