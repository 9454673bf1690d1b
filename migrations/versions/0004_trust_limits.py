"""trust: index for the per-day limits and the duplicate guard

Revision ID: trust_limits
Revises: training
"""
from alembic import op

revision = "trust_limits"
down_revision = "training"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_purchase_buyer_created", "purchase", ["buyer_id", "created_at"], unique=False)


def downgrade():
    op.drop_index("ix_purchase_buyer_created", table_name="purchase")
