"""Every rule of the affected-UMKM data, at the service layer (the HTML views and the API share it)."""
import pytest
from helpers import user
from sqlalchemy import select, update

from campaign.core.audit import AuditEvent
from campaign.core.errors import NotFound, PermissionDenied, ValidationFailed
from campaign.core.extensions import db
from campaign.domains.affected import queries, services
from campaign.domains.affected.models import AffectedReport, AffectedTally
from campaign.domains.tallies.reconcile import find_differences, rebuild


def impact(**overrides) -> services.Impact:
    values = {"status": "reduced", "workers_before": 5, "workers_now": 2, "revenue_drop": "50_75",
              "main_need": "capital", **overrides}
    return services.check_impact(**values)


def _report(app, owner, shop_id, **overrides):
    with app.app_context():
        return services.report_for_shop(owner=user(owner), shop_id=shop_id, impact=impact(**overrides)).id


def _field(app, actor, region="73.73", count=1, **overrides):
    with app.app_context():
        business = services.check_business(region_code=region, business_name="Konveksi Hj. Marwah",
                                           category="fesyen")
        return [r.id for r in services.record_field_reports(
            actor=user(actor), reports=[(business, impact(**overrides))] * count)]


def _region(app, code="73.73"):
    with app.app_context():
        return queries.region_affected(code).figures


def test_owner_report_counts_one_business_and_its_lost_jobs(app, make_owner, make_shop, tallies_agree):
    owner = make_owner()
    _report(app, owner, make_shop(owner=owner), workers_before=5, workers_now=2)
    app.config["MIN_PUBLIC_PARTICIPANTS"] = 1
    figures = _region(app)
    assert (figures.businesses, figures.affected_workers) == (1, 3)
    assert [b.businesses for b in figures.by_status if b.code == "reduced"] == [1]
    assert [b.affected_workers for b in figures.by_need if b.code == "capital"] == [3]
    tallies_agree()


def test_one_report_per_shop_a_second_one_updates_it(app, make_owner, make_shop, fetch, tallies_agree):
    owner = make_owner()
    shop = make_shop(owner=owner)
    first = _report(app, owner, shop, status="reduced", workers_before=5, workers_now=2)
    second = _report(app, owner, shop, status="closed", workers_before=5, workers_now=0, main_need="market")
    assert first == second
    assert len(fetch(select(AffectedReport))) == 1
    app.config["MIN_PUBLIC_PARTICIPANTS"] = 1
    figures = _region(app)
    assert (figures.businesses, figures.affected_workers) == (1, 5)
    assert {b.code: b.businesses for b in figures.by_status}["reduced"] == 0
    assert {b.code: b.businesses for b in figures.by_need}["market"] == 1
    tallies_agree()


def test_only_the_shops_owner_reports(app, make_owner, make_shop):
    shop = make_shop()
    with pytest.raises(PermissionDenied):
        _report(app, make_owner(), shop)


def test_rejected_shop_cannot_report(app, make_owner, make_shop):
    owner = make_owner()
    with pytest.raises(PermissionDenied, match="ditolak"):
        _report(app, owner, make_shop(owner=owner, status="rejected"))


def test_pending_shop_may_report(app, make_owner, make_shop):
    owner = make_owner()
    assert _report(app, owner, make_shop(owner=owner, status="pending"))


def test_unknown_shop_is_not_found(app, make_owner):
    with pytest.raises(NotFound):
        _report(app, make_owner(), 999_999)


@pytest.mark.parametrize("field, value", [("status", "bankrupt"), ("workers_before", -1), ("workers_now", 100_001),
                                          ("workers_before", "5"), ("revenue_drop", "90"), ("main_need", "luck")])
def test_impact_shape(field, value):
    with pytest.raises(ValidationFailed) as info:
        impact(**{field: value})
    assert field in info.value.fields


@pytest.mark.parametrize("status", ["closed", "closed_temp"])
def test_closed_business_has_no_workers_now(status):
    with pytest.raises(ValidationFailed) as info:
        impact(status=status, workers_now=1)
    assert "workers_now" in info.value.fields
    assert impact(status=status, workers_now=0).workers_now == 0


def test_affected_workers_never_negative(app, make_staff, tallies_agree):
    admin = make_staff(role="admin")
    app.config["MIN_PUBLIC_PARTICIPANTS"] = 1
    _field(app, admin, status="open", workers_before=2, workers_now=6)
    assert _region(app).affected_workers == 0
    tallies_agree()


def test_field_reports_by_the_regions_coordinator_or_an_admin(app, make_staff, tallies_agree):
    assert len(_field(app, make_staff(region="73.73"), region="73.73")) == 1
    assert len(_field(app, make_staff(role="admin"), region="73.02")) == 1
    with pytest.raises(PermissionDenied):
        _field(app, make_staff(region="73.71"), region="73.73")
    tallies_agree()


def test_field_report_needs_a_known_region_a_name_and_a_category(app):
    with app.app_context(), pytest.raises(ValidationFailed) as info:
        services.check_business(region_code="99.99", business_name="  ", category="perhiasan")
    assert set(info.value.fields) == {"region", "business_name", "category"}


def test_deleting_a_report_takes_it_out_of_the_totals(app, make_staff, tallies_agree):
    coordinator = make_staff(region="73.73")
    ids = _field(app, coordinator, count=6)
    with app.app_context():
        services.delete_report(actor=user(coordinator), report_id=ids[0])
        with pytest.raises(PermissionDenied):
            services.delete_report(actor=user(make_staff(region="73.71")), report_id=ids[1])
    assert _region(app).businesses == 5
    tallies_agree()


def test_every_change_is_audited(app, make_owner, make_shop, make_staff, fetch):
    owner = make_owner()
    shop = make_shop(owner=owner)
    _report(app, owner, shop)
    _report(app, owner, shop, workers_now=1)
    _report(app, owner, shop, workers_now=1)  # unchanged: nothing written
    (field_id,) = _field(app, make_staff(role="admin"))
    events = fetch(select(AuditEvent).where(AuditEvent.entity_type == "affectedreport").order_by(AuditEvent.id))
    assert [e.action for e in events] == ["affected.reported", "affected.reported", "affected.field_reported"]
    assert events[1].before["workers_now"] == 2 and events[1].after["workers_now"] == 1
    assert events[2].entity_id == field_id


def test_small_numbers_stay_private(app, make_staff):
    coordinator = make_staff(region="73.73")
    _field(app, coordinator, count=4)
    figures = _region(app)
    assert (figures.businesses, figures.affected_workers) == (None, None)
    _field(app, coordinator, count=1, status="closed", workers_now=0)
    figures = _region(app)
    assert (figures.businesses, figures.affected_workers) == (5, 3 * 4 + 5)
    by_status = {b.code: b.businesses for b in figures.by_status}
    # 4 reduced and 1 closed: both withheld, since the total minus one would give the other away
    assert by_status == {"open": 0, "reduced": None, "closed_temp": 0, "closed": None}


def test_the_total_cannot_give_a_withheld_bucket_away(app, make_staff):
    coordinator = make_staff(region="73.73")
    _field(app, coordinator, count=6)
    _field(app, coordinator, count=2, status="closed", workers_now=0)
    figures = _region(app)
    by_status = {b.code: b.businesses for b in figures.by_status}
    assert by_status["closed"] is None and by_status["reduced"] is None and figures.businesses == 8


def test_coordinator_and_admin_see_real_figures(app, make_staff):
    coordinator = make_staff(region="73.73")
    _field(app, coordinator, count=2)
    with app.app_context():
        for person in (coordinator, make_staff(role="admin")):
            assert queries.region_affected("73.73", viewer=user(person)).figures.businesses == 2
        assert queries.region_affected("73.73", viewer=user(make_staff(region="73.71"))).figures.businesses is None


def test_province_withholds_enough_regions_that_the_total_gives_none_away(app, make_staff):
    admin = make_staff(role="admin")
    _field(app, admin, region="73.73", count=9)
    _field(app, admin, region="73.02", count=6)
    _field(app, admin, region="73.22", count=2)
    with app.app_context():
        public = {r.code: r.figures.businesses for r in queries.province_affected().regions}
        assert public["73.73"] == 9 and public["73.22"] is None and public["73.02"] is None
        assert queries.province_affected().totals.businesses == 17
        assert {r.code: r.figures.businesses for r in
                queries.province_affected(viewer=user(admin)).regions}["73.22"] == 2


def test_small_number_minimum_is_configurable(app, make_staff):
    _field(app, make_staff(region="73.73"), count=2)
    app.config["MIN_PUBLIC_PARTICIPANTS"] = 2
    assert _region(app).businesses == 2


def test_province_lists_every_region_most_affected_first(app, make_staff):
    admin = make_staff(role="admin")
    _field(app, admin, region="73.02", count=5)
    _field(app, admin, region="73.73", count=7)
    with app.app_context():
        data = queries.province_affected()
    assert len(data.regions) == 24
    assert [r.code for r in data.regions[:3]] == ["73.73", "73.02", "73.01"]
    assert data.totals.businesses == 12 and data.totals.affected_workers == 36


def test_check_tallies_catches_and_rebuild_repairs_drift(app, make_staff):
    _field(app, make_staff(role="admin"), count=3)
    with app.app_context():
        db.session.execute(update(AffectedTally).where(AffectedTally.dimension == "total").values(businesses=9))
        db.session.commit()
        problems = find_differences()
        assert problems and "affected_tally" in problems[0]
        rebuild()
        assert find_differences() == []
