"""Flask command groups (DESIGN.md §10): flask --app wsgi <group> <command>."""

from __future__ import annotations

import json
import sys
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate.cli import db as migrate_db_group

from talentmatch.config import ROOT
from talentmatch.inbox.commands import staff_digests

geo_cli = AppGroup("geo", help="Master data: prefectures and municipalities.")
users_cli = AppGroup("users", help="Accounts.")
demo_cli = AppGroup("demo", help="Demonstration data (refused in production).")
notify_cli = AppGroup("notify", help="The notification worker.")
translate_cli = AppGroup("translate", help="Translations: extract, update, compile.")
bench_cli = AppGroup("bench", help="Benchmarks that print their figures.")
subsidy_cli = AppGroup("subsidy", help="The special grant (特別交付税措置) estimate.")

postings_cli = AppGroup("postings", help="Postings: import a spreadsheet, the daily deadline job.")

GROUPS = [geo_cli, users_cli, demo_cli, notify_cli, translate_cli, bench_cli, subsidy_cli,
          postings_cli]

professionals_cli = AppGroup("professionals", help="Professionals: import a prefecture's talent list.")
GROUPS.append(professionals_cli)


def register_cli(app: Flask) -> None:
    for group in GROUPS:
        app.cli.add_command(group)


# --- db (Flask-Migrate's group: upgrade, current … and our backup) ------------------------------

@migrate_db_group.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def db_backup(file: str) -> None:
    """Back up the live database to FILE (a new file): SQLite with its online backup API,
    PostgreSQL with pg_dump's custom format. Prints a JSON summary; exit status 1 on failure."""
    from talentmatch.backup import BackupError, backup
    from talentmatch.extensions import db

    # The engine's URL: Flask-SQLAlchemy resolves a relative SQLite path against instance/.
    uri = db.engine.url.render_as_string(hide_password=False)
    try:
        click.echo(json.dumps(backup(uri, file)))
    except BackupError as exc:
        click.echo(f"backup failed: {exc}", err=True)
        sys.exit(1)


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


# --- subsidy -----------------------------------------------------------------------------------

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


# --- notify ------------------------------------------------------------------------------------

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


@notify_cli.command("digests")
@click.option("--frequency", type=click.Choice(["daily", "weekly"]), default=None,
              help="Only this kind of digest (default: both).")
def notify_digests(frequency: str | None) -> None:
    """Queue the daily / weekly digests of saved searches (run it every morning, e.g. from
    cron; weekly ones go out on the first run of each week). Idempotent per period; the
    worker (`notify run`) sends them. Prints a JSON summary."""
    from talentmatch.subscriptions.digests import run

    click.echo(json.dumps(run(frequency)))


notify_cli.add_command(staff_digests)


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
             "--no-location", "--sort-output", "--no-wrap", "-o", "translations/messages.pot", ".")


@translate_cli.command("update")
def translate_update() -> None:
    """Extract, then merge new msgids into every catalogue."""
    translate_extract.callback()
    _pybabel("update", "-i", "translations/messages.pot", "-d", "translations", "--no-fuzzy-matching",
             "--no-wrap")


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile catalogues to .mo files."""
    _pybabel("compile", "-d", "translations")


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


# --- postings ----------------------------------------------------------------------------------

@postings_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--municipality", "municipality_code", default=None,
              help="Only rows of this municipality (6-digit code); rows without a code are its.")
def postings_import(file: str, municipality_code: str | None) -> None:
    """Import postings as drafts from a CSV or XLSX file, all or nothing.

    Prints `posting <id>` per created posting; on any error, lists every error by row and
    column and exits with status 2.
    """
    from pathlib import Path

    from talentmatch.postings import importing
    from talentmatch.postings.import_service import CLI_MAX_BYTES, import_postings
    from talentmatch.postings.template import cleaners

    if municipality_code is not None:
        _, error = cleaners.clean_field("municipality_code", municipality_code)
        from talentmatch.postings.services import municipality_exists

        if error is not None or not municipality_exists(municipality_code):
            click.echo(f"--municipality: {error.render() if error else 'no municipality has this code'}",
                       err=True)
            sys.exit(2)
    path = Path(file)
    result = import_postings(path.name, path.read_bytes(), municipality_code=municipality_code,
                             max_bytes=CLI_MAX_BYTES)
    if result.errors:
        for error in result.errors:
            click.echo(importing.render_error(error), err=True)
        click.echo(f"{len(result.errors)} error(s); nothing was imported", err=True)
        sys.exit(2)
    for posting_id in result.posting_ids:
        click.echo(f"posting {posting_id}")


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


# --- professionals -----------------------------------------------------------------------------

@professionals_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--consent-obtained", is_flag=True,
              help="The prefecture obtained each person's consent: they are discoverable as their row says.")
@click.option("--prefecture", "prefecture", default=None, help="Code (e.g. 13) or name of the prefecture.")
@click.option("--by", "by_email", default=None, help="Email of the coordinator responsible for the list.")
def professionals_import(file, consent_obtained: bool, prefecture: str | None, by_email: str | None) -> None:
    """Import a talent list (CSV, DESIGN §5 columns): all rows or none.

    Everyone is mailed a single-use link to confirm (or remove their data); without
    --consent-obtained they stay hidden until they confirm. Prints a JSON summary; on any
    error lists every error by row and column and exits with status 2.
    """
    from talentmatch.professionals.import_service import import_csv

    report, errors = import_csv(file.read(), consent_obtained=consent_obtained, prefecture=prefecture,
                                by_email=by_email)
    if report is None:
        for line in errors:
            click.echo(line, err=True)
        click.echo(f"{len(errors)} error(s); nothing was imported", err=True)
        sys.exit(2)
    click.echo(json.dumps({"prefecture": report.prefecture_code, "created": report.created,
                           "discoverable": report.discoverable,
                           "hidden_until_confirmed": report.hidden_until_confirmed,
                           "consent_obtained": consent_obtained}))


# --- match -------------------------------------------------------------------------------------

match_cli = AppGroup("match", help="Matching: ranked candidates of a posting (DESIGN §5).")
GROUPS.append(match_cli)


@match_cli.command("rank")
@click.argument("posting_id", type=int)
@click.option("--limit", default=20, show_default=True, help="How many candidates (and excluded).")
@click.option("--json", "as_json", is_flag=True, help="Print {posting, candidates, excluded} as JSON.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True,
              help="Language of the reasons.")
def match_rank(posting_id: int, limit: int, as_json: bool, lang: str) -> None:
    """Rank professionals for a posting, as its candidates page does; exit 1 if none."""
    from talentmatch.matching.commands import rank

    text, ok = rank(posting_id, limit=limit, as_json=as_json, lang=lang)
    click.echo(text, err=not ok)
    sys.exit(0 if ok else 1)


@bench_cli.command("match")
@click.option("--profiles", default=100_000, show_default=True, help="Synthetic professionals.")
@click.option("--queries", default=50, show_default=True, help="Timed rankings.")
def bench_match(profiles: int, queries: int) -> None:
    """Time ranking professionals for a posting; JSON on the last line."""
    from talentmatch.bench.match import run_match_bench

    click.echo(json.dumps(run_match_bench(profiles=profiles, queries=queries)))
