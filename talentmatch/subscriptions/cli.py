"""flask --app wsgi notify digests: queue the digests of saved searches (the notification
worker's group, notifications/cli.py)."""

from __future__ import annotations

import json

import click

from talentmatch.notifications.cli import notify_cli


@notify_cli.command("digests")
@click.option("--frequency", type=click.Choice(["daily", "weekly"]), default=None,
              help="Only this kind of digest (default: both).")
def notify_digests(frequency: str | None) -> None:
    """Queue the daily / weekly digests of saved searches (run it every morning, e.g. from
    cron; weekly ones go out on the first run of each week). Idempotent per period; the
    worker (`notify run`) sends them. Prints a JSON summary."""
    from talentmatch.subscriptions.digests import run

    click.echo(json.dumps(run(frequency)))
