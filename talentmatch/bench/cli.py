"""flask --app wsgi bench …: the benchmarks, each printing its figures (JSON on the last
line). Each command imports its benchmark only when it runs."""

from __future__ import annotations

import json
import sys
import time

import click
from flask.cli import AppGroup

from talentmatch import signals

bench_cli = AppGroup("bench", help="Benchmarks that print their figures.")


@signals.cli_commands.connect
def _commands(app) -> None:
    app.cli.add_command(bench_cli)


@bench_cli.command("listing")
@click.option("--database", is_flag=True,
              help="Use TALENTMATCH_DATABASE_URL (it must hold no postings) instead of a "
                   "temporary SQLite file.")
@click.option("--postings", default=20_000, show_default=True, help="Postings to create.")
@click.option("--rounds", default=20, show_default=True, help="Timed rounds of all queries.")
def bench_listing(database: bool, postings: int, rounds: int) -> None:
    """Time the public listing, a posting page and the listing SQL; JSON on the last line."""
    from talentmatch.bench.listing import run

    click.echo(json.dumps(run(use_configured_db=database, postings=postings, rounds=rounds)))


@bench_cli.command("fanout")
@click.option("--subscriptions", default=100_000, show_default=True,
              help="Subscriptions to create.")
@click.option("--scenario", type=click.Choice(["mixed", "broad"]), default="mixed",
              show_default=True,
              help="mixed: realistic saved searches; broad: every one matches the posting.")
def bench_fanout(subscriptions: int, scenario: str) -> None:
    """Time the fan-out of one publication to its subscribers in a throwaway SQLite
    database; JSON on the last line."""
    from talentmatch.bench.fanout import run

    click.echo(json.dumps(run(subscriptions=subscriptions, scenario=scenario)))


@bench_cli.command("http")
@click.option("--postings", default=20_000, show_default=True, help="Postings to create.")
@click.option("--professionals", default=100_000, show_default=True,
              help="Professionals to create.")
@click.option("--duration", default=10, show_default=True, help="Seconds of load per route.")
@click.option("--connections", default=16, show_default=True, help="Keep-alive connections.")
@click.option("--workers", default=2, show_default=True, help="gunicorn sync workers.")
@click.option("--database", default=None, metavar="URL",
              help="Benchmark on this database instead of a temporary SQLite file "
                   "(PostgreSQL: in a schema of its own, dropped afterwards).")
def bench_http(postings: int, professionals: int, duration: int, connections: int, workers: int,
               database: str | None) -> None:
    """Load /healthz, the listing, a posting page and the API over real HTTP (gunicorn, wrk);
    JSON on the last line."""
    from talentmatch.bench.http import print_table, run

    result = run(postings=postings, professionals=professionals, duration=duration,
                 connections=connections, database=database, workers=workers)
    print_table(result, click.echo)


@bench_cli.command("dashboards")
@click.option("--database", is_flag=True,
              help="Use TALENTMATCH_DATABASE_URL (it must hold no postings) instead of a "
                   "temporary SQLite file.")
@click.option("--postings", default=20_000, show_default=True, help="Postings to create.")
@click.option("--rounds", default=10, show_default=True, help="Timed rounds.")
def bench_dashboards(database: bool, postings: int, rounds: int) -> None:
    """Time the prefecture and national dashboards' figures and pages; JSON on the last line."""
    from talentmatch.bench.dashboards import run

    click.echo(json.dumps(run(use_configured_db=database, postings=postings, rounds=rounds)))


@bench_cli.command("soak")
@click.option("--duration", default=300, show_default=True, help="Seconds of load.")
@click.option("--workers", default=4, show_default=True, help="gunicorn sync workers.")
@click.option("--users", default=12, show_default=True,
              help="Virtual users, each with its own clerks, draft and professionals.")
@click.option("--think", default=0.05, show_default=True, help="Mean pause between visits (s).")
@click.option("--database", default=None, metavar="URL",
              help="PostgreSQL URL: run in a schema of its own, dropped afterwards "
                   "(default: a temporary SQLite file, for a quick run).")
def bench_soak(duration: int, workers: int, users: int, think: float, database: str | None) -> None:
    """Public reads, logins, posting edits, applications and a mail worker for --duration
    seconds; requests, errors, p50/p99 and worker memory, JSON on the last line. Exit status 1
    on any error or when the database disagrees with what was done."""
    from talentmatch.bench.soak import print_report, run

    result = run(duration=duration, workers=workers, users=users, think=think, database=database)
    print_report(result, click.echo)
    sys.exit(0 if result["errors"] == 0 and result["consistency"]["ok"] else 1)


@bench_cli.command("noop", hidden=True)
def bench_noop() -> None:
    click.echo(json.dumps({"t": time.time()}))


@bench_cli.command("match")
@click.option("--profiles", default=100_000, show_default=True, help="Synthetic professionals.")
@click.option("--queries", default=50, show_default=True, help="Timed rankings.")
def bench_match(profiles: int, queries: int) -> None:
    """Time ranking professionals for a posting, building the index cold from the database
    (build_s) and the first ranking after another process deleted a professional
    (refresh_after_delete_ms); JSON on the last line."""
    import os

    from talentmatch.bench.match import run_match_bench
    from talentmatch.bench.match_cold import run_cold

    figures = run_match_bench(profiles=profiles, queries=queries)
    figures["memory_build_s"] = figures.pop("build_s")  # from objects in memory
    figures.update(run_cold(profiles=profiles))
    figures["load_average"] = round(os.getloadavg()[0], 2)
    click.echo(json.dumps(figures))
