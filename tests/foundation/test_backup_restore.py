"""A restore that is proven (README "Backups"): the demo is loaded into a database of its own,
backed up with deploy/backup/backup.sh (``flask db backup``) while another connection holds
committed-but-uncheckpointed and uncommitted changes, restored with deploy/backup/restore.sh
into a fresh database, and the app is run on the copy: every table holds the same rows, and
the listing, a posting page and a staff login (password and second factor) work.

On the suite's database: an SQLite file by default; with TALENTMATCH_TEST_DATABASE_URL, a
schema of its own, dumped with pg_dump and restored with pg_restore into a new database.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from talentmatch import config
from talentmatch.config import ROOT, database_url

PG_URL = os.environ.get("TALENTMATCH_TEST_DATABASE_URL", "")
BACKUP_SH = ROOT / "deploy" / "backup" / "backup.sh"
RESTORE_SH = ROOT / "deploy" / "backup" / "restore.sh"
BIN = Path(sys.executable).parent

if PG_URL:
    import shutil

    pytestmark = pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")),
                                    reason="pg_dump / pg_restore are not installed "
                                           "(apt-get install postgresql-client-15)")


def _with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_admin():
    engine = create_engine(database_url(PG_URL), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def source(tmp_path, request):
    """An empty database of its own (its URL), removed afterwards."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'live.db'}"
        return
    admin = request.getfixturevalue("pg_admin")
    schema = f"tm_backup_{os.getpid()}_{secrets.token_hex(3)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield _with_search_path(database_url(PG_URL), schema)
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def fresh_target(tmp_path, source, request):
    """(what restore.sh is given, the app's URL for the restored database)."""
    if not PG_URL:
        path = tmp_path / "restored.db"
        yield str(path), f"sqlite:///{path}"
        return
    admin = request.getfixturevalue("pg_admin")
    name = f"tm_restore_{os.getpid()}_{secrets.token_hex(3)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(database_url(PG_URL)).set(database=name).render_as_string(hide_password=False)
    schema = make_url(source).query["options"].split("=", 1)[1]
    yield url, _with_search_path(url, schema)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _env(uri: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "TALENTMATCH_ENV": "development", "TALENTMATCH_DATABASE_URL": uri,
            "TALENTMATCH_MAIL_DIR": str(tmp_path / "mail"), "FLASK": str(BIN / "flask"),
            "PYTHON": sys.executable, **extra}


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


def _snapshot(uri: str) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    engine = create_engine(uri)
    try:
        insp = inspect(engine)
        out = {}
        with engine.connect() as conn:
            for table in sorted(insp.get_table_names()):
                columns = [c["name"] for c in insp.get_columns(table)]
                keys = insp.get_pk_constraint(table)["constrained_columns"] or columns
                order = ", ".join(f'"{k}"' for k in keys)
                cols = ", ".join(f'"{c}"' for c in columns)
                out[table] = [tuple(r) for r in conn.execute(
                    text(f'SELECT {cols} FROM "{table}" ORDER BY {order}'))]  # noqa: S608 - names from the schema
        return out
    finally:
        engine.dispose()


def test_a_backup_of_the_live_demo_restores_into_a_working_app(source, fresh_target, tmp_path):
    from talentmatch.demo import ADMIN_EMAIL
    from talentmatch.demo import PASSWORD as DEMO_PASSWORD

    env = _env(source, tmp_path)
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    for step in (["db", "upgrade"], ["geo", "load"], ["demo", "load"]):
        _run([*flask, *step], env)

    # Old backups for the retention rule: past KEEP_DAYS, only the newest KEEP_MIN stay.
    backups = tmp_path / "backups"
    backups.mkdir()
    ext = "dump" if PG_URL else "sqlite3"
    old = [backups / f"talentmatch-2020010{d}T023000Z.{ext}" for d in (1, 2, 3)]
    month_ago = time.time() - 30 * 86400
    for path in old:
        path.write_bytes(b"an old backup")
        os.utime(path, (month_ago, month_ago))

    # The database is in use while it is backed up: a committed change that SQLite still holds
    # in its WAL file (this connection stays open, so nothing is checkpointed), and a change
    # left uncommitted, which no backup may contain.
    live = create_engine(source)
    conn = live.connect()
    try:
        conn.execute(text("UPDATE user_account SET display_name = display_name || ' (backed up live)' "
                          "WHERE email = :email"), {"email": ADMIN_EMAIL})
        conn.commit()
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('uncommitted')"))
        out = _run([str(BACKUP_SH)], _env(source, tmp_path, BACKUP_DIR=str(backups), KEEP_DAYS="14",
                                          KEEP_MIN="2"))
    finally:
        conn.rollback()
        conn.close()
        live.dispose()
    made = sorted(set(backups.iterdir()) - set(old))
    assert len(made) == 1 and made[0].suffix == f".{ext}", (out, made)
    assert sorted(backups.iterdir()) == sorted([old[2], made[0]]), out  # retention

    target, restored_uri = fresh_target
    _run([str(RESTORE_SH), str(made[0]), target], _env(source, tmp_path))
    if not PG_URL:  # a restore never overwrites a database
        refused = subprocess.run([str(RESTORE_SH), str(made[0]), target], cwd=ROOT,
                                 env=_env(source, tmp_path), capture_output=True, text=True)
        assert refused.returncode == 2 and "exists" in refused.stderr

    original, copy = _snapshot(source), _snapshot(restored_uri)
    assert list(copy) == list(original) and len(original) >= 25
    assert {t: len(r) for t, r in copy.items()} == {t: len(r) for t, r in original.items()}
    for table in original:
        assert copy[table] == original[table], table
    assert copy["alembic_version"] != [("uncommitted",)] and len(copy["alembic_version"]) == 1
    assert len(copy["posting"]) >= 50 and len(copy["professional"]) >= 300

    _app_works_on(restored_uri, tmp_path, ADMIN_EMAIL, DEMO_PASSWORD)


def _app_works_on(uri: str, tmp_path: Path, admin_email: str, password: str) -> None:
    from talentmatch.accounts.models import User
    from talentmatch.app import create_app
    from talentmatch.extensions import db
    from talentmatch.postings.models import Posting, PostingRevision
    from talentmatch.publication.search import snapshots
    from tests.support.factories import login

    app = create_app(config.TestingConfig(SQLALCHEMY_DATABASE_URI=uri, MAIL_DIR=str(tmp_path / "mail-restored"),
                                   WTF_CSRF_ENABLED=False, BASE_URL="http://localhost"))
    snapshots.reset()  # the listing's process-wide cache must come from this database
    try:
        with app.app_context():
            posting_id, title = db.session.execute(
                select(Posting.id, PostingRevision.title)
                .join(PostingRevision, PostingRevision.id == Posting.published_revision_id)
                .where(Posting.status == "open").order_by(Posting.id)).first()
            client = app.test_client()
            listing = client.get("/postings")
            assert listing.status_code == 200 and title in listing.get_data(as_text=True)
            page = client.get(f"/postings/{posting_id}")
            body = page.get_data(as_text=True)
            assert page.status_code == 200 and title in body and '"JobPosting"' in body

            admin = db.session.scalar(select(User).where(User.email == admin_email))
            assert admin.display_name.endswith("(backed up live)")
            resp = login(client, admin, password)  # password, then the second factor
            home = client.get(resp.headers["Location"])
            assert home.status_code == 200
            db.session.remove()
    finally:
        snapshots.reset()
        with app.app_context():
            db.engine.dispose()
