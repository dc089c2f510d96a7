"""flask --app wsgi notify …: the notification worker (``notify digests`` lives with the
saved searches, subscriptions/cli.py)."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

from talentmatch import signals

notify_cli = AppGroup("notify", help="The notification worker.")


@signals.cli_commands.connect
def _commands(app) -> None:
    app.cli.add_command(notify_cli)


@notify_cli.command("run")
@click.option("--once", is_flag=True, help="Process what is due now, then exit.")
@click.option("--interval", default=5.0, help="Seconds between polls.")
def notify_run(once: bool, interval: float) -> None:
    """Expand events into messages and send them (several workers may run).

    --once prints a JSON summary. Exit status 3 when the mail provider refuses our
    credentials (the messages stay pending). SIGTERM stops the loop cleanly.
    """
    from talentmatch.notifications.backends import DeliveryStopped
    from talentmatch.notifications.worker import run_forever, run_once

    try:
        if once:
            click.echo(json.dumps(run_once()))
            return
        run_forever(interval)
    except DeliveryStopped as exc:
        if once:
            click.echo(json.dumps(exc.summary | {"stopped": exc.reason}))
        click.echo(f"notify: delivery stopped: {exc.reason}", err=True)
        sys.exit(3)
