"""flask --app wsgi postings close-expired: the daily deadline job (closing and reminders)
in the postings group (postings/cli.py)."""

from __future__ import annotations

import json
import sys

import click

from talentmatch.postings.cli import postings_cli


@postings_cli.command("close-expired")
@click.option("--today", default=None, help="Run as if today were this date (YYYY-MM-DD).")
def postings_close_expired(today: str | None) -> None:
    """Daily job: close published postings past their deadline and mail municipality staff
    a reminder 5 days before a deadline. Safe to run repeatedly; prints a JSON summary."""
    from datetime import date

    from talentmatch.review.services import run_daily

    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        click.echo("--today: use YYYY-MM-DD", err=True)
        sys.exit(2)
    result = run_daily(today=day)
    click.echo(json.dumps({"closed": result["closed"], "reminded": result["reminded"]}))
