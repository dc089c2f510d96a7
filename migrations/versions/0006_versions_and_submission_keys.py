"""Edit versions on the records people edit in forms, and the one-time keys of create forms.

``version`` counts the saves of a posting revision's content, a profile, a pool entry, a
cost line, a joint proposal and a subscription: a save from a form read at an older version
is refused instead of silently undoing the other save. ``submission_key`` holds the keys of
create forms already recorded, so a form sent twice creates one row.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

VERSIONED = ("posting_revision", "professional", "talent_pool_entry", "cost_line",
             "joint_proposal", "subscription")


def upgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "submission_key",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=80), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_submission_key_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_submission_key")),
    )
    with op.batch_alter_table("submission_key") as batch:
        batch.create_index(batch.f("ix_submission_key_used_at"), ["used_at"], unique=False)
        batch.create_index(batch.f("ix_submission_key_user_id"), ["user_id"], unique=False)


def downgrade():
    op.drop_table("submission_key")
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
