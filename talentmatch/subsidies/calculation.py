"""PURE: the special grant estimate: which measure counts each cost line, and how much.

``calculate()`` serves the estimate page, the dashboards, ``flask subsidy estimate`` and
``POST /api/v1/subsidy/estimate`` alike, so all of them show the same figures and reasons.
It checks the input (``validation``), applies a table of measures (``measures.MEASURES`` by
default) and says for every line, in the reader's language, why it counts or not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from talentmatch.catalog import Gettext, translator
from talentmatch.clock import today_jst
from talentmatch.messages import N_, Msg
from talentmatch.subsidies.measures import (
    CATEGORY_LABELS,
    MEASURES,
    Measure,
    accepted_categories,
    check_measures,
    covered_fiscal_years,
    format_rate,
)
from talentmatch.subsidies.validation import Line, Lookup, MunicipalityInfo, validate
from talentmatch.vocab import KIND_LABELS
from talentmatch.wareki import (
    LANGS,
    date_full_label,
    fiscal_year_bounds,
    fiscal_year_full_label,
    fiscal_year_label,
    format_yen,
)

REASONS = ("eligible", "capped", "out_of_period", "category_not_covered", "body_not_covered")

# --- messages --------------------------------------------------------------------------------

MSG_ELIGIBLE = N_(
    "Eligible under “%(measure)s” in %(fiscal_year)s: grant %(grant)s "
    "(%(rate)s × %(eligible)s, rounded down to the yen)."
)
MSG_CAPPED = N_(
    "Partly eligible under “%(measure)s” in %(fiscal_year)s: these costs count up to %(cap)s "
    "per municipality and fiscal year and %(remaining)s of that was left before this line, "
    "so %(eligible)s of %(amount)s is eligible; grant %(grant)s "
    "(%(rate)s × %(eligible)s, rounded down to the yen)."
)
MSG_CAP_USED = N_(
    "Not eligible: under “%(measure)s” these costs count up to %(cap)s per municipality and "
    "fiscal year, and earlier lines already used all of it in %(fiscal_year)s."
)
MSG_OUT_OF_PERIOD = N_(
    "Not covered: “%(measure)s” runs from %(first)s through %(last)s, and this cost falls in "
    "%(fiscal_year)s."
)
MSG_OUT_OF_PERIOD_DATED = N_(
    "Not covered: “%(measure)s” runs from %(first)s through %(last)s, and this cost, dated "
    "%(date)s, falls in %(fiscal_year)s."
)
MSG_CATEGORY_NOT_COVERED = N_(
    "Not covered: “%(category)s” is not among the costs the special grant counts (%(covered)s)."
)
MSG_BODY_NOT_COVERED = N_(
    "Not covered: %(name)s (%(kind)s) is not among the bodies the special grant covers (%(kinds)s)."
)
MSG_MEASURE_ENDED = N_(
    "The special grant covered costs through %(last)s, which ended on %(end)s. Costs after "
    "that date are not covered unless the measure is extended."
)


@dataclass(frozen=True)
class LineResult:
    id: str
    fiscal_year: int
    fiscal_year_label: str
    date: date | None
    category: str
    amount: int
    eligible_amount: int
    grant: int
    reason: str
    message: str
    msg: Msg = field(compare=False, repr=False)
    measure: str | None = None  # key of the measure that counted the line

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "fiscal_year": self.fiscal_year,
            "fiscal_year_label": self.fiscal_year_label,
            "date": self.date.isoformat() if self.date else None,
            "category": self.category,
            "amount": self.amount,
            "eligible_amount": self.eligible_amount,
            "grant": self.grant,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass(frozen=True)
class FiscalYearTotal:
    fiscal_year: int
    fiscal_year_label: str
    amount: int
    eligible_amount: int
    grant: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "fiscal_year": self.fiscal_year,
            "fiscal_year_label": self.fiscal_year_label,
            "amount": self.amount,
            "eligible_amount": self.eligible_amount,
            "grant": self.grant,
        }


@dataclass(frozen=True)
class Result:
    municipality: MunicipalityInfo
    lang: str
    lines: tuple[LineResult, ...]
    fiscal_years: tuple[FiscalYearTotal, ...]
    total_amount: int
    total_eligible: int
    total_grant: int
    covered_fiscal_years: tuple[int, ...]
    measure_ended: bool
    notice: str | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of the CLI and ``POST /api/v1/subsidy/estimate``."""
        return {
            "municipality_code": self.municipality.code,
            "municipality_name": self.municipality.name,
            "municipality_kind": self.municipality.kind,
            "lines": [line.to_dict() for line in self.lines],
            "fiscal_years": [fy.to_dict() for fy in self.fiscal_years],
            "total_amount": self.total_amount,
            "total_eligible": self.total_eligible,
            "total_grant": self.total_grant,
            "covered_fiscal_years": list(self.covered_fiscal_years),
            "measure_ended": self.measure_ended,
            "notice": self.notice,
        }


# --- calculation -----------------------------------------------------------------------------


def _join(labels: Sequence[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(labels)


@dataclass
class _Outcome:
    eligible: int
    grant: int
    reason: str
    msg: Msg
    measure: str | None


def _judge(
    line: Line,
    info: MunicipalityInfo,
    measures: Sequence[Measure],
    used: dict[tuple[str, int], int],
    lang: str,
    t: Gettext,
) -> _Outcome:
    fy_text = fiscal_year_full_label(line.fiscal_year, lang)

    def yen(n: int) -> str:
        return format_yen(n, lang)

    # The order of the checks is the order of the reasons: body, category, period, cap.
    for_body = [m for m in measures if info.kind in m.eligible_kinds]
    for_category = [m for m in for_body if line.category in m.categories]
    category_counted_elsewhere = any(line.category in m.categories for m in measures)
    if not for_body or (not for_category and category_counted_elsewhere):
        kinds = list(dict.fromkeys(k for m in measures for k in m.eligible_kinds))
        msg = Msg(
            MSG_BODY_NOT_COVERED,
            {
                "name": info.name,
                "kind": t(KIND_LABELS.get(info.kind, info.kind)),
                "kinds": _join([t(KIND_LABELS.get(k, k)) for k in kinds], lang),
            },
        )
        return _Outcome(0, 0, "body_not_covered", msg, None)
    if not for_category:
        covered = [
            c for c in accepted_categories(measures) if any(c in m.categories for m in measures)
        ]
        msg = Msg(
            MSG_CATEGORY_NOT_COVERED,
            {
                "category": t(CATEGORY_LABELS.get(line.category, line.category)),
                "covered": _join([t(CATEGORY_LABELS.get(c, c)) for c in covered], lang),
            },
        )
        return _Outcome(0, 0, "category_not_covered", msg, None)

    in_period = [m for m in for_category if m.covers_year(line.fiscal_year)]
    if not in_period:
        m = for_category[0]
        params: dict[str, Any] = {
            "measure": t(m.name),
            "first": fiscal_year_full_label(min(x.first_fy for x in for_category), lang),
            "last": fiscal_year_full_label(max(x.last_fy for x in for_category), lang),
            "fiscal_year": fy_text,
        }
        if line.date is not None:
            params["date"] = date_full_label(line.date, lang)
            return _Outcome(0, 0, "out_of_period", Msg(MSG_OUT_OF_PERIOD_DATED, params), None)
        return _Outcome(0, 0, "out_of_period", Msg(MSG_OUT_OF_PERIOD, params), None)

    m = in_period[0]  # check_measures() guarantees there is only one
    rate = m.exact_rate
    eligible = line.amount
    remaining: int | None = None
    if m.cap is not None:
        key = (m.key, line.fiscal_year)
        remaining = max(m.cap - used.get(key, 0), 0)
        eligible = min(line.amount, remaining)
        used[key] = used.get(key, 0) + eligible
    grant = math.floor(rate * eligible)
    params = {
        "measure": t(m.name),
        "fiscal_year": fy_text,
        "amount": yen(line.amount),
        "eligible": yen(eligible),
        "grant": yen(grant),
        "rate": format_rate(rate),
    }
    if eligible < line.amount:
        assert m.cap is not None and remaining is not None
        params.update(cap=yen(m.cap), remaining=yen(remaining))
        msgid = MSG_CAPPED if eligible > 0 else MSG_CAP_USED
        return _Outcome(eligible, grant, "capped", Msg(msgid, params), m.key)
    return _Outcome(eligible, grant, "eligible", Msg(MSG_ELIGIBLE, params), m.key)


def _natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    # "2" before "10", as people number the lines of a form.
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"([0-9]+)", text)
        if part
    )


def _cap_order(line: Line) -> tuple[Any, ...]:
    """The order in which lines use up a cap: by date, then lines giving only a fiscal year
    in input order (DESIGN §6). Lines of the same date go by id, not by input order, so
    reordering them cannot move a yen of rounding between lines and change the totals."""
    if line.date is None:
        return (1, date.min, (), "", line.index)
    return (0, line.date, _natural_key(line.id), line.id, 0)


def ended_notice(
    measures: Sequence[Measure], lang: str, t: Gettext, today: date | None = None
) -> str | None:
    """The sentence saying that the last covered fiscal year is over; None while it is not."""
    covered = covered_fiscal_years(measures)
    if not covered:
        return None
    end = fiscal_year_bounds(covered[-1])[1]
    if (today or today_jst()) <= end:
        return None
    last = fiscal_year_full_label(covered[-1], lang)
    return Msg(MSG_MEASURE_ENDED, {"last": last, "end": date_full_label(end, lang)}).render(t)


def calculate(
    payload: Mapping[str, Any],
    lookup: Lookup,
    lang: str = "ja",
    gettext: Gettext | None = None,
    measures: Sequence[Measure] = MEASURES,
    today: date | None = None,
) -> Result:
    """Estimate the special grant for one municipality's cost lines (see DESIGN §6).

    ``lang`` is the default language; the payload's "lang" overrides it (pick ``gettext``
    with ``validation.requested_lang(payload, lang)``). ``lookup`` maps a 6-digit code to the
    body or None. Raises ``InvalidInput`` naming every bad field; nothing is computed then.
    """
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}")
    check_measures(measures)
    info, lines, lang = validate(payload, lookup, measures, lang)
    t = translator(lang, gettext)

    order = sorted(lines, key=_cap_order)
    used: dict[tuple[str, int], int] = {}
    outcomes = {ln.index: _judge(ln, info, measures, used, lang, t) for ln in order}

    results = []
    for ln in lines:
        o = outcomes[ln.index]
        results.append(
            LineResult(
                id=ln.id,
                fiscal_year=ln.fiscal_year,
                fiscal_year_label=fiscal_year_label(ln.fiscal_year, lang),
                date=ln.date,
                category=ln.category,
                amount=ln.amount,
                eligible_amount=o.eligible,
                grant=o.grant,
                reason=o.reason,
                message=o.msg.render(t),
                msg=o.msg,
                measure=o.measure,
            )
        )

    per_fy: dict[int, list[LineResult]] = {}
    for r in results:
        per_fy.setdefault(r.fiscal_year, []).append(r)
    fiscal_years = tuple(
        FiscalYearTotal(
            fiscal_year=fy,
            fiscal_year_label=fiscal_year_label(fy, lang),
            amount=sum(r.amount for r in rs),
            eligible_amount=sum(r.eligible_amount for r in rs),
            grant=sum(r.grant for r in rs),
        )
        for fy, rs in sorted(per_fy.items())
    )

    notice = ended_notice(measures, lang, t, today)
    return Result(
        municipality=info,
        lang=lang,
        lines=tuple(results),
        fiscal_years=fiscal_years,
        total_amount=sum(r.amount for r in results),
        total_eligible=sum(r.eligible_amount for r in results),
        total_grant=sum(r.grant for r in results),
        covered_fiscal_years=tuple(covered_fiscal_years(measures)),
        measure_ended=notice is not None,
        notice=notice,
    )

