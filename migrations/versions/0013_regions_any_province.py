"""regions: any province from the kept data; codes gone from it are marked inactive, never deleted

Revision ID: regions_any_province
Revises: people_counts

``active`` on region and district (every existing row stays active); ``bps_code`` and ``capital``
may be empty, since the country-wide data carries neither outside the overlay.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'regions_any_province'
down_revision = 'people_counts'
branch_labels = None
depends_on = None


def _without_foreign_keys(work):
    """Run ``work``; on SQLite with foreign keys off, as SQLite's own recipe for rebuilding a table
    says: changing a column's nullability copies ``region``, drops it and renames the copy, and
    dropping a table other rows reference fails with foreign keys on (deferring the check does not
    help: the copy's rows were inserted under another name). The pragma is a no-op inside a
    transaction, so the migration's transaction is committed around it; foreign_key_check proves
    every reference still holds before the rebuilt table is committed."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        work()
        return
    bind.exec_driver_sql('COMMIT')
    bind.exec_driver_sql('PRAGMA foreign_keys = OFF')
    bind.exec_driver_sql('BEGIN IMMEDIATE')
    work()
    broken = bind.exec_driver_sql('PRAGMA foreign_key_check').fetchall()
    if broken:
        raise RuntimeError(f'foreign keys broken by rebuilding region: {broken[:5]}')
    bind.exec_driver_sql('COMMIT')
    bind.exec_driver_sql('PRAGMA foreign_keys = ON')
    bind.exec_driver_sql('BEGIN IMMEDIATE')


def upgrade():
    def work():
        with op.batch_alter_table('region', schema=None) as batch_op:
            batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
            batch_op.alter_column('bps_code', existing_type=sa.String(length=8), nullable=True)
            batch_op.alter_column('capital', existing_type=sa.String(length=80), nullable=True)
        with op.batch_alter_table('district', schema=None) as batch_op:
            batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    _without_foreign_keys(work)


def downgrade():
    # The old schema needs both texts: an empty capital, and the Kemendagri code without its dot
    # (BPS's number for most regions) where no BPS code is known.
    op.execute("UPDATE region SET capital = '' WHERE capital IS NULL")
    op.execute("UPDATE region SET bps_code = replace(code, '.', '') WHERE bps_code IS NULL")

    def work():
        with op.batch_alter_table('district', schema=None) as batch_op:
            batch_op.drop_column('active')
        with op.batch_alter_table('region', schema=None) as batch_op:
            batch_op.alter_column('capital', existing_type=sa.String(length=80), nullable=False)
            batch_op.alter_column('bps_code', existing_type=sa.String(length=8), nullable=False)
            batch_op.drop_column('active')
    _without_foreign_keys(work)
