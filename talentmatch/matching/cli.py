"""flask --app wsgi match rank: a posting's ranked candidates."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from talentmatch import signals

match_cli = AppGroup("match", help="Matching: ranked candidates of a posting, stored compiled "
                     "profiles (DESIGN §5).")


@signals.cli_commands.connect
def _commands(app) -> None:
    app.cli.add_command(match_cli)


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


@match_cli.command("reach")
@click.argument("posting_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print {posting, reach, what_if} as JSON.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True,
              help="Language of the labels.")
def match_reach(posting_id: int, as_json: bool, lang: str) -> None:
    """How many registered professionals the posting's conditions reach (rounded; below 5
    suppressed), and what easing each narrowing condition would reach; exit 1 if no posting."""
    from talentmatch.matching.commands import reach

    text, ok = reach(posting_id, as_json=as_json, lang=lang)
    click.echo(text, err=not ok)
    sys.exit(0 if ok else 1)


@match_cli.command("recompile")
def match_recompile() -> None:
    """Store the compiled matching row of every profile that has none or one of an older
    skills vocabulary (after an upgrade or a vocabulary change); prints how many."""
    from talentmatch.matching.stored_rows import recompile

    click.echo(f"recompiled {recompile()} profiles")
