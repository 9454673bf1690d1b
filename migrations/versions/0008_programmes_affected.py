"""affected umkm reports

Revision ID: programmes_affected
Revises: roster_entries
Create Date: 2026-11-28 11:08:10.037869

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'programmes_affected'
down_revision = 'roster_entries'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('affected_tally',
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=8), nullable=False),
    sa.Column('bucket', sa.String(length=16), nullable=False),
    sa.Column('businesses', sa.Integer(), nullable=False),
    sa.Column('affected_workers', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_affected_tally_region_id_region')),
    sa.PrimaryKeyConstraint('region_id', 'dimension', 'bucket', name=op.f('pk_affected_tally'))
    )
    op.create_table('affected_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('business_name', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('workers_before', sa.Integer(), nullable=False),
    sa.Column('workers_now', sa.Integer(), nullable=False),
    sa.Column('revenue_drop', sa.String(length=8), nullable=False),
    sa.Column('main_need', sa.String(length=16), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(source = 'owner') = (shop_id IS NOT NULL)", name=op.f('ck_affected_report_owner_reports_have_a_shop')),
    sa.CheckConstraint("category IN ('sembako', 'kuliner', 'kue', 'kopi', 'fesyen', 'tenun', 'kriya', 'tani', 'oleh_oleh', 'kosmetik', 'jasa', 'lainnya')", name=op.f('ck_affected_report_category')),
    sa.CheckConstraint("main_need IN ('capital', 'raw_materials', 'market', 'training', 'apd', 'other')", name=op.f('ck_affected_report_main_need')),
    sa.CheckConstraint("revenue_drop IN ('none', 'lt25', '25_50', '50_75', 'gt75')", name=op.f('ck_affected_report_revenue_drop')),
    sa.CheckConstraint("source IN ('owner', 'field')", name=op.f('ck_affected_report_source')),
    sa.CheckConstraint("status IN ('open', 'reduced', 'closed_temp', 'closed')", name=op.f('ck_affected_report_status')),
    sa.CheckConstraint('workers_before >= 0 AND workers_before <= 100000', name=op.f('ck_affected_report_workers_before')),
    sa.CheckConstraint('workers_now >= 0 AND workers_now <= 100000', name=op.f('ck_affected_report_workers_now')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_affected_report_region_id_region')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['user_account.id'], name=op.f('fk_affected_report_reported_by_id_user_account')),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], name=op.f('fk_affected_report_shop_id_shop')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affected_report')),
    sa.UniqueConstraint('shop_id', name=op.f('uq_affected_report_shop_id'))
    )
    with op.batch_alter_table('affected_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affected_report_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affected_report_reported_by_id'), ['reported_by_id'], unique=False)



def downgrade():
    with op.batch_alter_table('affected_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affected_report_reported_by_id'))
        batch_op.drop_index(batch_op.f('ix_affected_report_region_id'))

    op.drop_table('affected_report')
    op.drop_table('affected_tally')
