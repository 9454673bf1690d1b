"""verified means a real NIP: a purchase counts as verified only when the shop confirmed it and
the buyer's NIP is on an active roster entry (issue 16, item 2)

Revision ID: verified_on_roster
Revises: province_admins

``asn_profile.on_roster`` (the NIP is on an active roster entry) and its copy on each purchase,
``purchase.buyer_on_roster``, are filled from the roster; then every verified figure (tally,
tally_week, and the members' verified counts with the distinct verified buyers) is recomputed from
the purchase rows under the new rule, as ``rebuild-tallies`` would write it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'verified_on_roster'
down_revision = 'province_admins'
branch_labels = None
depends_on = None

KEY_COLUMNS = {'asn_region': 'asn_region_id', 'shop_region': 'shop_region_id', 'agency': 'agency_id',
               'asn': 'buyer_id', 'shop': 'shop_id', 'asn_prov': 'asn_province', 'shop_prov': 'shop_province'}
BUYER_COUNTED = ('asn_region', 'shop_region', 'agency', 'shop', 'asn_prov', 'shop_prov')
WEEKLY = ('asn_region', 'shop_region')
VERIFIED = "p.status = 'confirmed' AND p.buyer_on_roster"


def upgrade():
    with op.batch_alter_table('asn_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_roster', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('purchase', schema=None) as batch_op:
        batch_op.add_column(sa.Column('buyer_on_roster', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("""UPDATE asn_profile SET on_roster = TRUE WHERE EXISTS (
        SELECT 1 FROM roster_entry e WHERE e.nip = asn_profile.nip AND e.active)""")
    op.execute("""UPDATE purchase SET buyer_on_roster = TRUE
        WHERE buyer_id IN (SELECT user_id FROM asn_profile WHERE on_roster)""")
    _recount()


def _week(column: str) -> str:
    if op.get_bind().dialect.name == 'postgresql':
        return f"{column} - (CAST(EXTRACT(ISODOW FROM {column}) AS INTEGER) - 1)"
    return f"date({column}, 'weekday 0', '-6 days')"


def _recount():
    """The verified figures of every tally, week and member row, from the purchases."""
    week = _week('p.purchased_on')
    for dimension, column in KEY_COLUMNS.items():
        same = f"p.campaign_id = {{t}}.campaign_id AND p.{column} = {{t}}.key_id"
        tally = same.format(t='tally')
        op.execute(f"""UPDATE tally SET
            verified_amount = COALESCE((SELECT sum(p.amount) FROM purchase p WHERE {VERIFIED} AND {tally}), 0),
            verified_count = (SELECT count(*) FROM purchase p WHERE {VERIFIED} AND {tally})
            WHERE dimension = '{dimension}'""")
        if dimension in BUYER_COUNTED:
            member = same.format(t='tally_member')
            op.execute(f"""UPDATE tally_member SET verified_count = (
                SELECT count(*) FROM purchase p WHERE {VERIFIED} AND {member}
                AND p.buyer_id = tally_member.member_id)
                WHERE dimension = '{dimension}' AND member_kind = 'asn'""")
        if dimension in WEEKLY:
            this_week = same.format(t='tally_week') + f" AND {week} = tally_week.week_start"
            op.execute(f"""UPDATE tally_week SET
                verified_amount = COALESCE((SELECT sum(p.amount) FROM purchase p WHERE {VERIFIED} AND {this_week}), 0),
                verified_count = (SELECT count(*) FROM purchase p WHERE {VERIFIED} AND {this_week})
                WHERE dimension = '{dimension}'""")
            member = same.format(t='tally_week_member') + f" AND {week} = tally_week_member.week_start"
            op.execute(f"""UPDATE tally_week_member SET verified_count = (
                SELECT count(*) FROM purchase p WHERE {VERIFIED} AND {member}
                AND p.buyer_id = tally_week_member.buyer_id)
                WHERE dimension = '{dimension}'""")
    op.execute("""UPDATE tally SET verified_buyers = (
        SELECT count(*) FROM tally_member m WHERE m.campaign_id = tally.campaign_id AND m.dimension = tally.dimension
        AND m.key_id = tally.key_id AND m.member_kind = 'asn' AND m.verified_count > 0)""")
    op.execute("""UPDATE tally_week SET verified_buyers = (
        SELECT count(*) FROM tally_week_member m WHERE m.campaign_id = tally_week.campaign_id
        AND m.dimension = tally_week.dimension AND m.key_id = tally_week.key_id
        AND m.week_start = tally_week.week_start AND m.verified_count > 0)""")


def downgrade():
    """Verified is confirmed again: the figures recounted without the roster, then the columns dropped."""
    op.execute("UPDATE purchase SET buyer_on_roster = TRUE")
    _recount()
    with op.batch_alter_table('purchase', schema=None) as batch_op:
        batch_op.drop_column('buyer_on_roster')
    with op.batch_alter_table('asn_profile', schema=None) as batch_op:
        batch_op.drop_column('on_roster')
