"""flask --app wsgi geo …: the master data of prefectures and municipalities."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from talentmatch import signals

geo_cli = AppGroup("geo", help="Master data: prefectures and municipalities.")


@signals.cli_commands.connect
def _commands(app) -> None:
    app.cli.add_command(geo_cli)


@geo_cli.command("load")
def geo_load() -> None:
    """Load all prefectures and municipalities (idempotent; validates every check digit)."""
    from talentmatch.geo.services import MasterDataError, load_master

    try:
        report = load_master()
    except MasterDataError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(report.by_kind.items()))
    click.echo(f"prefectures: {report.prefectures}")
    click.echo(f"municipalities: {report.municipalities} ({kinds})")
    click.echo(f"inserted: {report.inserted}, updated: {report.updated}")
