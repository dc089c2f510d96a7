"""Dashboards: a prefecture's (its coordinators and MIC) and the national one (MIC). Every
chart's figures download as CSV with ``?format=csv&chart=<name>``."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from talentmatch import signals
from talentmatch.accounts.models import MINISTRY, PREFECTURE
from talentmatch.accounts.permissions import NavItem, role_required
from talentmatch.dashboards.page import build
from talentmatch.exports import BOM, content_disposition, neutralise
from talentmatch.extensions import db
from talentmatch.geo.models import Prefecture
from talentmatch.i18n import current_lang

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")

@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("dashboards.home", _l("Dashboard"), (PREFECTURE, MINISTRY), 45),
    ]


@bp.get("")
@role_required(PREFECTURE, MINISTRY)
def home():
    if current_user.role == PREFECTURE:
        return redirect(url_for("dashboards.prefecture", code=current_user.prefecture_code))
    return redirect(url_for("dashboards.national"))


def _csv(charts, scope: str):
    name = request.args.get("chart", "")
    chart = next((c for c in charts if c.name == name), None)
    if chart is None:
        abort(404)
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(chart.csv_header)
    for row in chart.csv_rows:
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
    filename = f"talentmatch-dashboard-{scope}-{chart.name}.csv"
    return Response(buf.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": content_disposition(filename, filename)})


def _render(prefecture: Prefecture | None):
    board = build(prefecture.code if prefecture else None, current_lang())
    scope = prefecture.code if prefecture else "national"
    if request.args.get("format") == "csv":
        return _csv(board.charts, scope)
    return render_template("dashboards/dashboard.html", board=board, prefecture=prefecture,
                           scope=scope)


@bp.get("/prefecture/<code>")
@role_required(PREFECTURE, MINISTRY)
def prefecture(code: str):
    # A coordinator sees only their own prefecture's dashboard; MIC sees every one.
    if current_user.role == PREFECTURE and current_user.prefecture_code != code:
        abort(403)
    pref = db.session.get(Prefecture, code)
    if pref is None:
        abort(404)
    return _render(pref)


@bp.get("/national")
@role_required(MINISTRY)
def national():
    return _render(None)
