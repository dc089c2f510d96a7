"""`flask db backup FILE`: a consistent copy of the live database (README "Backups").

SQLite: sqlite3's online backup API copies one consistent snapshot while the app and the
workers keep running (a plain file copy can catch a write half-done or miss what sits in the
WAL file). The copy is checked (``PRAGMA integrity_check``) and switched out of WAL mode, so
the backup is one self-contained file: restoring it is copying it into place.

PostgreSQL: ``pg_dump --format=custom`` (restore with ``pg_restore``), checked by listing its
contents. When the database URL sets a ``search_path`` (TalentMatch in a schema of its own),
only that schema is dumped. pg_dump must not be older than the server (it refuses to dump a
newer server); its major version is checked first so the message says what to install.

Either way the backup is written beside FILE under a temporary name and renamed when it is
complete: a file with the final name is always a whole backup.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
import urllib.parse
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def backup(uri: str, dest: str | os.PathLike) -> dict:
    """Write a backup of the database at ``uri`` to ``dest`` (which must not exist)."""
    dest = Path(dest)
    if dest.exists():
        raise BackupError(f"{dest} already exists; a backup never overwrites a file")
    if not dest.parent.is_dir():
        raise BackupError(f"{dest.parent} is not a directory")
    partial = dest.with_name(dest.name + ".partial")
    started = time.perf_counter()
    url = make_url(uri)
    try:
        if url.get_backend_name() == "sqlite":
            info = _sqlite(url.database or "", partial)
        elif url.get_backend_name() == "postgresql":
            info = _postgres(uri, partial)
        else:
            raise BackupError(f"no backup procedure for {url.get_backend_name()} databases")
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return {**info, "file": str(dest), "bytes": dest.stat().st_size,
            "seconds": round(time.perf_counter() - started, 2)}


# --- SQLite ------------------------------------------------------------------------------------

def _sqlite(path: str, partial: Path) -> dict:
    if not path or path == ":memory:" or not Path(path).is_file():
        raise BackupError(f"no SQLite database file at {path or '(none)'}")
    # mode=rw: never create an empty database when the path is wrong.
    source = sqlite3.connect(f"file:{urllib.parse.quote(path)}?mode=rw", uri=True, timeout=30)
    target = sqlite3.connect(partial)
    try:
        source.backup(target)  # one step: a consistent snapshot; in WAL mode writers go on
        target.execute("PRAGMA journal_mode=DELETE")
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
        tables = target.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    finally:
        target.close()
        source.close()
    if check != "ok":
        raise BackupError(f"the copy failed its integrity check: {check}")
    return {"database": "sqlite", "tables": tables}


# --- PostgreSQL --------------------------------------------------------------------------------

def libpq_target(uri: str) -> tuple[str, dict[str, str], str | None]:
    """(libpq URL without the password, environment holding it, schema named by search_path).

    The password goes through PGPASSWORD so it never shows in the process list.
    """
    url = make_url(uri)
    env = {"PGPASSWORD": url.password} if url.password else {}
    schema = None
    options = url.query.get("options")
    if isinstance(options, tuple):
        options = " ".join(options)
    if options and (m := re.search(r"search_path\s*=\s*([^\s,]+)", options)):
        schema = m.group(1).strip('"')
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env, schema


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    # The programs are pg_dump / pg_restore found on PATH; the arguments are built here, and
    # a list (no shell) keeps the URL and file name single arguments.
    return subprocess.run(args, capture_output=True, text=True, env=env)  # noqa: S603


def _major(version_text: str) -> int:
    m = re.search(r"(\d+)(?:\.\d+)?", version_text)
    return int(m.group(1)) if m else 0


def _postgres(uri: str, partial: Path) -> dict:
    pg_dump, pg_restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if not pg_dump or not pg_restore:
        raise BackupError("pg_dump and pg_restore are not installed: install the PostgreSQL client "
                          "of the server's major version (Debian: apt-get install postgresql-client-15)")
    engine = create_engine(uri)
    try:
        with engine.connect() as conn:
            server = int(conn.execute(text("SHOW server_version_num")).scalar()) // 10000
    finally:
        engine.dispose()
    client = _major(_run([pg_dump, "--version"]).stdout)
    if client < server:
        raise BackupError(f"pg_dump {client} cannot dump a PostgreSQL {server} server: install "
                          f"postgresql-client-{server}")
    target, env, schema = libpq_target(uri)
    args = [pg_dump, "--format=custom", "--no-password", f"--file={partial}"]
    if schema:
        args.append(f"--schema={schema}")
    run_env = {**os.environ, **env}
    done = _run([*args, target], env=run_env)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[-2000:]}")
    listing = _run([pg_restore, "--list", str(partial)])
    if listing.returncode != 0:
        raise BackupError(f"the dump cannot be read back: {listing.stderr.strip()[-2000:]}")
    tables = sum(1 for line in listing.stdout.splitlines() if " TABLE DATA " in line)
    return {"database": "postgresql", "format": "pg_dump custom", "schema": schema or "(all)",
            "tables": tables, "pg_dump": client, "server": server}
