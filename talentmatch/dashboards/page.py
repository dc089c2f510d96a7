"""A dashboard page: the key figures above, then every chart in reading order (DESIGN.md §8)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from talentmatch.clock import today_jst
from talentmatch.dashboards import figures, insight_charts
from talentmatch.dashboards.chart import Chart, num_text
from talentmatch.dashboards.outcome_charts import appointments, indicator, joint, subsidy
from talentmatch.dashboards.posting_charts import (
    applicants,
    by_state,
    open_by_municipality,
    open_map,
    per_month,
    publish_times,
    waiting,
)
from talentmatch.db import utcnow
from talentmatch.insights import services as insights


@dataclass
class Figure:
    label: str
    value: str
    note: str = ""


@dataclass
class Dashboard:
    figures: list[Figure]
    charts: list[Chart]


def build(prefecture_code: str | None, lang: str) -> Dashboard:
    """Every chart of the dashboard in reading order, and the key figures above them."""
    now = utcnow()
    open_counts = (figures.open_by_prefecture() if prefecture_code is None
                   else figures.open_by_municipality(prefecture_code))
    use = figures.indicator(prefecture_code)
    wait = figures.waiting(prefecture_code, now)
    times = figures.publish_times(prefecture_code)
    appts = figures.appointments(prefecture_code)
    joint_counts = figures.joint_by_state(prefecture_code)
    joint_open = figures.joint_published(prefecture_code)
    supported = figures.support(prefecture_code, today_jst())
    used = sum(u for u, _t in use.values())
    total = sum(t for _u, t in use.values())
    key_figures = [
        Figure(_("Open postings"), num_text(sum(open_counts.values()))),
        Figure(_("Municipalities using external talent"), num_text(used),
               _("of %(total)s (%(pct)s%%)", total=num_text(total),
                 pct=f"{(used / total * 100 if total else 0):.1f}")),
        Figure(_("Median days to publication"), num_text(times.median_days),
               _("%(n)s postings", n=num_text(times.count))),
        Figure(_("Waiting 30 days or more"), num_text(sum(v["30+"] for v in wait.counts.values())),
               _("of %(n)s waiting", n=num_text(sum(sum(v.values()) for v in wait.counts.values())))),
        Figure(_("Active appointments"), num_text(appts.active),
               _("%(n)s people hold several posts", n=num_text(appts.several))),
        Figure(_("Joint postings open"), num_text(joint_open),
               _("%(n)s proposals", n=num_text(sum(joint_counts.values())))),
        Figure(_("Municipalities supported by the prefecture"), num_text(supported.municipalities),
               _("%(days)s days a month from %(n)s people",
                 days=num_text(supported.days), n=num_text(supported.people))),
    ]
    charts_ = [
        open_map(open_counts) if prefecture_code is None
        else open_by_municipality(open_counts, prefecture_code),
        indicator(use),
        by_state(figures.by_state(prefecture_code)),
        waiting(wait),
        publish_times(times),
        per_month(figures.published_per_month(prefecture_code, now)),
        applicants(figures.applicants(prefecture_code)),
        appointments(appts),
        joint(joint_counts, joint_open),
        subsidy(figures.subsidy_by_year(prefecture_code, lang)),
        *evidence_charts(prefecture_code),
    ]
    return Dashboard(key_figures, charts_)



def evidence_charts(prefecture_code: str | None) -> list[Chart]:
    """The funnel and what draws applicants, over the current fiscal year's postings."""
    period = insights.default_period(today_jst())
    ids = insights.scope_posting_ids(prefecture_code, period)
    return [insight_charts.funnel(insights.funnel(ids), period),
            insight_charts.conditions(insights.conditions(period, prefecture_code), period)]
