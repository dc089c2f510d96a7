"""The dashboards as charts: each one a title, a sentence saying what it shows, the SVG, the
same figures as a table, and its CSV rows (``?format=csv&chart=<name>``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from talentmatch import charts
from talentmatch.accounts.labels import KIND_LABELS
from talentmatch.charts import tilemap
from talentmatch.db import utcnow
from talentmatch.geo.services import municipal_lookup, prefectures
from talentmatch.i18n import current_lang
from talentmatch.joint import dashboards
from talentmatch.joint.services import STATE_LABELS as JOINT_LABELS
from talentmatch.messages import N_
from talentmatch.review.workflow import STATE_LABELS
from talentmatch.wareki import fiscal_year_label
from talentmatch.web import chart_svg

AGE_LABELS = {"0-6": N_("under a week"), "7-13": N_("1–2 weeks"), "14-29": N_("2–4 weeks"),
              "30+": N_("30 days or more")}
AGE_CLASSES = {"0-6": "ch-a1", "7-13": "ch-a2", "14-29": "ch-a3", "30+": "ch-a4"}
WAITING_LABELS = {"submitted": N_("Prefecture (to relay)"),
                  "relayed": N_("MIC (to publish)"),
                  "returned": N_("Municipality (returned)")}
PUBLISH_LABELS = {"0-7": N_("≤ 7 days"), "8-14": N_("8–14 days"), "15-30": N_("15–30 days"),
                  "31-60": N_("31–60 days"), "61+": N_("61 days or more")}
APPLICANT_LABELS = {"0": N_("no applicants"), "1": N_("1 applicant"),
                    "2-5": N_("2–5 applicants"), "6-10": N_("6–10 applicants"),
                    "11+": N_("11 applicants or more")}
POST_LABELS = {"1": N_("1 post"), "2": N_("2 posts"), "3+": N_("3 or more posts")}
EXTRA_JOINT_LABELS = {"proposed": N_("Awaiting answers"), "partly_accepted": N_("Partly accepted")}


@dataclass
class Chart:
    name: str
    title: str
    summary: str
    svg: Markup
    headers: list[str]
    rows: list[list[Any]]
    csv_header: list[str]
    csv_rows: list[list[Any]]
    note: str = ""
    oldest: list[dict] = field(default_factory=list)  # waiting: the longest waits
    aside: Markup | None = None  # a second view beside the first (the tile map's ranking)
    legend: list[tuple[int, str]] = field(default_factory=list)  # tile map colour levels


def _n(v: float | int | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.1f}" if isinstance(v, float) and not v.is_integer() else f"{int(v):,}"


def _pref_names() -> dict[str, str]:
    en = current_lang() == "en"
    return {p.code: (p.name_en if en else p.name) for p in prefectures()}


def open_map(counts: dict[str, int]) -> Chart:
    """National: open postings on the tile map of the 47 prefectures."""
    names = _pref_names()
    lang = current_lang()
    tiles = tilemap.tiles(names, counts, lambda code: url_for("dashboards.prefecture", code=code),
                          lang=lang, gettext=_)
    total = sum(counts.values())
    top = max(counts.items(), key=lambda kv: (kv[1], -int(kv[0])), default=None)
    summary = _("%(total)s postings are open in %(prefs)s of 47 prefectures.",
                total=_n(total), prefs=sum(1 for v in counts.values() if v))
    if top and top[1]:
        summary += " " + _("The most are in %(name)s (%(n)s).", name=names[top[0]], n=_n(top[1]))
    title = _("Open postings by prefecture")
    rows = [[names[c], counts.get(c, 0)] for c in names]
    ranked = sorted((kv for kv in counts.items() if kv[1]), key=lambda kv: (-kv[1], kv[0]))[:10]
    bars = [charts.Bar(names[c], n, _n(n), url_for("dashboards.prefecture", code=c))
            for c, n in ranked]
    aside = charts.bar_chart(bars, chart_id="ch-top", title=_("Prefectures with the most open "
                                                              "postings"), desc=summary)
    return Chart("open_by_prefecture", title, summary,
                 chart_svg(tilemap.render(tiles, title=title, lang=lang)),
                 [_("Prefecture"), _("Open postings")], rows,
                 ["prefecture_code", "prefecture", "open_postings"],
                 [[c, names[c], counts.get(c, 0)] for c in names],
                 aside=chart_svg(aside), legend=tilemap.legend(counts, _))


def open_by_municipality(counts: dict[str, int], prefecture_code: str) -> Chart:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    names = {c: (municipal_lookup(c).name if municipal_lookup(c) else c) for c, _ in items}
    bars = [charts.Bar(names[c], n, _n(n)) for c, n in items[:15]]
    title = _("Open postings by municipality")
    total = sum(counts.values())
    summary = _("%(total)s postings are open in %(munis)s municipalities of the prefecture.",
                total=_n(total), munis=len(items))
    if items:
        summary += " " + _("The most are in %(name)s (%(n)s).", name=names[items[0][0]],
                           n=_n(items[0][1]))
    if len(items) > 15:
        summary += " " + _("The chart shows the 15 with the most; the table lists all.")
    return Chart("open_by_municipality", title, summary,
                 chart_svg(charts.bar_chart(bars, chart_id="ch-open", title=title, desc=summary)),
                 [_("Municipality"), _("Open postings")], [[names[c], n] for c, n in items],
                 ["municipality_code", "municipality", "open_postings"],
                 [[c, names[c], n] for c, n in items])


def by_state(counts: dict[str, int]) -> Chart:
    labels = {s: _(STATE_LABELS[s]) for s in counts}
    bars = [charts.Bar(labels[s], n, _n(n)) for s, n in counts.items()]
    total = sum(counts.values())
    title = _("Postings by state")
    summary = _("%(total)s postings in all: %(published)s published, %(review)s in review "
                "(submitted or relayed), %(drafts)s drafts or returned.",
                total=_n(total), published=_n(counts.get("published", 0)),
                review=_n(counts.get("submitted", 0) + counts.get("relayed", 0)),
                drafts=_n(counts.get("draft", 0) + counts.get("returned", 0)))
    return Chart("postings_by_state", title, summary,
                 chart_svg(charts.bar_chart(bars, chart_id="ch-state", title=title, desc=summary)),
                 [_("State"), _("Postings")], [[labels[s], n] for s, n in counts.items()],
                 ["state", "postings"], [[s, n] for s, n in counts.items()])


def _short(bands) -> list[str]:
    """Axis labels for count bands are the figures themselves ("2–5", "61+"); the chart's
    title names the unit and the table spells the labels out."""
    return [b.replace("-", "–") for b in bands]


def publish_times(t: dashboards.PublishTimes) -> Chart:
    labels = [_(PUBLISH_LABELS[b]) for b in t.bands]
    title = _("Days from submission to publication")
    if t.count:
        summary = _("Half of the %(n)s published postings took %(median)s days or less from "
                    "their first submission to publication.", n=_n(t.count),
                    median=_n(t.median_days))
    else:
        summary = _("No posting has been published yet.")
    series = [charts.Series(_("Postings"), list(t.bands.values()), "ch-s1")]
    return Chart("time_to_publish", title, summary,
                 chart_svg(charts.column_chart(_short(t.bands), series, chart_id="ch-publish", title=title,
                                          desc=summary, x_title=_("Days"),
                                          y_title=_("Postings"))),
                 [_("Days"), _("Postings")], [[lb, n] for lb, n in zip(labels, t.bands.values(),
                                                                     strict=True)],
                 ["days", "postings"], [[b, n] for b, n in t.bands.items()],
                 note=_("Median: %(days)s days", days=_n(t.median_days)) if t.count else "")


def per_month(points: list) -> Chart:
    labels = [_month_label(start) for start, _count in points]
    values = [count for _start, count in points]
    title = _("Postings published per month")
    summary = _("%(n)s postings were first published in the last 12 months; %(last)s this "
                "month.", n=_n(sum(values)), last=_n(values[-1] if values else 0))
    series = [charts.Series(_("Postings"), values, "ch-s1")]
    return Chart("published_per_month", title, summary,
                 chart_svg(charts.line_chart(labels, series, chart_id="ch-month", title=title,
                                        desc=summary)),
                 [_("Month"), _("Postings")],
                 [[lb.replace("\n", " "), n] for lb, n in zip(labels, values, strict=True)],
                 ["month", "postings"],
                 [[_month_key(s), n] for s, n in points])


def _local(s):
    from datetime import timedelta

    return s + timedelta(hours=9)


def _month_key(s) -> str:
    d = _local(s)
    return f"{d.year}-{d.month:02d}"


def _month_label(s) -> str:
    """'5月', with the year on a second line for January."""
    d = _local(s)
    month = format_date(d.date(), "MMM") if current_lang() == "en" else f"{d.month}月"
    if d.month == 1:
        return f"{month}\n{d.year}" if current_lang() == "en" else f"{month}\n{d.year}年"
    return month


def waiting(w: dashboards.Waiting) -> Chart:
    states = list(w.counts)
    labels = [_(WAITING_LABELS[s]) for s in states]
    series = [charts.Series(_(AGE_LABELS[b]), [w.counts[s][b] for s in states], AGE_CLASSES[b])
              for b in dashboards.AGE_BANDS]
    total = sum(sum(v.values()) for v in w.counts.values())
    old = sum(v["30+"] for v in w.counts.values())
    title = _("Where postings wait now")
    summary = _("%(total)s postings are waiting for someone to act; %(old)s of them for 30 "
                "days or more.", total=_n(total), old=_n(old))
    if w.oldest and w.oldest[0]["days"] is not None:
        o = w.oldest[0]
        summary += " " + _("The longest wait is %(days)s days (%(title)s, %(place)s).",
                           days=_n(o["days"]), title=o["title"], place=_place(o["municipality_code"]))
    headers = [_("Waiting"), *[_(AGE_LABELS[b]) for b in dashboards.AGE_BANDS], _("Total")]
    rows = [[lb, *w.counts[s].values(), sum(w.counts[s].values())]
            for s, lb in zip(states, labels, strict=True)]
    csv_rows = [[s, b, w.counts[s][b]] for s in states for b in dashboards.AGE_BANDS]
    oldest = [dict(o, place=_place(o["municipality_code"]),
                   label=_(WAITING_LABELS.get(o["state"], o["state"]))) for o in w.oldest]
    return Chart("waiting", title, summary,
                 chart_svg(charts.stacked_bar_chart(labels, series, chart_id="ch-wait", title=title,
                                               desc=summary)),
                 headers, rows, ["state", "days_waiting", "postings"], csv_rows, oldest=oldest)


def _place(code: str) -> str:
    place = municipal_lookup(code)
    return place.name if place else code


def applicants(a: dashboards.Applicants) -> Chart:
    labels = [_(APPLICANT_LABELS[b]) for b in a.bands]
    title = _("Applicants per posting")
    if a.postings:
        summary = _("%(apps)s applications to %(postings)s published postings: %(avg)s per "
                    "posting on average; %(none)s postings have none yet.",
                    apps=_n(a.applications), postings=_n(a.postings), avg=_n(a.average),
                    none=_n(a.bands["0"]))
    else:
        summary = _("No posting has been published yet.")
    series = [charts.Series(_("Postings"), list(a.bands.values()), "ch-s3")]
    return Chart("applicants", title, summary,
                 chart_svg(charts.column_chart(_short(a.bands), series, chart_id="ch-apps", title=title,
                                          desc=summary, x_title=_("Applicants"),
                                          y_title=_("Postings"))),
                 [_("Applicants"), _("Postings")],
                 [[lb, n] for lb, n in zip(labels, a.bands.values(), strict=True)],
                 ["applicants", "postings"], [[b, n] for b, n in a.bands.items()])


def appointments(a: dashboards.Appointments) -> Chart:
    labels = [_(POST_LABELS[b]) for b in a.bands]
    title = _("Appointments and people holding several posts")
    summary = _("%(active)s active appointments held by %(people)s people; %(several)s of them "
                "hold several posts (兼務). %(ended)s appointments have ended.",
                active=_n(a.active), people=_n(a.people), several=_n(a.several),
                ended=_n(a.ended))
    series = [charts.Series(_("People"), list(a.bands.values()), "ch-s2")]
    return Chart("appointments", title, summary,
                 chart_svg(charts.column_chart(_short(a.bands), series, chart_id="ch-appt", title=title,
                                          desc=summary, x_title=_("Active posts per person"),
                                          y_title=_("People"))),
                 [_("Active posts per person"), _("People")],
                 [[lb, n] for lb, n in zip(labels, a.bands.values(), strict=True)],
                 ["posts_per_person", "people"], [[b, n] for b, n in a.bands.items()])


def joint(counts: dict[str, int], published: int) -> Chart:
    labels = {s: _(EXTRA_JOINT_LABELS.get(s) or JOINT_LABELS[s]) for s in counts}
    bars = [charts.Bar(labels[s], n, _n(n)) for s, n in counts.items()]
    title = _("Joint appointments by state")
    summary = _("%(total)s joint appointments proposed; %(posted)s became joint postings, "
                "%(open)s of which are open in the listing now.",
                total=_n(sum(counts.values())), posted=_n(counts.get("posted", 0)),
                open=_n(published))
    return Chart("joint", title, summary,
                 chart_svg(charts.bar_chart(bars, chart_id="ch-joint", title=title, desc=summary)),
                 [_("State"), _("Proposals")], [[labels[s], n] for s, n in counts.items()],
                 ["state", "proposals"], [[s, n] for s, n in counts.items()])


def subsidy(years: list[dashboards.SubsidyYear]) -> Chart:
    lang = current_lang()
    labels = [fiscal_year_label(y.fiscal_year, lang) for y in years]
    title = _("Special grant by fiscal year")
    grant = sum(y.grant for y in years)
    summary = _("Estimated grant from the recorded cost lines: %(grant)s yen in all.",
                grant=_n(grant)) if years else _("No municipality has recorded cost lines yet.")
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
    items = [(str(KIND_LABELS[k]), used, total) for k, (used, total) in data.items()]
    used_all = sum(item[1] for item in items)
    total_all = sum(item[2] for item in items)
    title = _("Municipalities using external digital talent, by kind")
    pct = used_all / total_all * 100 if total_all else 0
    summary = _("%(used)s of %(total)s municipalities (%(pct)s%%) have an active appointment "
                "or a published posting.", used=_n(used_all), total=_n(total_all),
                pct=f"{pct:.1f}")
    return Chart("indicator", title, summary,
                 chart_svg(charts.share_chart(items, chart_id="ch-kind", title=title, desc=summary)),
                 [_("Kind"), _("Using external talent"), _("All"), _("Share")],
                 [[lb, u, t, f"{(u / t * 100 if t else 0):.1f}%"] for lb, u, t in items],
                 ["kind", "using_external_talent", "municipalities", "share_percent"],
                 [[k, u, t, round(u / t * 100, 1) if t else 0] for k, (u, t) in data.items()])


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
    open_counts = (dashboards.open_by_prefecture() if prefecture_code is None
                   else dashboards.open_by_municipality(prefecture_code))
    use = dashboards.indicator(prefecture_code)
    wait = dashboards.waiting(prefecture_code, now)
    times = dashboards.publish_times(prefecture_code)
    appts = dashboards.appointments(prefecture_code)
    joint_counts = dashboards.joint_by_state(prefecture_code)
    joint_open = dashboards.joint_published(prefecture_code)
    used = sum(u for u, _t in use.values())
    total = sum(t for _u, t in use.values())
    figures = [
        Figure(_("Open postings"), _n(sum(open_counts.values()))),
        Figure(_("Municipalities using external talent"), _n(used),
               _("of %(total)s (%(pct)s%%)", total=_n(total),
                 pct=f"{(used / total * 100 if total else 0):.1f}")),
        Figure(_("Median days to publication"), _n(times.median_days),
               _("%(n)s postings", n=_n(times.count))),
        Figure(_("Waiting 30 days or more"), _n(sum(v["30+"] for v in wait.counts.values())),
               _("of %(n)s waiting", n=_n(sum(sum(v.values()) for v in wait.counts.values())))),
        Figure(_("Active appointments"), _n(appts.active),
               _("%(n)s people hold several posts", n=_n(appts.several))),
        Figure(_("Joint postings open"), _n(joint_open),
               _("%(n)s proposals", n=_n(sum(joint_counts.values())))),
    ]
    charts_ = [
        open_map(open_counts) if prefecture_code is None
        else open_by_municipality(open_counts, prefecture_code),
        indicator(use),
        by_state(dashboards.by_state(prefecture_code)),
        waiting(wait),
        publish_times(times),
        per_month(dashboards.published_per_month(prefecture_code, now)),
        applicants(dashboards.applicants(prefecture_code)),
        appointments(appts),
        joint(joint_counts, joint_open),
        subsidy(dashboards.subsidy_by_year(prefecture_code, lang)),
    ]
    return Dashboard(figures, charts_)


CHART_NAMES = ("open_by_prefecture", "open_by_municipality", "indicator", "postings_by_state",
               "waiting", "time_to_publish", "published_per_month", "applicants",
               "appointments", "joint", "subsidy")

