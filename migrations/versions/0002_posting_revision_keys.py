"""Foreign keys between posting and posting_revision on databases that add them by ALTER.

The two tables point at each other (a posting's current and published revision), so the keys
are declared ``use_alter``. SQLite writes them inline when it creates the table; PostgreSQL
needs them added once both tables exist.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

KEYS = (
    ("fk_posting_current_revision_id_posting_revision", "current_revision_id"),
    ("fk_posting_published_revision_id_posting_revision", "published_revision_id"),
)


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        return
    for name, column in KEYS:
        op.create_foreign_key(name, "posting", "posting_revision", [column], ["id"], ondelete="SET NULL")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        return
    for name, _column in KEYS:
        op.drop_constraint(name, "posting", type_="foreignkey")
