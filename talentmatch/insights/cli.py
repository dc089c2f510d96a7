"""flask --app wsgi insights …: the statistics of what draws applicants."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

from talentmatch import signals

insights_cli = AppGroup("insights", help="Insights: what draws applicants, from the evidence.")


@signals.cli_commands.connect
def _commands(app) -> None:
    app.cli.add_command(insights_cli)


@insights_cli.command("conditions")
@click.option("--from", "start", default=None, help="First day of publication (YYYY-MM-DD); "
              "default: the start of the current fiscal year.")
@click.option("--to", "end", default=None, help="Last day of publication (YYYY-MM-DD); "
              "default: the end of the current fiscal year.")
@click.option("--prefecture", default=None, help="Only this prefecture (2-digit code).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def conditions(start: str | None, end: str | None, prefecture: str | None,
               as_json: bool) -> None:
    """Published postings of the period grouped by each condition: postings, applications,
    median applications, share with at least one application. Groups below the minimum size
    carry "suppressed": true and no figures. Exit status 2 on a bad date."""
    from talentmatch.catalog import translator
    from talentmatch.insights import services

    try:
        period = services.parse_period(start, end)
    except services.PeriodError as exc:
        click.echo(f"--{exc.field}: {exc.message.render(translator('en'))}", err=True)
        sys.exit(2)
    if prefecture is not None and not (len(prefecture) == 2 and prefecture.isdigit()):
        click.echo("--prefecture: enter a 2-digit prefecture code such as 01.", err=True)
        sys.exit(2)
    data = services.conditions_json(period, prefecture)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"period {data['period']['from']} – {data['period']['to']}")
    for g in data["groups"]:
        if g.get("suppressed"):
            click.echo(f"{g['condition']:16} {g['value']:22} suppressed (fewer than "
                       f"{data['min_group']})")
        else:
            click.echo(f"{g['condition']:16} {g['value']:22} postings {g['postings']:>5}  "
                       f"applications {g['applications']:>6}  median "
                       f"{g['median_applications']:>5}  share "
                       f"{g['with_application_share'] * 100:5.1f}%")
