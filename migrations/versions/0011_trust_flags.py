"""trust: burst counters, sign-up sources, flag reviews and bulk voids

Revision ID: trust_flags
Revises: scale_reads

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'trust_flags'
down_revision = 'scale_reads'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_window',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_activity_window_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_activity_window_region_id_region')),
    sa.PrimaryKeyConstraint('kind', 'subject_id', 'region_id', 'window_start', name=op.f('pk_activity_window'))
    )
    with op.batch_alter_table('activity_window', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_window_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index('ix_activity_window_region', ['region_id', 'kind', 'count'], unique=False)

    op.create_table('bulk_void',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('selection', sa.JSON(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('purchase_count', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_bulk_void_actor_id_user_account')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_bulk_void_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_bulk_void_region_id_region')),
    sa.ForeignKeyConstraint(['undone_by_id'], ['user_account.id'], name=op.f('fk_bulk_void_undone_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulk_void'))
    )
    with op.batch_alter_table('bulk_void', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulk_void_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bulk_void_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bulk_void_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bulk_void_undone_by_id'), ['undone_by_id'], unique=False)

    op.create_table('flag_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('flag_key', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_flag_review_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_flag_review_region_id_region')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], name=op.f('fk_flag_review_reviewed_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_review')),
    sa.UniqueConstraint('campaign_id', 'flag_key', name=op.f('uq_flag_review_campaign_id_flag_key'))
    )
    with op.batch_alter_table('flag_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_review_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flag_review_reviewed_by_id'), ['reviewed_by_id'], unique=False)

    op.create_table('signup_source',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_signup_source_region_id_region')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_signup_source_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_signup_source'))
    )
    with op.batch_alter_table('signup_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signup_source_region_id'), ['region_id'], unique=False)
        batch_op.create_index('ix_signup_source_source', ['source', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('signup_source', schema=None) as batch_op:
        batch_op.drop_index('ix_signup_source_source')
        batch_op.drop_index(batch_op.f('ix_signup_source_region_id'))

    op.drop_table('signup_source')
    with op.batch_alter_table('flag_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_review_reviewed_by_id'))
        batch_op.drop_index(batch_op.f('ix_flag_review_region_id'))

    op.drop_table('flag_review')
    with op.batch_alter_table('bulk_void', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulk_void_undone_by_id'))
        batch_op.drop_index(batch_op.f('ix_bulk_void_region_id'))
        batch_op.drop_index(batch_op.f('ix_bulk_void_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_bulk_void_actor_id'))

    op.drop_table('bulk_void')
    with op.batch_alter_table('activity_window', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_window_region')
        batch_op.drop_index(batch_op.f('ix_activity_window_campaign_id'))

    op.drop_table('activity_window')
