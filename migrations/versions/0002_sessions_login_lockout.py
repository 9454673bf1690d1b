"""per-account login lockout: failed_logins and login_locked_until on user_account

Revision ID: sessions_lockout
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = 'sessions_lockout'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('login_locked_until', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('login_locked_until')
        batch_op.drop_column('failed_logins')
