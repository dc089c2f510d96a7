"""The special grant's measures as data MIC maintains (DESIGN §6), seeded from the data file.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import talentmatch.db

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "subsidy_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name_ja", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("rate_numerator", sa.Integer(), nullable=False),
        sa.Column("rate_denominator", sa.Integer(), nullable=False),
        sa.Column("cap", sa.BigInteger(), nullable=True),
        sa.Column("cap_of", sa.String(length=10), nullable=False),
        sa.Column("first_fy", sa.Integer(), nullable=False),
        sa.Column("last_fy", sa.Integer(), nullable=False),
        sa.Column("body_kinds", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", talentmatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", talentmatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", talentmatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_subsidy_measure_created_by_id_user_account"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["published_by_id"], ["user_account.id"],
                                name=op.f("fk_subsidy_measure_published_by_id_user_account"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subsidy_measure")),
        sa.UniqueConstraint("key", "version", name="uq_subsidy_measure_key_version"),
    )
    with op.batch_alter_table("subsidy_measure", schema=None) as batch_op:
        batch_op.create_index("ix_subsidy_measure_state", ["state"], unique=False)


def downgrade():
    with op.batch_alter_table("subsidy_measure", schema=None) as batch_op:
        batch_op.drop_index("ix_subsidy_measure_state")
    op.drop_table("subsidy_measure")
