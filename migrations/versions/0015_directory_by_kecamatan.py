"""The directory filtered by kecamatan walks an index in directory order, at any depth

Revision ID: directory_district
Revises: training_cancel_remind
"""
from alembic import op

revision = "directory_district"
down_revision = "training_cancel_remind"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_shop_directory_district", "shop", ["district_id", "status", "name_key", "id"])


def downgrade():
    op.drop_index("ix_shop_directory_district", table_name="shop")
