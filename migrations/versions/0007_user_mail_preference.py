"""Each staff account chooses how workflow mail reaches it: each event, or one daily summary.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("mail_preference", sa.String(10), nullable=False,
                                   server_default="each"))


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("mail_preference")
