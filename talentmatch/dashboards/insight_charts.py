"""The dashboards' evidence for better postings: the funnel of the scope's postings (views →
subscribers mailed → applications → interviews → appointments) and what draws applicants
(insights: each condition's groups). Every count below the threshold is shown as such,
never as a number."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup

from talentmatch import charts
from talentmatch.dashboards.chart import Chart, num_text
from talentmatch.i18n import current_lang
from talentmatch.insights import present, services, stats
from talentmatch.insights.labels import STAGE_LABELS
from talentmatch.wareki import fiscal_year_label, fiscal_year_of
from talentmatch.web import chart_svg


def below_text() -> str:
    return _("fewer than %(n)s", n=stats.MIN_GROUP)


def period_text(period: services.Period) -> str:
    fy = fiscal_year_of(period.start)
    if services.default_period(period.start) == period:
        return fiscal_year_label(fy, current_lang())
    return f"{period.start.isoformat()} – {period.end.isoformat()}"


def funnel(f: services.Funnel, period: services.Period) -> Chart:
    shown = f.shown()
    labels = {s: _(STAGE_LABELS[s]) for s in stats.FUNNEL_STAGES}
    texts = {s: below_text() if v is None else num_text(v) for s, v in shown.items()}
    bars = [charts.Bar(labels[s], shown[s] or 0, texts[s]) for s in stats.FUNNEL_STAGES]
    title = _("Funnel of postings: from page views to appointments")
    summary = _("%(postings)s postings first published in %(period)s: page views (counted per "
                "posting and day, robots excluded, nothing personal stored), subscribers "
                "mailed, applications, interviews and appointments. Counts below %(n)s are "
                "not shown.", postings=num_text(f.postings), period=period_text(period),
                n=stats.MIN_GROUP)
    return Chart("funnel", title, summary,
                 chart_svg(charts.bar_chart(bars, chart_id="ch-funnel", title=title,
                                            desc=summary)),
                 [_("Stage"), _("Count")], [[labels[s], texts[s]] for s in stats.FUNNEL_STAGES],
                 ["stage", "count"],
                 [[s, "" if shown[s] is None else shown[s]] for s in stats.FUNNEL_STAGES],
                 note=_("Counts below %(n)s are shown as “fewer than %(n)s”.", n=stats.MIN_GROUP))


def conditions(groups: Sequence[stats.Group], period: services.Period) -> Chart:
    title = _("What draws applicants: median applications by condition")
    shown = [g for g in groups if not g.suppressed]
    summary = _("Postings first published in %(period)s, grouped by each condition: the median "
                "number of applications per posting. Groups of fewer than %(n)s postings or "
                "applications are hidden.", period=period_text(period), n=stats.MIN_GROUP)
    svgs = []
    for condition in stats.CONDITIONS:
        mine = [g for g in groups if g.condition == condition]
        if not mine:
            continue
        bars = [charts.Bar(present.value_label(g.condition, g.value),
                           0 if g.suppressed else (g.median_applications or 0),
                           present.suppressed_text() if g.suppressed
                           else present.figure_text(g.median_applications)) for g in mine]
        name = present.condition_label(condition)
        svgs.append(f'<div class="dash-condition"><h3 class="dash-subhead">{Markup.escape(name)}'
                    '</h3>')
        svgs.append(charts.bar_chart(
            bars, chart_id=f"ch-cond-{condition}",
            title=_("Median applications by %(condition)s", condition=name),
            desc=_("%(n)s groups shown, %(hidden)s hidden.", n=len([g for g in mine
                                                                    if not g.suppressed]),
                   hidden=len([g for g in mine if g.suppressed]))))
        svgs.append("</div>")
    if not svgs:
        empty = _("No posting was published in this period.")
        svgs.append(f"<p>{Markup.escape(empty)}</p>")
    body = f'<div class="dash-conditions">{"".join(svgs)}</div>'
    return Chart("conditions", title, summary, chart_svg(body),
                 present.table_headers(), present.table_rows(groups),
                 present.CSV_HEADER, present.csv_rows(groups),
                 note=_("%(n)s groups shown; groups marked “%(hidden)s” have fewer than %(min)s "
                        "postings or applications.", n=len(shown),
                        hidden=present.suppressed_text(), min=stats.MIN_GROUP))
