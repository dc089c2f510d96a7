"""The dashboards' charts of the postings' flow: what is open where, by state, where
postings wait, how long publication takes, publications per month and applicants."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from talentmatch import charts
from talentmatch.charts import tilemap
from talentmatch.dashboards import figures
from talentmatch.dashboards.chart import Chart, band_labels, num_text
from talentmatch.geo.services import municipal_lookup, prefectures
from talentmatch.i18n import current_lang
from talentmatch.messages import N_
from talentmatch.postings.workflow import STATE_LABELS
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
                total=num_text(total), prefs=sum(1 for v in counts.values() if v))
    if top and top[1]:
        summary += " " + _("The most are in %(name)s (%(n)s).", name=names[top[0]], n=num_text(top[1]))
    title = _("Open postings by prefecture")
    rows = [[names[c], counts.get(c, 0)] for c in names]
    ranked = sorted((kv for kv in counts.items() if kv[1]), key=lambda kv: (-kv[1], kv[0]))[:10]
    bars = [charts.Bar(names[c], n, num_text(n), url_for("dashboards.prefecture", code=c))
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
    bars = [charts.Bar(names[c], n, num_text(n)) for c, n in items[:15]]
    title = _("Open postings by municipality")
    total = sum(counts.values())
    summary = _("%(total)s postings are open in %(munis)s municipalities of the prefecture.",
                total=num_text(total), munis=len(items))
    if items:
        summary += " " + _("The most are in %(name)s (%(n)s).", name=names[items[0][0]],
                           n=num_text(items[0][1]))
    if len(items) > 15:
        summary += " " + _("The chart shows the 15 with the most; the table lists all.")
    return Chart("open_by_municipality", title, summary,
                 chart_svg(charts.bar_chart(bars, chart_id="ch-open", title=title, desc=summary)),
                 [_("Municipality"), _("Open postings")], [[names[c], n] for c, n in items],
                 ["municipality_code", "municipality", "open_postings"],
                 [[c, names[c], n] for c, n in items])


def by_state(counts: dict[str, int]) -> Chart:
    labels = {s: _(STATE_LABELS[s]) for s in counts}
    bars = [charts.Bar(labels[s], n, num_text(n)) for s, n in counts.items()]
    total = sum(counts.values())
    title = _("Postings by state")
    summary = _("%(total)s postings in all: %(published)s published, %(review)s in review "
                "(submitted or relayed), %(drafts)s drafts or returned.",
                total=num_text(total), published=num_text(counts.get("published", 0)),
                review=num_text(counts.get("submitted", 0) + counts.get("relayed", 0)),
                drafts=num_text(counts.get("draft", 0) + counts.get("returned", 0)))
    return Chart("postings_by_state", title, summary,
                 chart_svg(charts.bar_chart(bars, chart_id="ch-state", title=title, desc=summary)),
                 [_("State"), _("Postings")], [[labels[s], n] for s, n in counts.items()],
                 ["state", "postings"], [[s, n] for s, n in counts.items()])


def publish_times(t: figures.PublishTimes) -> Chart:
    labels = [_(PUBLISH_LABELS[b]) for b in t.bands]
    title = _("Days from submission to publication")
    if t.count:
        summary = _("Half of the %(n)s published postings took %(median)s days or less from "
                    "their first submission to publication.", n=num_text(t.count),
                    median=num_text(t.median_days))
    else:
        summary = _("No posting has been published yet.")
    series = [charts.Series(_("Postings"), list(t.bands.values()), "ch-s1")]
    return Chart("time_to_publish", title, summary,
                 chart_svg(charts.column_chart(band_labels(t.bands), series, chart_id="ch-publish", title=title,
                                          desc=summary, x_title=_("Days"),
                                          y_title=_("Postings"))),
                 [_("Days"), _("Postings")], [[lb, n] for lb, n in zip(labels, t.bands.values(),
                                                                     strict=True)],
                 ["days", "postings"], [[b, n] for b, n in t.bands.items()],
                 note=_("Median: %(days)s days", days=num_text(t.median_days)) if t.count else "")


def per_month(points: list) -> Chart:
    labels = [_month_label(start) for start, _count in points]
    values = [count for _start, count in points]
    title = _("Postings published per month")
    summary = _("%(n)s postings were first published in the last 12 months; %(last)s this "
                "month.", n=num_text(sum(values)), last=num_text(values[-1] if values else 0))
    series = [charts.Series(_("Postings"), values, "ch-s1")]
    return Chart("published_per_month", title, summary,
                 chart_svg(charts.line_chart(labels, series, chart_id="ch-month", title=title,
                                        desc=summary)),
                 [_("Month"), _("Postings")],
                 [[lb.replace("\n", " "), n] for lb, n in zip(labels, values, strict=True)],
                 ["month", "postings"],
                 [[_month_key(s), n] for s, n in points])


def _local(s):
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


def waiting(w: figures.Waiting) -> Chart:
    states = list(w.counts)
    labels = [_(WAITING_LABELS[s]) for s in states]
    series = [charts.Series(_(AGE_LABELS[b]), [w.counts[s][b] for s in states], AGE_CLASSES[b])
              for b in figures.AGE_BANDS]
    total = sum(sum(v.values()) for v in w.counts.values())
    old = sum(v["30+"] for v in w.counts.values())
    title = _("Where postings wait now")
    summary = _("%(total)s postings are waiting for someone to act; %(old)s of them for 30 "
                "days or more.", total=num_text(total), old=num_text(old))
    if w.oldest and w.oldest[0]["days"] is not None:
        o = w.oldest[0]
        summary += " " + _("The longest wait is %(days)s days (%(title)s, %(place)s).",
                           days=num_text(o["days"]), title=o["title"], place=_place(o["municipality_code"]))
    headers = [_("Waiting"), *[_(AGE_LABELS[b]) for b in figures.AGE_BANDS], _("Total")]
    rows = [[lb, *w.counts[s].values(), sum(w.counts[s].values())]
            for s, lb in zip(states, labels, strict=True)]
    csv_rows = [[s, b, w.counts[s][b]] for s in states for b in figures.AGE_BANDS]
    oldest = [dict(o, place=_place(o["municipality_code"]),
                   label=_(WAITING_LABELS.get(o["state"], o["state"]))) for o in w.oldest]
    return Chart("waiting", title, summary,
                 chart_svg(charts.stacked_bar_chart(labels, series, chart_id="ch-wait", title=title,
                                               desc=summary)),
                 headers, rows, ["state", "days_waiting", "postings"], csv_rows, oldest=oldest)


def _place(code: str) -> str:
    place = municipal_lookup(code)
    return place.name if place else code


def applicants(a: figures.Applicants) -> Chart:
    labels = [_(APPLICANT_LABELS[b]) for b in a.bands]
    title = _("Applicants per posting")
    if a.postings:
        summary = _("%(apps)s applications to %(postings)s published postings: %(avg)s per "
                    "posting on average; %(none)s postings have none yet.",
                    apps=num_text(a.applications), postings=num_text(a.postings), avg=num_text(a.average),
                    none=num_text(a.bands["0"]))
    else:
        summary = _("No posting has been published yet.")
    series = [charts.Series(_("Postings"), list(a.bands.values()), "ch-s3")]
    return Chart("applicants", title, summary,
                 chart_svg(charts.column_chart(band_labels(a.bands), series, chart_id="ch-apps", title=title,
                                          desc=summary, x_title=_("Applicants"),
                                          y_title=_("Postings"))),
                 [_("Applicants"), _("Postings")],
                 [[lb, n] for lb, n in zip(labels, a.bands.values(), strict=True)],
                 ["applicants", "postings"], [[b, n] for b, n in a.bands.items()])


