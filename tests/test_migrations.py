"""The migrations build exactly the schema the models describe (no forgotten migration)."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from campaign.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []
