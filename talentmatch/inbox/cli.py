"""`flask --app wsgi notify staff-digests`: the daily summary for staff who chose one (run it
every morning, like the other daily jobs; idempotent per day; notifications/cli.py's group)."""

from __future__ import annotations

import json
from datetime import date

import click
from flask.cli import with_appcontext

from talentmatch.notifications.cli import notify_cli


@notify_cli.command("staff-digests")
@click.option("--today", default=None, help="Pretend today is this date (YYYY-MM-DD).")
@with_appcontext
def staff_digests(today: str | None) -> None:
    """Queue each staff account's daily summary of what waits for it (only for accounts that
    chose a daily summary, only when something waits, once per day). Prints a JSON summary;
    the worker (`notify run`) sends the mail."""
    from talentmatch.inbox.digest import send

    try:
        day = date.fromisoformat(today) if today else None
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from exc
    click.echo(json.dumps(send(today=day)))
