"""Advice that cites the evidence (DESIGN §3): where the service's own figures show that a
condition's groups differ clearly and both are large enough, the posting form says so with
the figures and where they come from. Connected to signals.posting_evidence, so the
postings domain never imports this one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from talentmatch import signals
from talentmatch.clock import today_jst
from talentmatch.i18n import current_lang
from talentmatch.insights import present, services, stats
from talentmatch.insights.labels import CONDITION_FIELDS
from talentmatch.messages import N_, Msg
from talentmatch.postings.template.advice import Advice
from talentmatch.postings.template.cleaners import clean_field
from talentmatch.wareki import fiscal_year_label, fiscal_year_of

MSG_EVIDENCE = N_(
    "Nationwide, among the postings of %(period)s, the median number of applications was "
    "%(better_median)s for “%(better)s” and %(worse_median)s for “%(worse)s” "
    "(n=%(better_n)s and %(worse_n)s postings; source: TalentMatch's statistics of published "
    "postings, %(condition)s)."
)


def _clean(values: Mapping[str, object], key: str):
    value, error = clean_field(key, values.get(key))
    return None if error is not None else value


def facts_of_form(values: Mapping[str, object], today: date) -> stats.PostingFacts:
    """The form's values as the grouping reads a posting (as if published today)."""
    channels = _clean(values, "publication_channels")
    amount = _clean(values, "compensation_amount")
    days = _clean(values, "days_per_month")
    return stats.PostingFacts(
        posting_id=0, published_on=today, remote=_clean(values, "remote"),
        side_job_ok=_clean(values, "side_job_ok"),
        employment_type=_clean(values, "employment_type"),
        compensation_amount=int(amount) if isinstance(amount, (int, float)) else None,
        compensation_unit=_clean(values, "compensation_unit"),
        days_per_month=float(days) if isinstance(days, (int, float)) else None,
        period_months=stats.months_between(_clean(values, "period_start"),
                                           _clean(values, "period_end")),
        deadline=_clean(values, "deadline"), joint=_clean(values, "joint_wish") == "joint",
        channels=tuple(channels or ()),
    )


def evidence_for(facts: stats.PostingFacts, groups: list[stats.Group]) -> list[stats.Evidence]:
    """One piece of evidence per condition where the form's value is the clearly weaker one."""
    found = []
    for condition in stats.CONDITIONS:
        for value in stats.values_of(facts, condition):
            ev = stats.evidence(groups, condition, value)
            if ev is not None:
                found.append(ev)
    return found


@signals.posting_evidence.connect
def _evidence(sender, values: Mapping[str, object], **_kw) -> list[Advice]:
    today = today_jst()
    period = services.default_period(today)
    groups = services.conditions(period)
    label = fiscal_year_label(fiscal_year_of(today), current_lang())
    result = []
    for ev in evidence_for(facts_of_form(values, today), groups):
        result.append(Advice("evidence_" + ev.condition, CONDITION_FIELDS[ev.condition], Msg(
            MSG_EVIDENCE, {
                "period": label,
                "better": present.value_label(ev.condition, ev.better.value),
                "worse": present.value_label(ev.condition, ev.worse.value),
                "better_median": present.figure_text(ev.better.median_applications),
                "worse_median": present.figure_text(ev.worse.median_applications),
                "better_n": ev.better.postings, "worse_n": ev.worse.postings,
                "condition": present.condition_label(ev.condition),
            })))
    return result
