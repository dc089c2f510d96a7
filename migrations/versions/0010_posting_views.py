"""Page views of published postings, one counter per posting and day (the posting funnel).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "posting_view",
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["posting.id"],
                                name=op.f("fk_posting_view_posting_id_posting"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("posting_id", "day", name=op.f("pk_posting_view")),
    )


def downgrade():
    op.drop_table("posting_view")
