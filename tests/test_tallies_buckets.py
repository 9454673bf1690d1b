"""The one definition of a purchase's buckets (campaign.domains.tallies.buckets): seed-demo's numpy
tallies, the single and batch moves and the reconcile checks all agree with it."""
from sqlalchemy import select

from campaign.core.extensions import db
from campaign.domains.purchases.models import Purchase
from campaign.domains.tallies.buckets import TALLY_FIELDS, WEEK_FIELDS, Contribution, steps
from campaign.domains.tallies.models import Tally, TallyWeek
from campaign.domains.tallies.reconcile import find_differences


def _from_buckets(purchases) -> tuple[dict, dict]:
    """Tallies and weeks (without pledges) as the buckets define them, counted in plain Python."""
    contribution = Contribution.of((p, None, p.status) for p in purchases)
    tallies = {key: [*sums, 0, 0, 0] for key, sums in contribution.tallies.items()}
    for (campaign_id, dimension, key, kind, _member), (realized, verified) in contribution.members.items():
        row = tallies[(campaign_id, dimension, key)]
        if kind == "asn":
            row[4] += realized > 0
            row[6] += verified > 0
        else:
            row[5] += realized > 0
    weeks = {key: [*sums, 0, 0] for key, sums in contribution.weeks.items()}
    for (campaign_id, dimension, key, week, _buyer), (realized, verified) in contribution.week_members.items():
        weeks[(campaign_id, dimension, key, week)][4] += realized > 0
        weeks[(campaign_id, dimension, key, week)][5] += verified > 0
    return ({key: tuple(row) for key, row in tallies.items() if any(row)},
            {key: tuple(row) for key, row in weeks.items() if any(row)})


def _stored() -> tuple[dict, dict]:
    tallies = {(t.campaign_id, t.dimension, t.key_id): tuple(getattr(t, f) for f in TALLY_FIELDS[:7])
               for t in db.session.scalars(select(Tally))}
    weeks = {(w.campaign_id, w.dimension, w.key_id, w.week_start): tuple(getattr(w, f) for f in WEEK_FIELDS)
             for w in db.session.scalars(select(TallyWeek))}
    return ({k: v for k, v in tallies.items() if any(v)}, {k: v for k, v in weeks.items() if any(v)})


def test_status_moves_step_the_realized_and_verified_buckets():
    assert steps(None, "reported") == (1, 0)
    assert steps("reported", "confirmed") == (0, 1)
    assert steps("confirmed", "voided") == (-1, -1)
    assert steps("reported", "disputed") == (-1, 0)
    assert steps("disputed", "voided") == (0, 0)


def test_seed_demo_numpy_tallies_equal_the_buckets(app, runner):
    result = runner.invoke(args=["seed-demo", "--asn", "80", "--shops", "40", "--purchases", "600"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        purchases = db.session.scalars(select(Purchase)).all()
        assert len({p.status for p in purchases}) >= 3  # several statuses, so every bucket is exercised
        want_tallies, want_weeks = _from_buckets(purchases)
        have_tallies, have_weeks = _stored()
        assert have_tallies == want_tallies
        assert have_weeks == want_weeks
        assert find_differences() == []


def test_single_moves_equal_the_buckets(app, make_asn, make_owner, make_shop):
    from campaign.domains.auth.models import User
    from campaign.domains.purchases import services

    owner = make_owner()
    shops = [make_shop(owner=owner, region="73.73"), make_shop(owner=owner, region="73.71")]
    buyers = [make_asn(region="73.73"), make_asn(region="73.71"), make_asn(region="73.71", agency="Dinas Sosial")]
    with app.app_context():
        ids = [services.log_purchase(buyer=db.session.get(User, buyers[i % 3].id), shop_id=shops[i % 2],
                                     amount=10_000 * (i + 1)).id for i in range(6)]
        services.confirm_purchase(actor=db.session.get(User, owner.id), purchase_id=ids[0])
        services.confirm_purchase(actor=db.session.get(User, owner.id), purchase_id=ids[1])
        services.dispute_purchase(actor=db.session.get(User, owner.id), purchase_id=ids[2])
        services.withdraw_purchase(actor=db.session.get(User, buyers[0].id), purchase_id=ids[3])
        purchases = db.session.scalars(select(Purchase)).all()
        assert _stored() == _from_buckets(purchases)
