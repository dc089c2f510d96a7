"""The seed's two measures of the special grant are in place after `flask db upgrade`, as
`flask subsidy measures load` puts them: a server installed or upgraded by the production
steps (which do not run `make run`) otherwise estimates with an empty table and tells every
municipality that no measure is registered even for 令和3〜7年度. Only keys not in the table
yet are added; what MIC has entered or versioned is never touched.

Revision ID: 0011
Revises: 0010
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import talentmatch.db
from talentmatch.subsidies.measures import seed_measures

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

measure = sa.table(
    "subsidy_measure",
    sa.column("key", sa.String), sa.column("version", sa.Integer),
    sa.column("name_ja", sa.String), sa.column("name_en", sa.String),
    sa.column("categories", sa.Text), sa.column("rate_numerator", sa.Integer),
    sa.column("rate_denominator", sa.Integer), sa.column("cap", sa.BigInteger),
    sa.column("cap_of", sa.String), sa.column("first_fy", sa.Integer),
    sa.column("last_fy", sa.Integer), sa.column("body_kinds", sa.Text),
    sa.column("source", sa.Text), sa.column("source_url", sa.String),
    sa.column("state", sa.String),
    sa.column("published_at", talentmatch.db.UTCDateTime()),
    sa.column("created_at", talentmatch.db.UTCDateTime()),
    sa.column("updated_at", talentmatch.db.UTCDateTime()),
)


def upgrade():
    conn = op.get_bind()
    present = set(conn.execute(sa.select(measure.c.key)).scalars())
    now = datetime.now(UTC)
    rows = []
    for m in seed_measures():
        if m.key in present:
            continue
        rate = m.exact_rate
        rows.append({
            "key": m.key, "version": 1, "name_ja": m.name_ja, "name_en": m.name_en,
            "categories": " ".join(m.categories), "rate_numerator": rate.numerator,
            "rate_denominator": rate.denominator, "cap": m.cap, "cap_of": m.cap_of,
            "first_fy": m.first_fy, "last_fy": m.last_fy,
            "body_kinds": " ".join(m.eligible_kinds), "source": m.source,
            "source_url": m.source_url, "state": "published", "published_at": now,
            "created_at": now, "updated_at": now,
        })
    if rows:
        op.bulk_insert(measure, rows)


def downgrade():
    # The measures are data estimates have named: going back leaves them where they are.
    pass
