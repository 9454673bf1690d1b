"""kecamatan: the district table and shop.district_id

Revision ID: pictures_kecamatan
Revises: pictures_notifications
"""
from alembic import op
import sqlalchemy as sa


revision = "pictures_kecamatan"
down_revision = "pictures_notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "district",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], name=op.f("fk_district_region_id_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district")),
        sa.UniqueConstraint("code", name=op.f("uq_district_code")),
    )
    op.create_index(op.f("ix_district_region_id"), "district", ["region_id"], unique=False)
    with op.batch_alter_table("shop") as batch:
        batch.add_column(sa.Column("district_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_shop_district_id"), ["district_id"], unique=False)
        batch.create_foreign_key(batch.f("fk_shop_district_id_district"), "district", ["district_id"], ["id"])


def downgrade():
    with op.batch_alter_table("shop") as batch:
        batch.drop_constraint(batch.f("fk_shop_district_id_district"), type_="foreignkey")
        batch.drop_index(batch.f("ix_shop_district_id"))
        batch.drop_column("district_id")
    op.drop_index(op.f("ix_district_region_id"), table_name="district")
    op.drop_table("district")
