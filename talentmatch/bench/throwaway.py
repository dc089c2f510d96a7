"""The one way a benchmark gets an app: ``throwaway_app()``, a TalentMatch app on a database
of its own (a temporary SQLite file unless told otherwise), migrated to head with the
master data loaded, its connections closed and its temporary folder removed afterwards.

This is the only module of ``bench/`` that imports the application factory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from flask import Flask

from talentmatch.config import Config


class Throwaway(NamedTuple):
    app: Flask
    folder: Path  # removed afterwards: the SQLite file, mail, logs
    uri: str


@contextmanager
def throwaway_app(uri: str | None = None, *, configured: bool = False, migrate: bool = True,
                  prefix: str = "tm-bench-", **config: Any) -> Iterator[Throwaway]:
    """An app for a benchmark. The database: ``uri`` when given, TALENTMATCH_DATABASE_URL
    when ``configured``, else ``bench.db`` in a temporary folder. ``migrate``: upgrade to
    head and load the master data first. ``config``: Config attributes to set (MAIL_DIR …)."""
    from flask_migrate import upgrade

    from talentmatch.app import create_app
    from talentmatch.extensions import db
    from talentmatch.geo.services import load_master

    folder = tempfile.TemporaryDirectory(prefix=prefix)
    try:
        cfg = Config()
        if uri is not None:
            cfg.SQLALCHEMY_DATABASE_URI = uri
        elif not configured:
            cfg.SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(folder.name) / 'bench.db'}"
        for key, value in config.items():
            setattr(cfg, key, value)
        app = create_app(cfg)
        try:
            if migrate:
                with app.app_context():
                    upgrade()
                    load_master()
            yield Throwaway(app, Path(folder.name), cfg.SQLALCHEMY_DATABASE_URI)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    finally:
        folder.cleanup()
