"""The migrations build exactly the schema the models describe (no forgotten migration)."""

from campaign.core.extensions import db
from campaign.core.maintenance import schema_differences


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = schema_differences(connection)
    assert differences == []
