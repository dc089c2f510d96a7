"""The schema comes only from migrations: autogenerate must find no difference."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from talentmatch.extensions import db


def test_models_and_migrations_agree(ctx):
    with db.engine.connect() as conn:
        mc = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(mc, db.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_database_was_built_by_migrations(ctx):
    from sqlalchemy import text

    with db.engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version
