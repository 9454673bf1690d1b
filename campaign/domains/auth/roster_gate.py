"""The ASN sign-up's question to the roster, asked through a registration, since the roster
domain sits above accounts (it imports users). Without a registered roster every NIP signs up
as before the roster existed."""
from __future__ import annotations

from typing import Any, Protocol


class RosterGate(Protocol):
    def entry_for_sign_up(self, *, nip: str, region: Any) -> Any | None:
        """The active roster entry of ``nip`` or None; raises ValidationFailed where the NIP may
        not sign up (retired, or not on a roster-checked region's roster)."""

    def has_roster(self, region_id: int) -> bool: ...

    def agency_names(self, region_id: int) -> list[str]: ...


class _NoRoster:
    def entry_for_sign_up(self, *, nip: str, region: Any) -> None:
        return None

    def has_roster(self, region_id: int) -> bool:
        return False

    def agency_names(self, region_id: int) -> list[str]:
        return []


_gate: RosterGate = _NoRoster()


def register_roster_gate(gate: RosterGate) -> None:
    global _gate
    _gate = gate


def roster_gate() -> RosterGate:
    return _gate
