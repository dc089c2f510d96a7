"""Fingerprinted static files: the content's hash in the URL, a year's immutable max-age.

``url_for('static', filename='css/app.css')`` gives ``/static/<hash>/css/app.css`` (the
file's name stays whole at the end). The app serves such a path only while the hash is the
file's (else 404, so a stale path is never cached with new content); plain paths are served
too, revalidated each time. `flask assets build DIR` writes every file under its
fingerprinted path for nginx to serve (deploy/nginx): older ones stay, so pages cached
before a deploy keep their styles.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import click
from flask import Flask, abort, current_app, send_from_directory
from flask.cli import with_appcontext

from talentmatch.config import INSTANCE

HASH_LEN = 12
YEAR = 31536000
_FINGERPRINTED = re.compile(rf"^(?P<hash>[0-9a-f]{{{HASH_LEN}}})/(?P<name>.+)$")


class Fingerprints:
    """filename → hash of the files in the static folder (re-read when a file changes, so
    development edits show at once; one stat per file and lookup)."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self._cache: dict[str, tuple[float, str]] = {}

    def digest(self, filename: str) -> str | None:
        path = self.folder / filename
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        cached = self._cache.get(filename)
        if cached and cached[0] == mtime:
            return cached[1]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LEN]
        self._cache[filename] = (mtime, digest)
        return digest

    def name(self, filename: str) -> str:
        """css/app.css → <hash>/css/app.css (unchanged when the file does not exist)."""
        digest = self.digest(filename)
        return filename if digest is None else f"{digest}/{filename}"

    def files(self) -> list[str]:
        return sorted(str(p.relative_to(self.folder)) for p in self.folder.rglob("*") if p.is_file())


def _fingerprints() -> Fingerprints:
    return current_app.extensions["talentmatch.fingerprints"]


def static_file(filename: str):
    fp = _fingerprints()
    m = _FINGERPRINTED.match(filename)
    if m:
        original = m.group("name")
        if fp.digest(original) != m.group("hash"):
            abort(404)
        response = send_from_directory(fp.folder, original, max_age=YEAR)
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        return response
    response = send_from_directory(fp.folder, filename, max_age=0)
    response.headers["Cache-Control"] = "public, no-cache"
    return response


def favicon():
    """/favicon.ico, asked for by browsers and crawlers whatever the page says."""
    response = send_from_directory(_fingerprints().folder, "favicon.ico", max_age=86400,
                                   mimetype="image/vnd.microsoft.icon")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def _fingerprint_url(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = _fingerprints().name(values["filename"])


def build(out: Path, fp: Fingerprints) -> int:
    """Copy every static file to OUT/static/ under its fingerprinted name (and favicon.ico
    to OUT/), keeping what is there."""
    written = 0
    for filename in fp.files():
        target = out / "static" / fp.name(filename)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fp.folder / filename, target)
            written += 1
    if (fp.folder / "favicon.ico").exists():
        shutil.copyfile(fp.folder / "favicon.ico", out / "favicon.ico")
    return written


@click.group("assets", help="Static files for a reverse proxy to serve.")
def assets_cli() -> None:
    pass


@assets_cli.command("build")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path),
                default=INSTANCE / "public")
@with_appcontext
def build_command(out: Path) -> None:
    """Write the static files under their fingerprinted names into OUT/static/ (default
    instance/public), keeping older ones."""
    n = build(out, _fingerprints())
    click.echo(f"{n} files written to {out / 'static'}")


def init_app(app: Flask) -> None:
    app.extensions["talentmatch.fingerprints"] = Fingerprints(app.static_folder)
    app.view_functions["static"] = static_file
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    app.url_defaults(_fingerprint_url)
    app.cli.add_command(assets_cli)
