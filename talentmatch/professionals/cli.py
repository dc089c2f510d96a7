"""flask --app wsgi professionals import: a prefecture's talent list."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

from talentmatch import signals

professionals_cli = AppGroup("professionals", help="Professionals: import a prefecture's talent list.")


@signals.cli_commands.connect
def _commands(app) -> None:
    app.cli.add_command(professionals_cli)


@professionals_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--consent-obtained", is_flag=True,
              help="The prefecture obtained each person's consent: they are discoverable as their row says.")
@click.option("--prefecture", "prefecture", default=None, help="Code (e.g. 13) or name of the prefecture.")
@click.option("--by", "by_email", default=None, help="Email of the coordinator responsible for the list.")
def professionals_import(file, consent_obtained: bool, prefecture: str | None, by_email: str | None) -> None:
    """Import a talent list (CSV, DESIGN §5 columns): all rows or none.

    Everyone is mailed a single-use link to confirm (or remove their data); without
    --consent-obtained they stay hidden until they confirm. Prints a JSON summary; on any
    error lists every error by row and column and exits with status 2.
    """
    from talentmatch.professionals.import_service import import_csv

    report, errors = import_csv(file.read(), consent_obtained=consent_obtained, prefecture=prefecture,
                                by_email=by_email)
    if report is None:
        for line in errors:
            click.echo(line, err=True)
        click.echo(f"{len(errors)} error(s); nothing was imported", err=True)
        sys.exit(2)
    click.echo(json.dumps({"prefecture": report.prefecture_code, "created": report.created,
                           "discoverable": report.discoverable,
                           "hidden_until_confirmed": report.hidden_until_confirmed,
                           "consent_obtained": consent_obtained}))
