"""needs: institutional spend bounded like ASN spend (a coordinator may void a completed deal;
every money column and total within SAFE_MAX)

Revision ID: deals_bounded
Revises: unknown_login_lockout

SAFE_MAX (campaign.core.money) is Rp9e15: below 2**53 (exact as a float) and far below bigint.
The ASN tallies (tally, tally_week) get their CHECK here too; their models are declared in
campaign/domains/tallies/models.py, which is being split, so the constraint lives in the schema
alone until then (Alembic does not compare CHECK constraints).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'deals_bounded'
down_revision = 'unknown_login_lockout'
branch_labels = None
depends_on = None

SAFE_MAX = 9_000_000_000_000_000
OLD_STATUSES = "'sent', 'accepted', 'delivered', 'completed', 'declined', 'withdrawn'"
NEW_STATUSES = OLD_STATUSES + ", 'voided'"
TALLY_AMOUNTS = {'tally': ('realized_amount', 'verified_amount', 'pledged_amount'),
                 'tally_week': ('realized_amount', 'verified_amount')}


def _within(columns) -> str:
    # Not ">= 0": the tallies move by upserts whose proposed row carries the (negative) delta.
    return " AND ".join(f"{c} BETWEEN -{SAFE_MAX} AND {SAFE_MAX}" for c in columns)


def upgrade():
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('void_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_offer_voided_by_id'), ['voided_by_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_offer_voided_by_id_user_account'), 'user_account',
                                    ['voided_by_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_offer_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_offer_status'), f"status IN ({NEW_STATUSES})")
        batch_op.create_check_constraint(op.f('ck_offer_within_bounds'),
                                         "unit_price <= 100000000000 AND quantity <= 1000000")
        batch_op.create_check_constraint(op.f('ck_offer_deal_safe'),
                                         f"accepted_quantity IS NULL OR unit_price * accepted_quantity <= {SAFE_MAX}")
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_need_budget_safe'), f"budget_max <= {SAFE_MAX}")
    with op.batch_alter_table('institutional_tally', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_institutional_tally_within_safe_max'),
                                         f"amount >= 0 AND amount <= {SAFE_MAX} AND deals >= 0")
    for table in ('purchase', 'pledge'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f'ck_{table}_amount_safe'), f"amount <= {SAFE_MAX}")
    for table, columns in TALLY_AMOUNTS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f'ck_{table}_within_safe_max'), _within(columns))


def downgrade():
    for table in TALLY_AMOUNTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_within_safe_max'), type_='check')
    for table in ('pledge', 'purchase'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_amount_safe'), type_='check')
    with op.batch_alter_table('institutional_tally', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_institutional_tally_within_safe_max'), type_='check')
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_need_budget_safe'), type_='check')
    # The status list keeps 'voided': voided deals stay as rows (their audit records point at them).
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_offer_deal_safe'), type_='check')
        batch_op.drop_constraint(op.f('ck_offer_within_bounds'), type_='check')
        batch_op.drop_constraint(op.f('ck_offer_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_offer_status'), f"status IN ({NEW_STATUSES})")
        batch_op.drop_constraint(batch_op.f('fk_offer_voided_by_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_offer_voided_by_id'))
        batch_op.drop_column('voided_at')
        batch_op.drop_column('voided_by_id')
        batch_op.drop_column('void_reason')
