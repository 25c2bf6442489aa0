"""`flask db upgrade` builds exactly the schema the models describe, on each backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import select

from service import create_app
from service.extensions import db
from service.models import PolicyRevision
from tests.conftest import app_config


def test_upgrade_matches_the_models(database_uri):
    app = create_app(app_config(database_uri))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == []
        assert db.session.scalar(select(PolicyRevision.revision)) == 0
        db.session.remove()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE alembic_version")
        db.engine.dispose()
