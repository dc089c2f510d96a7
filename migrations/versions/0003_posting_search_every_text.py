"""The listing's keyword search reads every public text of a posting (department, place of
work, selection, how to apply, PR…), so the stored search text of every revision is rebuilt.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from talentmatch.text import search_text

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The searched fields as of this revision (postings.services.SEARCHED_KEYS then).
TEXTS = ("title", "duties", "required_experience", "hours_note", "work_location",
         "expenses_note", "selection_process", "how_to_apply", "contact_department",
         "dx_organization", "cio_title", "pr_text", "title_en", "summary_en")
TAGS = ("required_skills", "preferred_skills", "preferred_qualifications")
ORDER = ("title", "duties", "required_experience", "required_skills", "preferred_skills",
         "preferred_qualifications", "hours_note", "work_location", "expenses_note",
         "selection_process", "how_to_apply", "contact_department", "dx_organization",
         "cio_title", "pr_text", "title_en", "summary_en")

revision_table = sa.table(
    "posting_revision", sa.column("id", sa.Integer), sa.column("municipality_code", sa.String),
    sa.column("search_text", sa.Text),
    *(sa.column(k, sa.Text) for k in TEXTS), *(sa.column(k, sa.JSON) for k in TAGS))
municipality = sa.table("municipality", sa.column("code", sa.String), sa.column("name", sa.String),
                        sa.column("name_kana", sa.String), sa.column("prefecture_code", sa.String))
prefecture = sa.table("prefecture", sa.column("code", sa.String), sa.column("name", sa.String))


def _rebuild(full: bool) -> None:
    conn = op.get_bind()
    places = {code: (name, kana, pref) for code, name, kana, pref in conn.execute(
        sa.select(municipality.c.code, municipality.c.name, municipality.c.name_kana,
                  prefecture.c.name)
        .join(prefecture, prefecture.c.code == municipality.c.prefecture_code))}
    r = revision_table.c
    last = 0
    while True:
        rows = conn.execute(sa.select(revision_table).where(r.id > last).order_by(r.id)
                            .limit(1000)).mappings().all()
        if not rows:
            return
        for row in rows:
            parts = list(places.get(row["municipality_code"], ()))
            keys = ORDER if full else ("title", "title_en", "duties", "required_experience",
                                      "required_skills", "preferred_skills",
                                      "preferred_qualifications", "pr_text")
            for key in keys:
                value = row[key]
                if isinstance(value, list):
                    parts.extend(str(v) for v in value)
                elif value:
                    parts.append(str(value))
            conn.execute(sa.update(revision_table).where(r.id == row["id"])
                         .values(search_text=search_text(*parts)))
        last = rows[-1]["id"]


def upgrade():
    _rebuild(full=True)


def downgrade():
    _rebuild(full=False)
