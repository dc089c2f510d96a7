"""flask --app wsgi users …: the first administrator, a staff member's second-factor code."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from talentmatch import signals

users_cli = AppGroup("users", help="Accounts.")


@signals.cli_commands.connect
def _commands(app) -> None:
    app.cli.add_command(users_cli)


@users_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", default="")
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create the first ministry administrator."""
    from talentmatch.accounts.services import AccountError
    from talentmatch.accounts.services import create_admin as create

    try:
        user = create(email, password, name)
    except AccountError as exc:
        for err in exc.errors:
            click.echo(f"{err.field}: {err.message.render()}", err=True)
        sys.exit(2)
    click.echo(f"created ministry admin {user.email} (id {user.id})")


@users_cli.command("otp")
@click.argument("email")
def users_otp(email: str) -> None:
    """Print the current second-factor code of a staff account (development only)."""
    from talentmatch.accounts.services import AccountError, current_totp, find_user

    if current_app.config["IS_PRODUCTION"]:
        click.echo("refused: not available in production", err=True)
        sys.exit(1)
    user = find_user(email)
    if user is None:
        click.echo("no such account", err=True)
        sys.exit(1)
    try:
        click.echo(current_totp(user))
    except AccountError as exc:
        click.echo(exc.errors[0].message.render(), err=True)
        sys.exit(1)
