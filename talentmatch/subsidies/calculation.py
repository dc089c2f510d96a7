"""PURE: the special grant estimate: which measure counts each cost line, and how much.

``calculate()`` serves the estimate page, the dashboards, ``flask subsidy estimate`` and
``POST /api/v1/subsidy/estimate`` alike, so all of them show the same figures and reasons.
It checks the input (``validation``), applies the table of measures it is given (the service
passes the published ones from the database) and says for every line, in the reader's language, why it counts or not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from talentmatch.catalog import Gettext, translator
from talentmatch.clock import today_jst
from talentmatch.messages import N_, Msg
from talentmatch.subsidies.measures import (
    CATEGORY_LABELS,
    Measure,
    accepted_categories,
    check_measures,
    covered_fiscal_years,
    format_rate,
)
from talentmatch.subsidies.results import FiscalYearTotal, LineResult, Result
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

__all__ = ["REASONS", "FiscalYearTotal", "LineResult", "Result", "calculate", "ended_notice"]

REASONS = ("eligible", "capped", "out_of_period", "category_not_covered", "body_not_covered")

# --- messages --------------------------------------------------------------------------------

MSG_ELIGIBLE = N_(
    "Eligible under “%(measure)s” in %(fiscal_year)s: %(eligible)s counts, and this line’s "
    "share of the grant is %(grant)s (the grant is %(rate)s × the total of the eligible costs "
    "under this measure in the year, rounded down to the yen once)."
)
MSG_CAPPED = N_(
    "Partly eligible under “%(measure)s” in %(fiscal_year)s: these costs count up to %(cap)s "
    "per municipality and fiscal year and %(remaining)s of that was left before this line, "
    "so %(eligible)s of %(amount)s is eligible; this line’s share of the grant is %(grant)s "
    "(%(rate)s × the total eligible in the year, rounded down to the yen once)."
)
MSG_CAP_USED = N_(
    "Not eligible: under “%(measure)s” these costs count up to %(cap)s per municipality and "
    "fiscal year, and earlier lines already used all of it in %(fiscal_year)s."
)
MSG_GRANT_CAPPED = N_(
    "Eligible under “%(measure)s” in %(fiscal_year)s: %(eligible)s counts, but the grant is "
    "limited to %(cap)s per municipality and fiscal year, so this line’s share of the grant "
    "is %(grant)s."
)
MSG_NO_MEASURE = N_(
    "Not covered: no measure for %(fiscal_year)s is registered in TalentMatch."
)
MSG_NO_MEASURE_FY = N_("No measure for %(fiscal_year)s is registered in TalentMatch.")
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


# --- calculation -----------------------------------------------------------------------------


def _join(labels: Sequence[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(labels)


def no_measure_label(fy: int, lang: str) -> str:
    """令和8年度 in Japanese; 令和8年度 (FY2026) in English, as the ministry writes it."""
    ja = fiscal_year_label(fy, "ja")
    return ja if lang == "ja" else f"{ja} (FY{fy})"


@dataclass
class _Outcome:
    eligible: int
    reason: str
    msg: Msg | None  # None: an eligible line, worded once its share of the grant is known
    measure: Measure | None
    remaining: int | None = None
    grant: int = 0


def _judge(
    line: Line,
    info: MunicipalityInfo,
    measures: Sequence[Measure],
    used: dict[tuple[str, int], int],
    lang: str,
    t: Gettext,
) -> _Outcome:
    fy_text = fiscal_year_full_label(line.fiscal_year, lang)

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
        return _Outcome(0, "body_not_covered", msg, None)
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
        return _Outcome(0, "category_not_covered", msg, None)

    in_period = [m for m in for_category if m.covers_year(line.fiscal_year)]
    if not in_period and not any(m.covers_year(line.fiscal_year) for m in measures):
        # No measure at all for the year: say so, never guess what the ministry will decide.
        label = no_measure_label(line.fiscal_year, lang)
        return _Outcome(0, "out_of_period", Msg(MSG_NO_MEASURE, {"fiscal_year": label}), None)
    if not in_period:
        m = for_category[0]
        params: dict[str, Any] = {
            "measure": m.name(lang),
            "first": fiscal_year_full_label(min(x.first_fy for x in for_category), lang),
            "last": fiscal_year_full_label(max(x.last_fy for x in for_category), lang),
            "fiscal_year": fy_text,
        }
        if line.date is not None:
            params["date"] = date_full_label(line.date, lang)
            return _Outcome(0, "out_of_period", Msg(MSG_OUT_OF_PERIOD_DATED, params), None)
        return _Outcome(0, "out_of_period", Msg(MSG_OUT_OF_PERIOD, params), None)

    m = in_period[0]  # check_measures() guarantees there is only one
    eligible = line.amount
    remaining: int | None = None
    if m.cap is not None and m.cap_of == "cost":
        key = (m.key, line.fiscal_year)
        remaining = max(m.cap - used.get(key, 0), 0)
        eligible = min(line.amount, remaining)
        used[key] = used.get(key, 0) + eligible
    reason = "capped" if eligible < line.amount else "eligible"
    return _Outcome(eligible, reason, None, m, remaining)


def _shares(total: int, weights: Sequence[Fraction]) -> list[int]:
    """Split ``total`` yen by exact ``weights`` (in cap order): each line gets the floor of
    its exact part, and the yen left by rounding go to the largest remainders, earliest
    first, so the shares add up to the total to the yen."""
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    shares = [math.floor(x) for x in exact]
    left = total - sum(shares)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def _grants(order: Sequence[Line], outcomes: dict[int, _Outcome]) -> dict[int, bool]:
    """The grant per measure and fiscal year: rate × the total eligible, rounded down once
    (the seed: 「合計額に0.5を乗じて」), then each line's share. Returns which groups a grant
    cap limited."""
    groups: dict[tuple[str, int], list[Line]] = {}
    for ln in order:
        o = outcomes[ln.index]
        if o.measure is not None:
            groups.setdefault((o.measure.key, ln.fiscal_year), []).append(ln)
    grant_capped: dict[int, bool] = {}
    for lines in groups.values():
        m = outcomes[lines[0].index].measure
        assert m is not None
        eligible = [outcomes[ln.index].eligible for ln in lines]
        total = math.floor(m.exact_rate * sum(eligible))
        capped = m.cap is not None and m.cap_of == "grant" and total > m.cap
        if capped:
            assert m.cap is not None
            total = m.cap
        for ln, share in zip(lines, _shares(total, [Fraction(e) for e in eligible]), strict=True):
            outcomes[ln.index].grant = share
            grant_capped[ln.index] = capped
    return grant_capped


def _word(
    ln: Line, o: _Outcome, grant_capped: bool, lang: str
) -> tuple[str, Msg]:
    m = o.measure
    assert m is not None

    def yen(n: int) -> str:
        return format_yen(n, lang)

    params: dict[str, Any] = {
        "measure": m.name(lang),
        "fiscal_year": fiscal_year_full_label(ln.fiscal_year, lang),
        "amount": yen(ln.amount),
        "eligible": yen(o.eligible),
        "grant": yen(o.grant),
        "rate": format_rate(m.exact_rate),
    }
    if o.reason == "capped":
        assert m.cap is not None and o.remaining is not None
        params.update(cap=yen(m.cap), remaining=yen(o.remaining))
        return "capped", Msg(MSG_CAPPED if o.eligible > 0 else MSG_CAP_USED, params)
    if grant_capped:
        assert m.cap is not None
        params.update(cap=yen(m.cap))
        return "capped", Msg(MSG_GRANT_CAPPED, params)
    return "eligible", Msg(MSG_ELIGIBLE, params)


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
    *,
    measures: Sequence[Measure],
    today: date | None = None,
) -> Result:
    """Estimate the special grant for one municipality's cost lines (see DESIGN §6).

    ``measures`` is the table to apply (the published measures; a preview adds a draft).
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
    grant_capped = _grants(order, outcomes)

    results = []
    for ln in lines:
        o = outcomes[ln.index]
        reason, msg = o.reason, o.msg
        if o.measure is not None:
            reason, msg = _word(ln, o, grant_capped.get(ln.index, False), lang)
        assert msg is not None
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
                reason=reason,
                message=msg.render(t),
                msg=msg,
                measure=o.measure.key if o.measure else None,
                measure_version=o.measure.version if o.measure else None,
            )
        )

    per_fy: dict[int, list[LineResult]] = {}
    for r in results:
        per_fy.setdefault(r.fiscal_year, []).append(r)
    fiscal_years = []
    for fy, rs in sorted(per_fy.items()):
        registered = tuple(m.key for m in measures if m.covers_year(fy))
        fiscal_years.append(
            FiscalYearTotal(
                fiscal_year=fy,
                fiscal_year_label=fiscal_year_label(fy, lang),
                amount=sum(r.amount for r in rs),
                eligible_amount=sum(r.eligible_amount for r in rs),
                grant=sum(r.grant for r in rs),
                measures=registered,
                notice=None if registered else Msg(
                    MSG_NO_MEASURE_FY, {"fiscal_year": no_measure_label(fy, lang)}
                ).render(t),
            )
        )

    notice = ended_notice(measures, lang, t, today)
    return Result(
        municipality=info,
        lang=lang,
        lines=tuple(results),
        fiscal_years=tuple(fiscal_years),
        total_amount=sum(r.amount for r in results),
        total_eligible=sum(r.eligible_amount for r in results),
        total_grant=sum(r.grant for r in results),
        covered_fiscal_years=tuple(covered_fiscal_years(measures)),
        measure_ended=notice is not None,
        notice=notice,
    )
