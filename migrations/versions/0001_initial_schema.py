"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 00:32:26.804712

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('appeal_letter_number', sa.String(length=80), nullable=False),
    sa.Column('appeal_letter_date', sa.Date(), nullable=False),
    sa.Column('issuing_office', sa.String(length=160), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_campaign_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign')),
    sa.UniqueConstraint('appeal_letter_number', 'starts_on', name=op.f('uq_campaign_appeal_letter_number_starts_on'))
    )
    op.create_table('region',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('bps_code', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('capital', sa.String(length=80), nullable=False),
    sa.CheckConstraint("kind IN ('Kabupaten', 'Kota')", name=op.f('ck_region_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region')),
    sa.UniqueConstraint('bps_code', name=op.f('uq_region_bps_code')),
    sa.UniqueConstraint('code', name=op.f('uq_region_code'))
    )
    op.create_table('agency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('name_key', sa.String(length=160), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_agency_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency')),
    sa.UniqueConstraint('region_id', 'name_key', name=op.f('uq_agency_region_id_name_key'))
    )
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_region_id'), ['region_id'], unique=False)

    op.create_table('region_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('asn_headcount', sa.Integer(), nullable=False),
    sa.Column('target_amount', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('asn_headcount >= 0', name=op.f('ck_region_target_headcount_not_negative')),
    sa.CheckConstraint('target_amount >= 0', name=op.f('ck_region_target_target_not_negative')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_region_target_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_region_target_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region_target')),
    sa.UniqueConstraint('campaign_id', 'region_id', name=op.f('uq_region_target_campaign_id_region_id'))
    )
    with op.batch_alter_table('region_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_target_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_region_target_region_id'), ['region_id'], unique=False)

    op.create_table('tally',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=12), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('realized_amount', sa.BigInteger(), nullable=False),
    sa.Column('realized_count', sa.Integer(), nullable=False),
    sa.Column('verified_amount', sa.BigInteger(), nullable=False),
    sa.Column('verified_count', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('shops_supported', sa.Integer(), nullable=False),
    sa.Column('pledged_amount', sa.BigInteger(), nullable=False),
    sa.Column('pledgers', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_tally_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('campaign_id', 'dimension', 'key_id', name=op.f('pk_tally'))
    )
    op.create_table('tally_member',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=12), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('member_kind', sa.String(length=4), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('realized_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_tally_member_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('campaign_id', 'dimension', 'key_id', 'member_kind', 'member_id', name=op.f('pk_tally_member'))
    )
    op.create_table('tally_week',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=12), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('realized_amount', sa.BigInteger(), nullable=False),
    sa.Column('realized_count', sa.Integer(), nullable=False),
    sa.Column('verified_amount', sa.BigInteger(), nullable=False),
    sa.Column('verified_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_tally_week_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('campaign_id', 'dimension', 'key_id', 'week_start', name=op.f('pk_tally_week'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('is_shop_owner', sa.Boolean(), nullable=False),
    sa.Column('coordinator_region_id', sa.Integer(), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('email IS NOT NULL OR phone IS NOT NULL', name=op.f('ck_user_account_has_login')),
    sa.ForeignKeyConstraint(['coordinator_region_id'], ['region.id'], name=op.f('fk_user_account_coordinator_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email')),
    sa.UniqueConstraint('phone', name=op.f('uq_user_account_phone'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_coordinator_region_id'), ['coordinator_region_id'], unique=False)

    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('asn_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('nip', sa.String(length=18), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('length(nip) = 18', name=op.f('ck_asn_profile_nip_length')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_asn_profile_agency_id_agency')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_asn_profile_region_id_region')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_asn_profile_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asn_profile')),
    sa.UniqueConstraint('nip', name=op.f('uq_asn_profile_nip')),
    sa.UniqueConstraint('user_id', name=op.f('uq_asn_profile_user_id'))
    )
    with op.batch_alter_table('asn_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_asn_profile_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_asn_profile_region_id'), ['region_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity_type', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_audit_event_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_event_entity', ['entity_type', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_region_id'), ['region_id'], unique=False)

    op.create_table('pledge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_pledge_amount_positive')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_pledge_agency_id_agency')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_pledge_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_pledge_region_id_region')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_pledge_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pledge')),
    sa.UniqueConstraint('campaign_id', 'user_id', name=op.f('uq_pledge_campaign_id_user_id'))
    )
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pledge_user_id'), ['user_id'], unique=False)

    op.create_table('shop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('district', sa.String(length=80), nullable=False),
    sa.Column('village', sa.String(length=80), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('whatsapp', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('products', sa.Text(), nullable=False),
    sa.Column('nib', sa.String(length=13), nullable=True),
    sa.Column('covid_affected', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('sembako', 'kuliner', 'kue', 'kopi', 'fesyen', 'tenun', 'kriya', 'tani', 'oleh_oleh', 'kosmetik', 'jasa', 'lainnya')", name=op.f('ck_shop_category')),
    sa.CheckConstraint("status IN ('pending', 'verified', 'rejected')", name=op.f('ck_shop_status')),
    sa.CheckConstraint('nib IS NULL OR length(nib) = 13', name=op.f('ck_shop_nib_length')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_shop_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_shop_owner_id_user_account')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_shop_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop'))
    )
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_region_id'), ['region_id'], unique=False)
        batch_op.create_index('ix_shop_region_status', ['region_id', 'status'], unique=False)

    op.create_table('purchase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('asn_region_id', sa.Integer(), nullable=False),
    sa.Column('shop_region_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('purchased_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('client_ref', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('reported', 'confirmed', 'disputed', 'voided', 'withdrawn')", name=op.f('ck_purchase_status')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_purchase_amount_positive')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_purchase_agency_id_agency')),
    sa.ForeignKeyConstraint(['asn_region_id'], ['region.id'], name=op.f('fk_purchase_asn_region_id_region')),
    sa.ForeignKeyConstraint(['buyer_id'], ['user_account.id'], name=op.f('fk_purchase_buyer_id_user_account')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_purchase_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_purchase_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], name=op.f('fk_purchase_shop_id_shop')),
    sa.ForeignKeyConstraint(['shop_region_id'], ['region.id'], name=op.f('fk_purchase_shop_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase')),
    sa.UniqueConstraint('buyer_id', 'client_ref', name=op.f('uq_purchase_buyer_id_client_ref'))
    )
    with op.batch_alter_table('purchase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_asn_region_id'), ['asn_region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index('ix_purchase_shop_region_status', ['shop_region_id', 'status', 'purchased_on'], unique=False)
        batch_op.create_index('ix_purchase_shop_status', ['shop_id', 'status'], unique=False)




def downgrade():

    with op.batch_alter_table('purchase', schema=None) as batch_op:
        batch_op.drop_index('ix_purchase_shop_status')
        batch_op.drop_index('ix_purchase_shop_region_status')
        batch_op.drop_index(batch_op.f('ix_purchase_decided_by_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_asn_region_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_agency_id'))

    op.drop_table('purchase')
    with op.batch_alter_table('shop', schema=None) as batch_op:
        batch_op.drop_index('ix_shop_region_status')
        batch_op.drop_index(batch_op.f('ix_shop_region_id'))
        batch_op.drop_index(batch_op.f('ix_shop_owner_id'))
        batch_op.drop_index(batch_op.f('ix_shop_decided_by_id'))

    op.drop_table('shop')
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_user_id'))
        batch_op.drop_index(batch_op.f('ix_pledge_region_id'))
        batch_op.drop_index(batch_op.f('ix_pledge_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_pledge_agency_id'))

    op.drop_table('pledge')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_region_id'))
        batch_op.drop_index('ix_audit_event_entity')
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))

    op.drop_table('audit_event')
    with op.batch_alter_table('asn_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_asn_profile_region_id'))
        batch_op.drop_index(batch_op.f('ix_asn_profile_agency_id'))

    op.drop_table('asn_profile')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_coordinator_region_id'))

    op.drop_table('user_account')
    op.drop_table('tally_week')
    op.drop_table('tally_member')
    op.drop_table('tally')
    with op.batch_alter_table('region_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_target_region_id'))
        batch_op.drop_index(batch_op.f('ix_region_target_campaign_id'))

    op.drop_table('region_target')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_region_id'))

    op.drop_table('agency')
    op.drop_table('region')
    op.drop_table('campaign')

