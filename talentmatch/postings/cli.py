"""flask --app wsgi postings …: import postings from a spreadsheet (``postings close-expired``,
the daily deadline job, lives with the review workflow, review/cli.py)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from talentmatch import signals

postings_cli = AppGroup("postings", help="Postings: import a spreadsheet, the daily deadline job.")


@signals.cli_commands.connect
def _commands(app) -> None:
    app.cli.add_command(postings_cli)


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


@postings_cli.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--municipality", "municipality_code", default=None,
              help="Rows without a code are this municipality's (6-digit code).")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True)
def postings_check(file: str, municipality_code: str | None, lang: str) -> None:
    """Check a postings CSV/XLSX as `postings import` would, saving nothing: prints
    {"rows": [{"row", "errors", "advice"}]}; exit status 0 without errors, 2 otherwise."""
    import json
    from pathlib import Path

    from talentmatch.postings.check import check_file

    path = Path(file)
    report, ok = check_file(path.name, path.read_bytes(), municipality_code=municipality_code,
                            lang=lang)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    sys.exit(0 if ok else 2)
