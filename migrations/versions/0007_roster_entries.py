"""ASN roster: entries (unique NIP, region, agency, active) and the record of each import

Revision ID: roster_entries
Revises: pictures_kecamatan
Create Date: 2026-11-28 11:20:15.595159

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'roster_entries'
down_revision = 'pictures_kecamatan'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('roster_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nip', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('agency_name', sa.String(length=160), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(nip) = 18', name=op.f('ck_roster_entry_nip_length')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_roster_entry_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_entry')),
    sa.UniqueConstraint('nip', name=op.f('uq_roster_entry_nip'))
    )
    with op.batch_alter_table('roster_entry', schema=None) as batch_op:
        batch_op.create_index('ix_roster_entry_region_active', ['region_id', 'active'], unique=False)

    op.create_table('roster_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_roster_import_actor_id_user_account')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_roster_import_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_import'))
    )
    with op.batch_alter_table('roster_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_import_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_import_region_id'), ['region_id'], unique=False)



def downgrade():
    with op.batch_alter_table('roster_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_import_region_id'))
        batch_op.drop_index(batch_op.f('ix_roster_import_actor_id'))

    op.drop_table('roster_import')
    with op.batch_alter_table('roster_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_roster_entry_region_active')

    op.drop_table('roster_entry')
