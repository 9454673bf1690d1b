"""tallies: a province level (the provinces of the ASN's and of the shop's region, with their own
distinct counts), for deployments serving several provinces

Revision ID: province_tallies
Revises: deals_bounded

Each purchase gets the province of its two regions (``asn_province``, ``shop_province``: the
Kemendagri province code as a number), and the tallies' province dimensions (``asn_prov``,
``shop_prov``) are counted from the existing purchases: the same rows ``rebuild-tallies`` writes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'province_tallies'
down_revision = 'deals_bounded'
branch_labels = None
depends_on = None

PROVINCE_COLUMNS = {'asn_prov': ('asn_province', 'asn_region_id'), 'shop_prov': ('shop_province', 'shop_region_id')}
REALIZED = "p.status IN ('reported', 'confirmed')"
VERIFIED = "p.status = 'confirmed'"


def upgrade():
    with op.batch_alter_table('purchase', schema=None) as batch_op:
        batch_op.add_column(sa.Column('asn_province', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('shop_province', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        # both columns in one pass joined to the regions: PostgreSQL writes a new version of every row
        # (and its index entries) per UPDATE, so two correlated UPDATEs cost three times this one
        op.execute("""UPDATE purchase SET asn_province = a.province, shop_province = s.province
            FROM (SELECT id, CAST(substr(code, 1, 2) AS INTEGER) AS province FROM region) a,
                 (SELECT id, CAST(substr(code, 1, 2) AS INTEGER) AS province FROM region) s
            WHERE a.id = purchase.asn_region_id AND s.id = purchase.shop_region_id""")
    else:  # SQLite updates in place, fast either way; UPDATE ... FROM needs SQLite 3.33
        for column, region_column in PROVINCE_COLUMNS.values():
            op.execute(f"""UPDATE purchase SET {column} = (
                SELECT CAST(substr(r.code, 1, 2) AS INTEGER) FROM region r WHERE r.id = purchase.{region_column})""")
    with op.batch_alter_table('purchase', schema=None) as batch_op:
        batch_op.alter_column('asn_province', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('shop_province', existing_type=sa.Integer(), nullable=False)
    for dimension, (column, _region) in PROVINCE_COLUMNS.items():
        _fill(dimension, column)


def _fill(dimension: str, column: str) -> None:
    """Member rows, then the tally rows with their distinct counts, from the purchase rows."""
    for kind, member, verified in (('asn', 'buyer_id', f"count(CASE WHEN {VERIFIED} THEN 1 END)"),
                                   ('shop', 'shop_id', '0')):
        op.execute(f"""INSERT INTO tally_member
            (campaign_id, dimension, key_id, member_kind, member_id, realized_count, verified_count)
            SELECT p.campaign_id, '{dimension}', p.{column}, '{kind}', p.{member}, count(*), {verified}
            FROM purchase p WHERE {REALIZED} GROUP BY p.campaign_id, p.{column}, p.{member}""")
    op.execute(f"""INSERT INTO tally
        (campaign_id, dimension, key_id, realized_amount, realized_count, verified_amount, verified_count,
         participants, shops_supported, verified_buyers, pledged_amount, pledgers)
        SELECT p.campaign_id, '{dimension}', p.{column},
               coalesce(sum(CASE WHEN {REALIZED} THEN p.amount END), 0),
               count(CASE WHEN {REALIZED} THEN 1 END),
               coalesce(sum(CASE WHEN {VERIFIED} THEN p.amount END), 0),
               count(CASE WHEN {VERIFIED} THEN 1 END),
               count(DISTINCT CASE WHEN {REALIZED} THEN p.buyer_id END),
               count(DISTINCT CASE WHEN {REALIZED} THEN p.shop_id END),
               count(DISTINCT CASE WHEN {VERIFIED} THEN p.buyer_id END), 0, 0
        FROM purchase p GROUP BY p.campaign_id, p.{column}
        HAVING count(CASE WHEN {REALIZED} OR {VERIFIED} THEN 1 END) > 0""")


def downgrade():
    for table in ('tally', 'tally_member'):
        op.execute(f"DELETE FROM {table} WHERE dimension IN ('asn_prov', 'shop_prov')")
    with op.batch_alter_table('purchase', schema=None) as batch_op:
        batch_op.drop_column('shop_province')
        batch_op.drop_column('asn_province')
