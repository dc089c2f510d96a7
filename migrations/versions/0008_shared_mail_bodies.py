"""A fan-out to 100,000 subscribers stores its mail once per template, language and posting
revision; each message keeps only its recipient and the values filled in at send time.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

import talentmatch.db

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_body",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("created_at", talentmatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_body")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_body_key")),
    )
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("body_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("substitutions", sa.JSON(), nullable=True))
        batch.create_foreign_key(op.f("fk_outbox_message_body_id_outbox_body"), "outbox_body",
                                 ["body_id"], ["id"])


def downgrade():
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_constraint(op.f("fk_outbox_message_body_id_outbox_body"), type_="foreignkey")
        batch.drop_column("substitutions")
        batch.drop_column("body_id")
    op.drop_table("outbox_body")
