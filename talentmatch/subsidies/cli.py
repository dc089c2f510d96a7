"""flask --app wsgi subsidy estimate: the special grant estimate, JSON in and out."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

from talentmatch import signals
from talentmatch.subsidies.commands import measures_cli

subsidy_cli = AppGroup("subsidy", help="The special grant (特別交付税措置) estimate and its measures.")
subsidy_cli.add_command(measures_cli)


@signals.cli_commands.connect
def _commands(app) -> None:
    app.cli.add_command(subsidy_cli)


@subsidy_cli.command("estimate")
@click.argument("file", type=click.File("rb"))
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja",
              help="Language when the JSON gives no \"lang\".")
def subsidy_estimate(file, lang: str) -> None:
    """Estimate the special grant: JSON from FILE (or - for stdin) in, JSON out (DESIGN §6).
    Invalid input: the errors as JSON on stderr, exit status 2."""
    from talentmatch.subsidies.services import estimate_raw

    body, ok = estimate_raw(file.read(), lang)
    click.echo(json.dumps(body, ensure_ascii=False, indent=2), err=not ok)
    sys.exit(0 if ok else 2)
