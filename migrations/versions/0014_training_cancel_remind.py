"""trainings: cancelling a training (when, why) and the day-before reminder sent once per seat

Revision ID: training_cancel_remind
Revises: regions_any_province
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'training_cancel_remind'
down_revision = 'regions_any_province'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('training_seat', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('training_seat', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
