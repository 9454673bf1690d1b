"""needs board

Revision ID: programmes_needs
Revises: programmes_affected
Create Date: 2026-11-28 11:26:27.098722

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'programmes_needs'
down_revision = 'programmes_affected'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('institutional_tally',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('deals', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_institutional_tally_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_institutional_tally_region_id_region')),
    sa.PrimaryKeyConstraint('campaign_id', 'region_id', name=op.f('pk_institutional_tally'))
    )
    op.create_table('buyer_organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('whatsapp', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('social', 'company', 'government', 'hospital')", name=op.f('ck_buyer_organisation_kind')),
    sa.CheckConstraint("status IN ('pending', 'verified', 'rejected')", name=op.f('ck_buyer_organisation_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_buyer_organisation_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_buyer_organisation_owner_id_user_account')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_buyer_organisation_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buyer_organisation'))
    )
    with op.batch_alter_table('buyer_organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buyer_organisation_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_buyer_organisation_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_buyer_organisation_region_id'), ['region_id'], unique=False)

    op.create_table('need',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('accepted_quantity', sa.Integer(), nullable=False),
    sa.Column('budget_min', sa.BigInteger(), nullable=False),
    sa.Column('budget_max', sa.BigInteger(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('delivery_place', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('sembako', 'kuliner', 'kue', 'kopi', 'fesyen', 'tenun', 'kriya', 'tani', 'oleh_oleh', 'kosmetik', 'jasa', 'lainnya')", name=op.f('ck_need_category')),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_need_status')),
    sa.CheckConstraint('accepted_quantity >= 0 AND accepted_quantity <= quantity', name=op.f('ck_need_accepted_within_quantity')),
    sa.CheckConstraint('budget_min >= 0 AND budget_max >= budget_min', name=op.f('ck_need_budget_range')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_need_quantity_positive')),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyer_organisation.id'], name=op.f('fk_need_buyer_id_buyer_organisation')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_need_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need'))
    )
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index('ix_need_status_category', ['status', 'category'], unique=False)

    op.create_table('need_region',
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_need_region_need_id_need'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_need_region_region_id_region')),
    sa.PrimaryKeyConstraint('need_id', 'region_id', name=op.f('pk_need_region'))
    )
    with op.batch_alter_table('need_region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_region_region_id'), ['region_id'], unique=False)

    op.create_table('offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('shop_region_id', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('delivery_date', sa.Date(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('accepted_quantity', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('sent', 'accepted', 'delivered', 'completed', 'declined', 'withdrawn')", name=op.f('ck_offer_status')),
    sa.CheckConstraint('accepted_quantity IS NULL OR (accepted_quantity > 0 AND accepted_quantity <= quantity)', name=op.f('ck_offer_accepted_within_offer')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_offer_quantity_positive')),
    sa.CheckConstraint('unit_price > 0', name=op.f('ck_offer_unit_price_positive')),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_offer_need_id_need')),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], name=op.f('fk_offer_shop_id_shop')),
    sa.ForeignKeyConstraint(['shop_region_id'], ['region.id'], name=op.f('fk_offer_shop_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer')),
    sa.UniqueConstraint('need_id', 'shop_id', name=op.f('uq_offer_need_id_shop_id'))
    )
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offer_shop_id'), ['shop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offer_shop_region_id'), ['shop_region_id'], unique=False)



def downgrade():
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_shop_region_id'))
        batch_op.drop_index(batch_op.f('ix_offer_shop_id'))
        batch_op.drop_index(batch_op.f('ix_offer_need_id'))

    op.drop_table('offer')
    with op.batch_alter_table('need_region', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_region_region_id'))

    op.drop_table('need_region')
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_index('ix_need_status_category')
        batch_op.drop_index(batch_op.f('ix_need_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_need_buyer_id'))

    op.drop_table('need')
    with op.batch_alter_table('buyer_organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buyer_organisation_region_id'))
        batch_op.drop_index(batch_op.f('ix_buyer_organisation_owner_id'))
        batch_op.drop_index(batch_op.f('ix_buyer_organisation_decided_by_id'))

    op.drop_table('buyer_organisation')
    op.drop_table('institutional_tally')
