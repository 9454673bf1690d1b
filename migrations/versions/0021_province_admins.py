"""auth: an admin of one province (admin_province) beside national admins (today's, None)

Revision ID: province_admins
Revises: province_tallies
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'province_admins'
down_revision = 'province_tallies'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admin_province', sa.String(length=2), nullable=True))


def downgrade():
    # Not batch mode: on SQLite that rebuilds user_account, which most tables point at (foreign keys
    # on); SQLite 3.35+ drops a plain column in place.
    op.drop_column('user_account', 'admin_province')
