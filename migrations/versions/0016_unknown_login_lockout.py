"""auth: wrong passwords for logins without an account, locked like an account's (no way to tell
whether an account exists from the lock message)

Revision ID: unknown_login_lockout
Revises: directory_district
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'unknown_login_lockout'
down_revision = 'directory_district'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_failure',
    sa.Column('login_digest', sa.String(length=64), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('login_locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('login_digest', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_updated_at'), ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_updated_at'))
    op.drop_table('login_failure')
