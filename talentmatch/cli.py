"""Flask command groups (DESIGN.md §10): flask --app wsgi <group> <command>."""

from __future__ import annotations

import json
import sys
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from talentmatch.config import ROOT

geo_cli = AppGroup("geo", help="Master data: prefectures and municipalities.")
users_cli = AppGroup("users", help="Accounts.")
demo_cli = AppGroup("demo", help="Demonstration data (refused in production).")
notify_cli = AppGroup("notify", help="The notification worker.")
translate_cli = AppGroup("translate", help="Translations: extract, update, compile.")
bench_cli = AppGroup("bench", help="Benchmarks that print their figures.")

GROUPS = [geo_cli, users_cli, demo_cli, notify_cli, translate_cli, bench_cli]


def register_cli(app: Flask) -> None:
    for group in GROUPS:
        app.cli.add_command(group)


# --- geo ---------------------------------------------------------------------------------------

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


# --- users -------------------------------------------------------------------------------------

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


# --- demo --------------------------------------------------------------------------------------

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


# --- notify ------------------------------------------------------------------------------------

@notify_cli.command("run")
@click.option("--once", is_flag=True, help="Process what is due now, then exit.")
@click.option("--interval", default=5.0, help="Seconds between polls.")
def notify_run(once: bool, interval: float) -> None:
    """Expand events into messages and send them (several workers may run)."""
    from talentmatch.notifications.worker import run_forever, run_once

    if once:
        click.echo(json.dumps(run_once()))
        return
    run_forever(interval)


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
             "--no-location", "--sort-output", "-o", "translations/messages.pot", ".")


@translate_cli.command("update")
def translate_update() -> None:
    """Extract, then merge new msgids into every catalogue."""
    translate_extract.callback()
    _pybabel("update", "-i", "translations/messages.pot", "-d", "translations", "--no-fuzzy-matching")


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile catalogues to .mo files."""
    _pybabel("compile", "-d", "translations")


@bench_cli.command("noop", hidden=True)
def bench_noop() -> None:
    click.echo(json.dumps({"t": time.time()}))
