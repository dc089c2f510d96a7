"""flask --app wsgi demo load: the demonstration world (refused in production)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from talentmatch import signals

demo_cli = AppGroup("demo", help="Demonstration data (refused in production).")


@signals.cli_commands.connect
def _commands(app) -> None:
    app.cli.add_command(demo_cli)


@demo_cli.command("load")
def demo_load() -> None:
    """Create a believable demo world and print its logins."""
    from talentmatch.demo import DemoRefused, load

    try:
        logins = load()
    except DemoRefused as exc:
        click.echo(f"refused: {exc}", err=True)
        sys.exit(1)
    click.echo("Demo logins (password for all: " + logins["password"] + ")")
    for role, email, note in logins["accounts"]:
        click.echo(f"  {role:<14} {email}  {note}")
    click.echo("Staff accounts need a second factor: run `flask --app wsgi users otp EMAIL` for the code.")
