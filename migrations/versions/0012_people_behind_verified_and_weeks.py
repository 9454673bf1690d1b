"""tallies: distinct verified buyers per key, distinct buyers per week (small numbers stay private)

Revision ID: people_counts
Revises: trust_flags

The new counts are filled from the purchase rows (the same values ``rebuild-tallies`` writes).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'people_counts'
down_revision = 'trust_flags'
branch_labels = None
depends_on = None

KEY_COLUMNS = {'asn_region': 'asn_region_id', 'shop_region': 'shop_region_id', 'agency': 'agency_id',
               'shop': 'shop_id'}
WEEKLY = ('asn_region', 'shop_region')


def upgrade():
    with op.batch_alter_table('tally', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_buyers', sa.Integer(), server_default=sa.text('0'), nullable=False))
    with op.batch_alter_table('tally_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_count', sa.Integer(), server_default=sa.text('0'), nullable=False))
    with op.batch_alter_table('tally_week', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participants', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('verified_buyers', sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.create_table('tally_week_member',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=12), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('realized_count', sa.Integer(), nullable=False),
    sa.Column('verified_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_tally_week_member_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('campaign_id', 'dimension', 'key_id', 'week_start', 'buyer_id',
                            name=op.f('pk_tally_week_member'))
    )
    _fill()


def _fill():
    """Count the existing purchases into the new columns and table."""
    if op.get_bind().dialect.name == 'postgresql':
        week = "p.purchased_on - (CAST(EXTRACT(ISODOW FROM p.purchased_on) AS INTEGER) - 1)"
    else:
        week = "date(p.purchased_on, 'weekday 0', '-6 days')"
    for dimension, column in KEY_COLUMNS.items():
        op.execute(f"""UPDATE tally_member SET verified_count = (
            SELECT count(*) FROM purchase p WHERE p.status = 'confirmed' AND p.campaign_id = tally_member.campaign_id
            AND p.{column} = tally_member.key_id AND p.buyer_id = tally_member.member_id)
            WHERE dimension = '{dimension}' AND member_kind = 'asn'""")
    op.execute("""UPDATE tally SET verified_buyers = (
        SELECT count(*) FROM tally_member m WHERE m.campaign_id = tally.campaign_id AND m.dimension = tally.dimension
        AND m.key_id = tally.key_id AND m.member_kind = 'asn' AND m.verified_count > 0)""")
    for dimension in WEEKLY:
        column = KEY_COLUMNS[dimension]
        op.execute(f"""INSERT INTO tally_week_member
            (campaign_id, dimension, key_id, week_start, buyer_id, realized_count, verified_count)
            SELECT p.campaign_id, '{dimension}', p.{column}, {week}, p.buyer_id, count(*),
                   count(CASE WHEN p.status = 'confirmed' THEN 1 END)
            FROM purchase p WHERE p.status IN ('reported', 'confirmed')
            GROUP BY p.campaign_id, p.{column}, {week}, p.buyer_id""")
    op.execute("""UPDATE tally_week SET
        participants = (SELECT count(*) FROM tally_week_member m WHERE m.campaign_id = tally_week.campaign_id
            AND m.dimension = tally_week.dimension AND m.key_id = tally_week.key_id
            AND m.week_start = tally_week.week_start),
        verified_buyers = (SELECT count(*) FROM tally_week_member m WHERE m.campaign_id = tally_week.campaign_id
            AND m.dimension = tally_week.dimension AND m.key_id = tally_week.key_id
            AND m.week_start = tally_week.week_start AND m.verified_count > 0)""")


def downgrade():
    op.drop_table('tally_week_member')
    with op.batch_alter_table('tally_week', schema=None) as batch_op:
        batch_op.drop_column('verified_buyers')
        batch_op.drop_column('participants')
    with op.batch_alter_table('tally_member', schema=None) as batch_op:
        batch_op.drop_column('verified_count')
    with op.batch_alter_table('tally', schema=None) as batch_op:
        batch_op.drop_column('verified_buyers')
