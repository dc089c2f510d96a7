"""Reach of a posting before it is published: the count its conditions reach among the
registered professionals, and what easing each narrowing condition would add
(`reach.py` counts; this module turns postings and form values into its conditions and the
counts into rounded figures and sentences). Counts only: no name or id ever leaves here.

Reads only; nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext

from talentmatch import signals, vocab
from talentmatch.matching import indexes, reach, rows
from talentmatch.matching.matcher import NeedData, combine_needs
from talentmatch.messages import N_
from talentmatch.postings.models import Posting
from talentmatch.postings.template.cleaners import clean_field

MSG_ABOUT = N_("about %(n)s professionals")
MSG_FEWER = N_("fewer than %(n)s professionals")
MSG_SENTENCE = N_(
    "With these conditions, %(figure)s registered on TalentMatch match: open to being found, "
    "with enough free days, accepting the employment form, fitting the place or remote work "
    "and having every required skill."
)
MSG_WHAT_IF = N_("%(change)s: %(figure)s")
_CHANGE_LABELS = {
    "remote:partial": N_("Allowing partly remote work"),
    "remote:full": N_("Allowing fully remote work"),
    "side_job_ok": N_("Allowing it as a side job"),
    "days_per_month": N_("Asking for %(days)s days a month"),
    "employment_type": N_("Offering it as %(employment_type)s"),
    "required_skills": N_("Making every required skill a preferred one"),
    "required_skill": N_("Making %(skill)s a preferred skill instead of a required one"),
}


# --------------------------------------------------------------------------- conditions


def _clean(values: Mapping[str, object], key: str) -> object:
    value, error = clean_field(key, values.get(key))
    return None if error is not None else value


def conditions_from_values(values: Mapping[str, object], municipality_code: str) -> reach.Conditions:
    """The form's current values (raw text is fine: each field is cleaned, a bad value counts
    as not given) for a posting of `municipality_code`."""
    days = _clean(values, "days_per_month")
    emp = _clean(values, "employment_type")
    remote = _clean(values, "remote")
    need = NeedData(
        id=0,
        required_skills=list(_clean(values, "required_skills") or []),
        employment_type=emp if isinstance(emp, str) else "",
        days_per_month=float(days) if isinstance(days, int | float) else 0.0,
        remote=remote if isinstance(remote, str) and remote else "none",
        prefecture_codes=[municipality_code[:2]] if municipality_code else [],
    )
    side = _clean(values, "side_job_ok")
    return reach.Conditions(need, side if isinstance(side, bool) else None)


def conditions_for_posting(posting: Posting) -> reach.Conditions:
    """The revision being written (what the clerk is deciding on); a joint appointment's
    registered participants combined, as its ranking does."""
    rev = posting.current_revision
    if rev is None:
        raise LookupError(posting.id)
    need = rows.need_from_revision(posting.id, rev)
    if rev.joint_wish == "joint":
        for _receiver, needs in signals.posting_needs.send(posting):
            if needs:
                need = combine_needs(needs)
                break
    return reach.Conditions(need, rev.side_job_ok)


def compute(cond: reach.Conditions) -> reach.Reach:
    return indexes.with_professionals(lambda index: reach.reach(index, cond))


# --------------------------------------------------------------------------- presentation


def figure_text(n: int) -> str:
    shown = reach.rounded(n)
    if shown is None:
        return gettext(MSG_FEWER, n=reach.THRESHOLD)
    return gettext(MSG_ABOUT, n=f"{shown:,}")


def change_label(item: reach.WhatIf) -> str:
    kind = item.change.split(":", 1)[0]
    params = dict(item.params)
    if kind == "employment_type":
        labels = vocab.labels(vocab.EMPLOYMENT_TYPES)
        params["employment_type"] = gettext(labels[params["employment_type"]])
    if kind == "days_per_month":
        days = float(params["days"])
        params["days"] = str(int(days)) if days.is_integer() else f"{days:.1f}"
    msgid = _CHANGE_LABELS.get(item.change) or _CHANGE_LABELS[kind]
    return gettext(msgid, **params)


def as_json(result: reach.Reach, posting_id: int | None = None) -> dict:
    """`flask match reach --json` and the form's endpoint: rounded figures only
    (`reach` null and `suppressed` true below the threshold)."""
    body: dict = {} if posting_id is None else {"posting": posting_id}
    shown = reach.rounded(result.reach)
    body.update(
        reach=shown,
        suppressed=shown is None,
        text=figure_text(result.reach),
        sentence=gettext(MSG_SENTENCE, figure=figure_text(result.reach)),
        what_if=[],
    )
    for w in result.what_if:
        label, text = change_label(w), figure_text(w.reach)
        body["what_if"].append({
            "change": w.change,
            "label": label,
            "reach": reach.rounded(w.reach),
            "suppressed": False,  # only gains past the threshold are listed
            "text": text,
            "sentence": gettext(MSG_WHAT_IF, change=label, figure=text),
        })
    return body


def reach_for_values(values: Mapping[str, object], municipality_code: str) -> dict:
    return as_json(compute(conditions_from_values(values, municipality_code)))


def reach_for_posting(posting: Posting) -> dict:
    return as_json(compute(conditions_for_posting(posting)), posting.id)


@signals.posting_reach.connect
def _posting_reach(sender, values=None, municipality_code: str = "", posting=None) -> dict | None:
    """The postings pages show this without importing matching."""
    if values is not None:
        return reach_for_values(values, municipality_code)
    if posting is not None:
        return reach_for_posting(posting)
    return None
