"""seed-demo's programme data: the agency's 2020 affected-UMKM figures and a needs board whose
story is the APD need of a Palopo social organisation supplied by local garment makers."""
from sqlalchemy import func, select

from campaign.core.extensions import db
from campaign.domains.affected.models import AffectedReport
from campaign.domains.affected.queries import province_affected
from campaign.domains.needs.models import BuyerOrganisation, Need, Offer
from campaign.domains.needs.standing import region_institutional
from campaign.domains.regions.models import Region


def test_demo_programmes(app, runner, client):
    result = runner.invoke(args=["seed-demo", "--asn", "30", "--shops", "40", "--purchases", "50"])
    assert result.exit_code == 0, result.output
    assert "lembaga@demo.id" in result.output
    with app.app_context():
        data = province_affected()
        by_code = {r.code: (r.figures.businesses, r.figures.affected_workers) for r in data.regions}
        assert (data.totals.businesses, data.totals.affected_workers) == (1681, 1668)
        assert by_code["73.73"] == (876, 977) and by_code["73.22"] == (381, 274) and by_code["73.02"] == (114, 114)
        palopo = db.session.scalar(select(Region.id).where(Region.code == "73.73"))
        assert db.session.scalar(select(func.count()).select_from(AffectedReport).where(
            AffectedReport.region_id == palopo, AffectedReport.source == "owner")) > 0

        apd = db.session.scalar(select(Need).where(Need.title.like("%APD%")))
        assert apd.buyer.kind == "social" and apd.buyer.region.code == "73.73" and apd.category == "fesyen"
        offers = list(db.session.scalars(select(Offer).where(Offer.need_id == apd.id)))
        assert {o.status for o in offers} == {"completed", "delivered", "accepted"}
        assert sum(o.accepted_quantity for o in offers) == apd.quantity
        assert all(o.shop.category == "fesyen" for o in offers)
        assert region_institutional(code="73.73", campaign_id=None).amount > 0
        assert db.session.scalar(select(func.count()).select_from(BuyerOrganisation)) >= 3
    assert runner.invoke(args=["check-tallies"]).exit_code == 0
    with app.app_context():  # the bulk load's explicit ids left no sequence behind (PostgreSQL)
        from campaign.domains.auth.services import sign_up_shop_owner
        assert sign_up_shop_owner(name="Pendaftar Baru", login="baru@example.id", password="rahasia123",
                                  consent=True).id
    assert client.post("/masuk", data={"login": "lembaga@demo.id", "password": "demo12345"}).status_code == 302
    assert "Baju APD" in client.get(f"/kebutuhan/{apd.id}").get_data(as_text=True)
