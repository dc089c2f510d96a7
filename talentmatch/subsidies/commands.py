"""`flask subsidy measures load|import|export`: the measures table MIC maintains (DESIGN §6)."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

from talentmatch.messages import N_

ERR_BY = N_("No ministry staff account has this email.")

measures_cli = AppGroup("measures", help="The measures of the special grant (MIC maintains them).")


def _errors_json(errors) -> str:
    from talentmatch.subsidies.services import gettext_for

    t = gettext_for("ja")
    return json.dumps({"errors": [{"field": e.field, "message": e.render(t)} for e in errors]},
                      ensure_ascii=False, indent=2)


@measures_cli.command("load")
def measures_load() -> None:
    """Put the shipped measures (talentmatch/data/subsidy_measures.json) in place where their
    key is not in the table yet; idempotent. Prints how many were added."""
    from talentmatch.subsidies.measure_services import load_seed

    click.echo(json.dumps({"loaded": load_seed()}))


@measures_cli.command("export")
def measures_export() -> None:
    """Print the published measures as a JSON list (the import format)."""
    from talentmatch.subsidies.measure_services import export_json

    click.echo(json.dumps(export_json(), ensure_ascii=False, indent=2))


@measures_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--publish", "publish_them", is_flag=True,
              help="Publish the imported measures (refused as a whole if one overlaps).")
@click.option("--by", "by_email", default=None, help="Email of the ministry staff member responsible.")
def measures_import(file, publish_them: bool, by_email: str | None) -> None:
    """Import measures from a JSON list (as `export` prints), all or nothing: each becomes a
    draft (a new version of a published key), published with --publish. Errors as JSON on
    stderr, exit status 2."""
    from sqlalchemy import func, select

    from talentmatch.accounts.models import MINISTRY, User
    from talentmatch.extensions import db
    from talentmatch.messages import FieldError, Msg
    from talentmatch.subsidies.measure_services import MeasureError, import_data

    user = None
    if by_email:
        user = db.session.scalar(select(User).where(func.lower(User.email) == by_email.lower()))
        if user is None or user.role != MINISTRY:
            click.echo(_errors_json([FieldError("--by", Msg(ERR_BY))]),
                       err=True)
            sys.exit(2)
    try:
        out = import_data(user, file.read(), publish_them)
    except MeasureError as exc:
        click.echo(_errors_json(exc.errors), err=True)
        sys.exit(2)
    click.echo(json.dumps(out, ensure_ascii=False))
