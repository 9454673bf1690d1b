"""Cheap reads: change markers, the shop directory's sort key and indexes, shop name search

Revision ID: scale_reads
Revises: programmes_needs
"""
import sqlalchemy as sa
from alembic import op

from campaign.domains.shops import search

revision = "scale_reads"
down_revision = "programmes_needs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "change_marker",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("token", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_change_marker")),
    )
    with op.batch_alter_table("shop") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=120), nullable=True))
    op.execute("UPDATE shop SET name_key = lower(name)")
    with op.batch_alter_table("shop") as batch:
        batch.alter_column("name_key", existing_type=sa.String(length=120), nullable=False)
        batch.create_index("ix_shop_directory", ["status", "name_key", "id"])
        batch.create_index("ix_shop_directory_region", ["region_id", "status", "name_key", "id"])
        batch.create_index("ix_shop_directory_category", ["category", "status", "name_key", "id"])
    search.install(op.get_bind())


def downgrade():
    search.uninstall(op.get_bind())
    with op.batch_alter_table("shop") as batch:
        batch.drop_index("ix_shop_directory_category")
        batch.drop_index("ix_shop_directory_region")
        batch.drop_index("ix_shop_directory")
        batch.drop_column("name_key")
    op.drop_table("change_marker")
