"""Affected-UMKM reports: an owner's report per shop, coordinators' field reports and imports.

Every write moves :mod:`.tally` and records an audit event in the same transaction.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select

from campaign.core import audit
from campaign.core.database import write_transaction
from campaign.core.errors import NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.core.validation import require_text
from campaign.domains.affected import tally
from campaign.domains.affected.models import BUSINESS_STATUSES, MAX_WORKERS, NEEDS, REVENUE_DROPS, AffectedReport
from campaign.domains.auth.models import User
from campaign.domains.regions.models import Region
from campaign.domains.regions.services import region_by_code
from campaign.domains.shops.models import CATEGORIES, Shop


@dataclass(frozen=True)
class Impact:
    """What a report says about the business, already checked (see :func:`check_impact`)."""

    status: str
    workers_before: int
    workers_now: int
    revenue_drop: str
    main_need: str


def _field(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={name: [message]})


def _choice(name: str, value, choices: dict[str, str], label: str) -> str:
    if value not in choices:
        raise _field(name, f"Pilih {label} dari daftar.")
    return value


def _workers(name: str, value, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WORKERS:
        raise _field(name, f"{label}: bilangan bulat 0 sampai {MAX_WORKERS:,}.".replace(",", "."))
    return value


def check_impact(*, status, workers_before, workers_now, revenue_drop, main_need) -> Impact:
    """Raise ValidationFailed naming every faulty field; a closed business has no workers now."""
    errors: dict[str, list[str]] = {}
    values = {}
    for name, check in (("status", lambda: _choice("status", status, BUSINESS_STATUSES, "status usaha")),
                        ("workers_before", lambda: _workers("workers_before", workers_before, "Pekerja sebelum")),
                        ("workers_now", lambda: _workers("workers_now", workers_now, "Pekerja sekarang")),
                        ("revenue_drop", lambda: _choice("revenue_drop", revenue_drop, REVENUE_DROPS,
                                                         "penurunan omzet")),
                        ("main_need", lambda: _choice("main_need", main_need, NEEDS, "kebutuhan utama"))):
        try:
            values[name] = check()
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if not errors and values["status"] in ("closed", "closed_temp") and values["workers_now"] > 0:
        errors["workers_now"] = ["Usaha yang tutup tidak mempekerjakan siapa pun sekarang; isi 0."]
    if errors:
        raise ValidationFailed("Data dampak tidak valid. Periksa isian yang ditandai.", fields=errors)
    return Impact(**values)


def _snapshot(report: AffectedReport) -> dict:
    return {"status": report.status, "workers_before": report.workers_before, "workers_now": report.workers_now,
            "revenue_drop": report.revenue_drop, "main_need": report.main_need}


def report_for_shop(*, owner: User, shop_id: int, impact: Impact) -> AffectedReport:
    """The owner reports (or updates) how one of their shops was hit. One report per shop (a
    database constraint); a rejected shop cannot report. Unchanged values write nothing."""
    with write_transaction():
        shop = db.session.scalar(select(Shop).where(Shop.id == shop_id).with_for_update())
        if shop is None:
            raise NotFound("Toko tidak ditemukan.")
        if shop.owner_id != owner.id:
            raise PermissionDenied("Hanya pemilik toko yang dapat melaporkan dampak usahanya.")
        if shop.status == "rejected":
            raise PermissionDenied("Toko yang ditolak tidak dapat melaporkan dampak; perbaiki pendaftarannya dulu.")
        report = db.session.scalar(select(AffectedReport).where(AffectedReport.shop_id == shop.id))
        old = tally.ReportState.of(report) if report else None
        before = _snapshot(report) if report else None
        if report is None:
            report = AffectedReport(shop_id=shop.id, source="owner")
            db.session.add(report)
        elif before == asdict(impact):
            return report
        _fill(report, impact, region_id=shop.region_id, name=shop.name, category=shop.category, by=owner.id)
        db.session.flush()
        tally.move(old, tally.ReportState.of(report))
        audit.record(actor=owner, action="affected.reported", entity=report, region_id=shop.region_id,
                     before=before, after=_snapshot(report))
    return report


def _fill(report: AffectedReport, impact: Impact, *, region_id: int, name: str, category: str, by: int) -> None:
    report.region_id, report.business_name, report.category, report.reported_by_id = region_id, name, category, by
    for key, value in asdict(impact).items():
        setattr(report, key, value)


@dataclass(frozen=True)
class FieldBusiness:
    """A business found in the field: who and where, already checked."""

    region: Region
    business_name: str
    category: str


def check_business(*, region_code: str, business_name: str, category: str) -> FieldBusiness:
    errors: dict[str, list[str]] = {}
    region = name = None
    try:
        region = region_by_code(region_code or "")
    except NotFound as exc:
        errors["region"] = [exc.message]
    try:
        name = require_text(business_name, "business_name", "Nama usaha", 120)
    except ValidationFailed as exc:
        errors.update(exc.fields)
    if category not in CATEGORIES:
        errors["category"] = ["Pilih kategori dari daftar."]
    if errors:
        raise ValidationFailed("Data usaha tidak valid. Periksa isian yang ditandai.", fields=errors)
    return FieldBusiness(region, name, category)


def _coordinator_of(actor: User, region: Region) -> User:
    actor = db.session.get(User, actor.id)
    if actor is None or not actor.coordinates(region.id):
        raise PermissionDenied(f"Hanya koordinator {region.kind} {region.name} atau admin yang dapat "
                               "mencatat data lapangan di wilayah ini.")
    return actor


def record_field_reports(*, actor: User, reports: list[tuple[FieldBusiness, Impact]]) -> list[AffectedReport]:
    """A coordinator (of each report's region) or an admin records field reports for businesses
    that are not on the platform: all of them or, on any refusal, none."""
    created = []
    with write_transaction():
        for business, impact in reports:
            user = _coordinator_of(actor, business.region)
            report = AffectedReport(source="field", shop_id=None)
            _fill(report, impact, region_id=business.region.id, name=business.business_name,
                  category=business.category, by=user.id)
            db.session.add(report)
            db.session.flush()
            tally.move(None, tally.ReportState.of(report))
            audit.record(actor=user, action="affected.field_reported", entity=report, region_id=report.region_id,
                         after={"business_name": report.business_name, **_snapshot(report)})
            created.append(report)
    return created


def delete_report(*, actor: User, report_id: int) -> None:
    """The region's coordinator (or an admin) removes a wrong report; it leaves the totals."""
    with write_transaction():
        report = db.session.scalar(select(AffectedReport).where(AffectedReport.id == report_id).with_for_update())
        if report is None:
            raise NotFound("Laporan tidak ditemukan.")
        user = _coordinator_of(actor, report.region)
        tally.move(tally.ReportState.of(report), None)
        audit.record(actor=user, action="affected.deleted", entity=report, region_id=report.region_id,
                     before={"business_name": report.business_name, **_snapshot(report)})
        db.session.delete(report)
