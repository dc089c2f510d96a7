"""Each profile keeps the matcher's compiled experience (skill token ids and the vocabulary
version they belong to), so a new server builds its match index at national scale without
reading every profile's text again.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("professional") as batch:
        batch.add_column(sa.Column("match_tokens", sa.JSON(), nullable=True))
    # Existing profiles are compiled lazily: the index compiles a profile whose stored
    # tokens are missing or from another vocabulary, and the next save stores them.


def downgrade():
    with op.batch_alter_table("professional") as batch:
        batch.drop_column("match_tokens")
