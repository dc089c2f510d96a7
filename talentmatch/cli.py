"""Flask commands that belong to no domain (DESIGN.md §10): ``db backup`` and
``db forget-used-keys`` (added to Flask-Migrate's ``db`` group) and ``translate``. Each domain's commands live in its own
``cli.py`` and are added through signals.cli_commands (README: Commands)."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup, with_appcontext
from flask_migrate.cli import db as migrate_db_group

from talentmatch import signals
from talentmatch.config import ROOT

translate_cli = AppGroup("translate", help="Translations: extract, update, compile.")


@signals.cli_commands.connect
def _commands(app) -> None:
    app.cli.add_command(translate_cli)


# --- db (Flask-Migrate's group: upgrade, current … and our backup) ------------------------------

@migrate_db_group.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def db_backup(file: str) -> None:
    """Back up the live database to FILE (a new file): SQLite with its online backup API,
    PostgreSQL with pg_dump's custom format. Prints a JSON summary; exit status 1 on failure."""
    from talentmatch.backup import BackupError, backup
    from talentmatch.extensions import db

    # The engine's URL: Flask-SQLAlchemy resolves a relative SQLite path against instance/.
    uri = db.engine.url.render_as_string(hide_password=False)
    try:
        click.echo(json.dumps(backup(uri, file)))
    except BackupError as exc:
        click.echo(f"backup failed: {exc}", err=True)
        sys.exit(1)


@migrate_db_group.command("forget-used-keys")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep keys used within this many days (default 30).")
@with_appcontext
def db_forget_used_keys(days: int | None) -> None:
    """Delete the one-time form keys used more than --days ago (daily; no open page can send
    them back by then). Prints a JSON summary."""
    from talentmatch.db import transaction
    from talentmatch.submissions.services import KEEP_DAYS, forget_old

    with transaction():
        removed = forget_old(days=days or KEEP_DAYS)
    click.echo(json.dumps({"forgotten": removed, "days": days or KEEP_DAYS}))


# --- translate ---------------------------------------------------------------------------------

def _pybabel(*args: str) -> None:
    import os

    from babel.messages.frontend import CommandLineInterface

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(["pybabel", *args])
    finally:
        os.chdir(cwd)


@translate_cli.command("extract")
def translate_extract() -> None:
    """Extract msgids into translations/messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_", "-k", "lazy_gettext",
             "--no-location", "--sort-output", "--no-wrap", "-o", "translations/messages.pot", ".")


@translate_cli.command("update")
def translate_update() -> None:
    """Extract, then merge new msgids into every catalogue."""
    translate_extract.callback()
    _pybabel("update", "-i", "translations/messages.pot", "-d", "translations", "--no-fuzzy-matching",
             "--no-wrap")


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile catalogues to .mo files."""
    _pybabel("compile", "-d", "translations")
