"""The dashboards' charts of what recruitment leads to: appointments and people holding
several posts, joint appointments, the special grant, and the ministry's indicator of
municipalities using external talent."""

from __future__ import annotations

from flask_babel import gettext as _

from talentmatch import charts
from talentmatch.dashboards import figures
from talentmatch.dashboards.chart import Chart, band_labels, num_text
from talentmatch.i18n import current_lang
from talentmatch.joint.shares import STATE_LABELS as JOINT_LABELS
from talentmatch.messages import N_
from talentmatch.vocab import KIND_LABELS
from talentmatch.wareki import fiscal_year_label
from talentmatch.web import chart_svg

POST_LABELS = {"1": N_("1 post"), "2": N_("2 posts"), "3+": N_("3 or more posts")}
EXTRA_JOINT_LABELS = {"proposed": N_("Awaiting answers"), "partly_accepted": N_("Partly accepted")}


def appointments(a: figures.Appointments) -> Chart:
    labels = [_(POST_LABELS[b]) for b in a.bands]
    title = _("Appointments and people holding several posts")
    summary = _("%(active)s active appointments held by %(people)s people; %(several)s of them "
                "hold several posts (兼務). %(ended)s appointments have ended.",
                active=num_text(a.active), people=num_text(a.people), several=num_text(a.several),
                ended=num_text(a.ended))
    series = [charts.Series(_("People"), list(a.bands.values()), "ch-s2")]
    return Chart("appointments", title, summary,
                 chart_svg(charts.column_chart(band_labels(a.bands), series, chart_id="ch-appt", title=title,
                                          desc=summary, x_title=_("Active posts per person"),
                                          y_title=_("People"))),
                 [_("Active posts per person"), _("People")],
                 [[lb, n] for lb, n in zip(labels, a.bands.values(), strict=True)],
                 ["posts_per_person", "people"], [[b, n] for b, n in a.bands.items()])


def joint(counts: dict[str, int], published: int) -> Chart:
    labels = {s: _(EXTRA_JOINT_LABELS.get(s) or JOINT_LABELS[s]) for s in counts}
    bars = [charts.Bar(labels[s], n, num_text(n)) for s, n in counts.items()]
    title = _("Joint appointments by state")
    summary = _("%(total)s joint appointments proposed; %(posted)s became joint postings, "
                "%(open)s of which are open in the listing now.",
                total=num_text(sum(counts.values())), posted=num_text(counts.get("posted", 0)),
                open=num_text(published))
    return Chart("joint", title, summary,
                 chart_svg(charts.bar_chart(bars, chart_id="ch-joint", title=title, desc=summary)),
                 [_("State"), _("Proposals")], [[labels[s], n] for s, n in counts.items()],
                 ["state", "proposals"], [[s, n] for s, n in counts.items()])


def subsidy(years: list[figures.SubsidyYear]) -> Chart:
    lang = current_lang()
    labels = [fiscal_year_label(y.fiscal_year, lang) for y in years]
    title = _("Special grant by fiscal year")
    grant = sum(y.grant for y in years)
    summary = _("Estimated grant from the recorded cost lines: %(grant)s yen in all.",
                grant=num_text(grant)) if years else _("No municipality has recorded cost lines yet.")
    series = [charts.Series(_("Costs"), [y.amount for y in years], "ch-s5"),
              charts.Series(_("Estimated grant"), [y.grant for y in years], "ch-s1")]
    return Chart("subsidy", title, summary,
                 chart_svg(charts.column_chart(labels, series, chart_id="ch-subsidy", title=title,
                                          desc=summary, value_format=_yen_axis)),
                 [_("Fiscal year"), _("Costs"), _("Estimated grant")],
                 [[lb, f"{y.amount:,}", f"{y.grant:,}"] for lb, y in zip(labels, years,
                                                                        strict=True)],
                 ["fiscal_year", "costs_yen", "grant_yen"],
                 [[y.fiscal_year, y.amount, y.grant] for y in years])


def _yen_axis(v: float) -> str:
    if v >= 100_000_000:
        return f"{v / 100_000_000:g}億" if current_lang() == "ja" else f"{v / 1e6:g}M"
    if v >= 10_000:
        return f"{v / 10_000:g}万" if current_lang() == "ja" else f"{v / 1000:g}k"
    return f"{v:g}"


def indicator(data: dict[str, tuple[int, int]]) -> Chart:
    items = [(_(KIND_LABELS[k]), used, total) for k, (used, total) in data.items()]
    used_all = sum(item[1] for item in items)
    total_all = sum(item[2] for item in items)
    title = _("Municipalities using external digital talent, by kind")
    pct = used_all / total_all * 100 if total_all else 0
    summary = _("%(used)s of %(total)s municipalities (%(pct)s%%) have an active appointment "
                "or a published posting.", used=num_text(used_all), total=num_text(total_all),
                pct=f"{pct:.1f}")
    return Chart("indicator", title, summary,
                 chart_svg(charts.share_chart(items, chart_id="ch-kind", title=title, desc=summary)),
                 [_("Kind"), _("Using external talent"), _("All"), _("Share")],
                 [[lb, u, t, f"{(u / t * 100 if t else 0):.1f}%"] for lb, u, t in items],
                 ["kind", "using_external_talent", "municipalities", "share_percent"],
                 [[k, u, t, round(u / t * 100, 1) if t else 0] for k, (u, t) in data.items()])
