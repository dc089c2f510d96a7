"""The page-view beacon of posting pages and the open-data statistics of conditions.

The beacon is a cookie-less ``navigator.sendBeacon`` POST that static/js/view-beacon.js sends
once a posting page has loaded: the page may come from nginx's cache or a 304, so the app
counts views where caching cannot hide them. The answer is an empty 204 that no cache keeps.
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, request
from flask_babel import gettext as _

from talentmatch import charts
from talentmatch.exports import BOM, content_disposition, neutralise
from talentmatch.extensions import csrf, db, limiter
from talentmatch.insights import present, services, stats
from talentmatch.insights.labels import STAGE_LABELS
from talentmatch.postings.models import Posting
from talentmatch.web import tr

bp = Blueprint("insights", __name__)


@bp.post("/postings/<int:posting_id>/view")
@csrf.exempt  # no session, no form: it changes nothing but a counter
@limiter.exempt
def view_beacon(posting_id: int):
    if services.record_view(posting_id, request.headers.get("User-Agent")) is None:
        abort(404)  # no published posting of that number
    return Response(status=204, headers={"Cache-Control": "no-store"})


@bp.get("/open-data/conditions.csv")
def conditions_csv():
    """Statistics only: each condition's groups of published postings, suppressed groups
    carrying no figures."""
    try:
        period = services.parse_period(request.args.get("from"), request.args.get("to"))
    except services.PeriodError as exc:
        return Response(f"{exc.field}: {tr(exc.message)}\n", status=400,
                        content_type="text/plain; charset=utf-8")
    groups = services.conditions(period)
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["period_from", "period_to", *present.CSV_HEADER])
    for row in present.csv_rows(groups):
        writer.writerow([period.start.isoformat(), period.end.isoformat(),
                         *(neutralise(v) if isinstance(v, str) else v for v in row)])
    name = f"talentmatch-conditions-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return Response(buf.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": content_disposition(name, name)})


@bp.app_template_global()
def posting_funnel(posting_id: int) -> dict | None:
    """For the municipality's posting page: its funnel as it may be shown (counts below the
    threshold are None), or None before it is published."""
    posting = db.session.get(Posting, posting_id)
    if posting is None or posting.first_published_at is None:
        return None
    return services.funnel([posting_id]).shown()



@bp.app_template_global()
def funnel_bars(shown: dict) -> list:
    """The funnel's bars for svg_bar_chart (a count below the threshold: an empty bar)."""
    below = _("fewer than %(n)s", n=stats.MIN_GROUP)
    return [charts.Bar(_(STAGE_LABELS[s]), v or 0, below if v is None else f"{v:,}")
            for s, v in shown.items()]


@bp.app_context_processor
def _funnel_min() -> dict:
    return {"funnel_min": stats.MIN_GROUP}
