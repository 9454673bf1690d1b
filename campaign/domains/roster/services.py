"""Changing the roster: bulk import (province admins), single add and retire (a region's
coordinator or an admin), and the check ASN sign-up runs against it."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import select

from campaign.core import audit
from campaign.core.database import write_transaction
from campaign.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.core.validation import require_text
from campaign.domains.auth.models import User
from campaign.domains.auth.roster_gate import register_roster_gate
from campaign.domains.auth.validation import clean_nip
from campaign.domains.regions.areas import provinces
from campaign.domains.regions.models import Region
from campaign.domains.regions.services import all_regions, region_by_code
from campaign.domains.roster import standing
from campaign.domains.roster.files import NUMERIC_NIP, read_rows
from campaign.domains.roster.models import RosterEntry, RosterImport
from campaign.domains.roster.queries import agency_names, has_roster
from campaign.util.formatting import utcnow
from campaign.web.uploads import XlsxLimits

CHUNK = 5_000
REPORTED_REFUSALS = 200  # refusals listed one by one; the counts cover all of them
VALUES = ("name", "agency_name", "region_id", "active")


@dataclass(frozen=True)
class Refusal:
    line: int
    nip: str
    reason: str


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    refusals: list[Refusal] = field(default_factory=list)  # the first REPORTED_REFUSALS
    import_id: int | None = None

    def refuse(self, line: int, nip: str, reason: str) -> None:
        self.refused += 1
        if len(self.refusals) < REPORTED_REFUSALS:
            self.refusals.append(Refusal(line, nip, reason))


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _required(text: str, label: str, max_length: int) -> str:
    """As :func:`campaign.domains.auth.validation.require_text`, at a rate fit for 200,000 rows."""
    cleaned = _tidy(text)
    if not cleaned:
        raise ValidationFailed(f"{label} wajib diisi.")
    if len(cleaned) > max_length:
        raise ValidationFailed(f"{label} maksimal {max_length} karakter.")
    return cleaned


class _RegionLookup:
    """A region from what a roster file says: Kemendagri code, BPS code or name ("Kota Palopo")."""

    def __init__(self, regions: Iterable[Region]):
        self.by_text: dict[str, Region] = {}
        for region in regions:
            for text in (region.code, region.bps_code, region.full_name, region.name):
                if text:  # no BPS code outside the overlay (campaign/domains/regions/data/README.md)
                    self.by_text.setdefault(text.casefold(), region)

    def find(self, text: str) -> Region | None:
        found = self.by_text.get(text)  # the common case: a code exactly as written
        return found if found is not None else self.by_text.get(_tidy(text).casefold())


def _checked_rows(content: bytes, filename: str, scope: Region | None, report: ImportReport,
                  from_web: bool, province: str | None = None) -> dict[str, dict]:
    """The file's acceptable rows by NIP; every other row is refused on ``report`` with its reason
    (a province admin's: also a row of another province's region)."""
    regions = _RegionLookup(all_regions())
    accepted: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    config = current_app.config
    limits = dict(max_rows=config["ROSTER_WEB_MAX_ROWS"], xlsx=XlsxLimits(max_unpacked=config["IMPORT_XLSX_MAX_UNPACKED"])) \
        if from_web else dict(max_rows=None, xlsx=XlsxLimits(max_unpacked=config["CLI_XLSX_MAX_UNPACKED"]))
    for line, raw in read_rows(content, filename, **limits):
        nip_text = raw["nip"]
        try:
            if nip_text == NUMERIC_NIP:
                raise ValidationFailed("NIP tersimpan sebagai angka di Excel (digit terakhir hilang); "
                                       "format kolom NIP sebagai teks.")
            nip = clean_nip(nip_text)
            row = {"nip": nip, "name": _required(raw["name"], "Nama", 120),
                   "agency_name": _required(raw["agency"], "Instansi/OPD", 160),
                   "region_id": _row_region(raw.get("region", ""), scope, regions, province).id, "active": True}
        except DomainError as exc:
            report.refuse(line, nip_text, exc.message)
            continue
        if nip in first_line:
            report.refuse(line, nip, f"NIP ganda dalam berkas (sudah ada di baris {first_line[nip]}).")
            continue
        first_line[nip] = line
        accepted[nip] = row
    return accepted


def _row_region(text: str, scope: Region | None, regions: _RegionLookup, province: str | None) -> Region:
    if not text.strip():
        if scope is None:
            raise ValidationFailed("Kabupaten/kota kosong (wajib untuk impor seluruh provinsi).")
        return scope
    region = regions.find(text)
    if region is None:
        raise ValidationFailed(f"Kabupaten/kota {text!r} tidak dikenal; gunakan kode Kemendagri, mis. 73.73.")
    if scope is not None and region.id != scope.id:
        raise ValidationFailed(f"Di luar wilayah yang dipilih ({region.full_name}, bukan {scope.full_name}).")
    if province is not None and region.province_code != province:
        raise ValidationFailed(f"{region.full_name} di provinsi lain ({provinces()[region.province_code]}); "
                               f"admin provinsi {provinces()[province]} hanya dapat mengimpor ASN provinsinya.")
    return region


def import_roster(*, actor: User | None, content: bytes, filename: str, region_code: str | None) -> ImportReport:
    """Load a roster file for one region (``region_code``) or the whole province (None).

    Idempotent: a row equal to its stored entry is counted ``unchanged``; a changed one (name,
    agency, region, or a retired entry listed again) ``updated``; a new NIP ``added``. Entries
    missing from the file are left as they are (retire them one by one). Refused, with the
    reason, line by line: a malformed NIP, a missing name or agency, an unknown region, a region
    outside the chosen one or (for a province admin) outside their province, a NIP repeated in the file. Written in bulk (``INSERT ... ON
    CONFLICT`` in chunks of CHUNK), one audit event with the counts. Province admins only
    (``actor`` None: the command line, whose user holds the database anyway). From the web a file
    holds at most ``ROSTER_WEB_MAX_ROWS`` rows and an xlsx unpacks to ``IMPORT_XLSX_MAX_UNPACKED``
    bytes, so no upload holds a worker for long; the command line has no row limit. Raises
    PermissionDenied, NotFound (region) or ValidationFailed (unreadable or too large a file).
    """
    if actor is not None and not actor.is_admin:
        raise PermissionDenied("Hanya admin provinsi yang dapat mengimpor daftar ASN.")
    scope = region_by_code(region_code) if region_code else None
    if actor is not None and scope is not None and not actor.covers(scope.code):
        raise PermissionDenied(f"{scope.full_name} di luar provinsi Anda.")
    report = ImportReport()
    rows = _checked_rows(content, filename, scope, report, from_web=actor is not None,
                         province=actor.admin_province if actor is not None else None)
    with write_transaction():
        changed = _classify(rows, report)
        _upsert(changed)
        if changed:
            standing.sync()  # the verified spend of ASN who came onto the roster moves with it
        record = RosterImport(actor_id=actor.id if actor else None, region_id=scope.id if scope else None, filename=filename[:200],
                              added=report.added, updated=report.updated, unchanged=report.unchanged,
                              refused=report.refused)
        db.session.add(record)
        audit.record(actor=actor, action="roster.imported", entity=record, region_id=record.region_id,
                     after={"region": scope.code if scope else None, "filename": record.filename,
                            "added": report.added, "updated": report.updated, "unchanged": report.unchanged,
                            "refused": report.refused})
    report.import_id = record.id
    return report


def _classify(rows: dict[str, dict], report: ImportReport) -> list[dict]:
    """Compare with the stored entries (read CHUNK NIPs at a time through the driver); the rows to
    write, counted on ``report``."""
    nips = list(rows)
    changed = []
    connection = db.session.connection()
    postgresql = connection.dialect.name == "postgresql"
    cursor = connection.connection.driver_connection.cursor()
    table = RosterEntry.__table__.name
    for start in range(0, len(nips), CHUNK):
        chunk = nips[start:start + CHUNK]
        if postgresql:  # one array parameter, joined: "nip = ANY(array)" over a seq scan is rows x array
            cursor.execute(f"SELECT e.nip, {', '.join('e.' + v for v in VALUES)} FROM {table} e "  # nosec B608: table/column names come from the code; values are bound parameters
                           "JOIN unnest(%s::varchar[]) AS wanted(nip) ON wanted.nip = e.nip", [chunk])
        else:
            cursor.execute(f"SELECT nip, {', '.join(VALUES)} FROM {table} "  # nosec B608: table/column names come from the code; values are bound parameters
                           f"WHERE nip IN ({', '.join('?' * len(chunk))})", chunk)
        stored = {nip: tuple(values) for nip, *values in cursor.fetchall()}
        for nip in chunk:
            row = rows[nip]
            before = stored.get(nip)
            if before is None:
                report.added += 1
            elif before == tuple(row[name] for name in VALUES):  # SQLite's 1/0 equal True/False
                report.unchanged += 1
                continue
            else:
                report.updated += 1
            changed.append(row)
    return changed


def _upsert(rows: list[dict]) -> None:
    """``INSERT ... ON CONFLICT (nip) DO UPDATE`` through the driver's executemany, CHUNK rows at a
    time, inside the session's transaction (SQLAlchemy's own executemany spent most of the time
    building parameters; psycopg pipelines these, SQLite runs them in one prepared statement)."""
    if not rows:
        return
    connection = db.session.connection()
    table = RosterEntry.__table__
    names = ("nip", *VALUES, "updated_at")
    process = [table.c[name].type._cached_bind_processor(connection.dialect) for name in names]
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    sql = (f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))}) "  # nosec B608: table/column names come from the code; values are bound parameters
           f"ON CONFLICT (nip) DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in names[1:])}")
    now = utcnow()
    cursor = connection.connection.driver_connection.cursor()
    for start in range(0, len(rows), CHUNK):
        chunk = [{**row, "updated_at": now} for row in rows[start:start + CHUNK]]
        cursor.executemany(sql, [[p(row[n]) if p else row[n] for p, n in zip(process, names)] for row in chunk])


# --- single entries, by a region's coordinator -------------------------------------------------

def _require_coordinator(actor: User, region: Region) -> None:
    if not actor.coordinates(region.id):
        raise PermissionDenied("Hanya koordinator wilayah ini atau admin yang dapat mengubah daftar ASN-nya.")


def add_entry(*, actor: User, region_code: str, nip: str, name: str, agency_name: str) -> RosterEntry:
    """Put one ASN on the roster of a region that has one (a retired entry of that region comes
    back, with the new name and agency). Raises PermissionDenied, ValidationFailed (shape; no roster
    loaded yet) or Conflict (the NIP is active on a roster already)."""
    region = region_by_code(region_code)
    _require_coordinator(actor, region)
    nip = clean_nip(nip)
    values = {"name": require_text(name, "name", "Nama", 120),
              "agency_name": require_text(agency_name, "agency_name", "Instansi/OPD", 160)}
    with write_transaction():
        if not has_roster(region.id):
            raise ValidationFailed(f"{region.full_name} belum memiliki daftar ASN; admin provinsi mengimpornya dulu.")
        entry = db.session.scalar(select(RosterEntry).where(RosterEntry.nip == nip).with_for_update())
        if entry is not None and (entry.active or entry.region_id != region.id):
            message = "NIP ini sudah ada di daftar ASN" + ("." if entry.region_id == region.id
                                                         else f" {entry.region.full_name}.")
            raise Conflict(message, fields={"nip": [message]})
        before = None if entry is None else {"active": False, "name": entry.name, "agency": entry.agency_name}
        if entry is None:
            entry = RosterEntry(nip=nip, region_id=region.id)
            db.session.add(entry)
        entry.name, entry.agency_name = values["name"], values["agency_name"]
        entry.active, entry.updated_at = True, utcnow()
        db.session.flush()
        standing.sync(nip)
        audit.record(actor=actor, action="roster.entry_added", entity=entry, region_id=region.id, before=before,
                     after={"active": True, "name": entry.name, "agency": entry.agency_name})
    return entry


def retire_entry(*, actor: User, entry_id: int) -> RosterEntry:
    """Take an ASN off the active roster (moved, retired, left): their NIP can no longer sign up;
    an account already made stays. Raises NotFound, PermissionDenied or Conflict (already retired)."""
    with write_transaction():
        entry = db.session.scalar(select(RosterEntry).where(RosterEntry.id == entry_id).with_for_update())
        if entry is None:
            raise NotFound("Entri daftar ASN tidak ditemukan.")
        _require_coordinator(actor, entry.region)
        if not entry.active:
            raise Conflict("Entri ini sudah tidak aktif.")
        entry.active, entry.updated_at = False, utcnow()
        db.session.flush()
        standing.sync(entry.nip)
        audit.record(actor=actor, action="roster.entry_retired", entity=entry, region_id=entry.region_id,
                     before={"active": True}, after={"active": False})
    return entry


# --- the gate at sign-up -------------------------------------------------------------------

def entry_for_sign_up(*, nip: str, region: Region) -> RosterEntry | None:
    """The active roster entry of ``nip`` (whose region and agency the new account takes), or None
    when the NIP is on no roster and ``region`` has none (sign-up as before the roster).

    Raises ValidationFailed on ``nip``: retired, or not on the roster of a roster-checked region.
    Runs inside the sign-up's transaction.
    """
    # shared lock: a retirement of this NIP waits for the new account, and then finds its profile
    entry = db.session.scalar(select(RosterEntry).where(RosterEntry.nip == nip).with_for_update(read=True))
    if entry is not None and not entry.active:
        message = "NIP ini sudah tidak aktif di daftar ASN. Hubungi koordinator kabupaten/kota Anda."
        raise ValidationFailed(message, fields={"nip": [message]})
    if entry is None and has_roster(region.id):
        message = (f"NIP ini tidak ada di daftar ASN {region.full_name}. Periksa NIP Anda, atau minta "
                   "koordinator kabupaten/kota menambahkannya.")
        raise ValidationFailed(message, fields={"nip": [message]})
    return entry


def connect_signals() -> None:
    """Let the ASN sign-up (accounts, a lower domain) ask the roster."""
    register_roster_gate(SimpleNamespace(entry_for_sign_up=entry_for_sign_up, has_roster=has_roster,
                                         agency_names=agency_names))
