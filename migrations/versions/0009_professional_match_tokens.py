"""Each profile keeps the matcher's compiled form (bitmasks and skill token ids, with the
vocabulary version they belong to), so a new server builds its match index at national
scale from these rows instead of reading every profile's text again; and every process
holding an index learns what changed cheaply: indexes on the update times, and a
tombstone row written by the database itself whenever a professional is deleted.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION professional_tombstone_write() RETURNS trigger AS $$
BEGIN
    INSERT INTO professional_tombstone (professional_id) VALUES (OLD.id);
    RETURN OLD;
END;
$$ LANGUAGE plpgsql
"""


def upgrade():
    with op.batch_alter_table("professional") as batch:
        batch.add_column(sa.Column("match_row", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("match_vocab", sa.String(16), nullable=True))
    # Existing profiles are compiled when an index is built (a missing row or one of
    # another vocabulary is compiled from the profile's text) and stored at their next
    # save, or at once with `flask match recompile`.
    op.create_index("ix_professional_updated_at", "professional", ["updated_at"])
    op.create_index("ix_user_account_updated_at", "user_account", ["updated_at"])
    op.create_table(
        "professional_tombstone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_professional_tombstone")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute("CREATE TRIGGER professional_tombstone AFTER DELETE ON professional"
                   " FOR EACH ROW EXECUTE FUNCTION professional_tombstone_write()")
    else:
        op.execute("CREATE TRIGGER professional_tombstone AFTER DELETE ON professional"
                   " BEGIN INSERT INTO professional_tombstone (professional_id)"
                   " VALUES (OLD.id); END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS professional_tombstone ON professional")
        op.execute("DROP FUNCTION IF EXISTS professional_tombstone_write()")
    else:
        op.execute("DROP TRIGGER IF EXISTS professional_tombstone")
    op.drop_table("professional_tombstone")
    op.drop_index("ix_user_account_updated_at", table_name="user_account")
    op.drop_index("ix_professional_updated_at", table_name="professional")
    with op.batch_alter_table("professional") as batch:
        batch.drop_column("match_vocab")
        batch.drop_column("match_row")
