"""The conditions' groups as people read them: labels in the reader's language, figures
formatted, and 「件数が少ないため非表示」 in place of every suppressed group's figures. The
dashboards, the open-data CSV and the posting form's advice all write them from here."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from talentmatch.insights import stats
from talentmatch.insights.labels import CONDITION_LABELS, MSG_SUPPRESSED, VALUE_LABELS

CSV_HEADER = ["condition", "condition_label", "value", "value_label", "postings",
              "applications", "median_applications", "with_application_share",
              "median_days_to_first_application", "note"]


def condition_label(condition: str) -> str:
    return _(CONDITION_LABELS[condition])


def value_label(condition: str, value: str) -> str:
    msgid = VALUE_LABELS.get(condition, {}).get(value)
    return _(msgid) if msgid else value


def suppressed_text() -> str:
    return _(MSG_SUPPRESSED)


def share_text(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def figure_text(v: float | int | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.1f}".rstrip("0").rstrip(".") if isinstance(v, float) else f"{v:,}"


def table_rows(groups: Sequence[stats.Group]) -> list[list[str]]:
    """One row per group: 'condition: value', then the figures or the suppression note."""
    rows = []
    for g in groups:
        head = f"{condition_label(g.condition)}: {value_label(g.condition, g.value)}"
        if g.suppressed:
            rows.append([head, suppressed_text(), "", "", "", ""])
        else:
            rows.append([head, figure_text(g.postings), figure_text(g.applications),
                         figure_text(g.median_applications),
                         share_text(g.with_application_share),
                         figure_text(g.median_days_to_first)])
    return rows


def table_headers() -> list[str]:
    return [_("Condition"), _("Postings"), _("Applications"), _("Median applications"),
            _("Share with an application"), _("Median days to first application")]


def csv_rows(groups: Sequence[stats.Group]) -> list[list[object]]:
    rows: list[list[object]] = []
    for g in groups:
        labels = [g.condition, condition_label(g.condition), g.value,
                  value_label(g.condition, g.value)]
        if g.suppressed:
            rows.append([*labels, "", "", "", "", "", suppressed_text()])
        else:
            rows.append([*labels, g.postings, g.applications, g.median_applications,
                         g.with_application_share,
                         "" if g.median_days_to_first is None else g.median_days_to_first, ""])
    return rows
