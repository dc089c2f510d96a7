"""PURE: advice on a posting's conditions, from the seed deck's アドバイス例 (DESIGN §3).

Suggestions only, never blocking, and fine on partial drafts: wording of the experience
sought, scarce qualifications made mandatory, a deadline under three weeks away, missing pay,
side jobs refused for a part-time role, and publication on the municipality's website alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from talentmatch.messages import N_, Msg
from talentmatch.postings.template.advice_flow import MarketPay, market_pay, selection_flow
from talentmatch.postings.template.cleaners import clean_field
from talentmatch.postings.template.qualifications import Qualification, find_scarce_qualifications

PART_TIME_EMPLOYMENT = frozenset({"special_part_time", "fiscal_year_appointee", "outsourcing"})
DEADLINE_ADVICE_DAYS = 21


@dataclass(frozen=True)
class Advice:
    code: str
    field: str
    message: Msg


# 「情報システム分野における業務経験」 and close variants: a field of work, not an achievement.
_GENERIC_EXPERIENCE = re.compile(
    r"(情報システム|情報処理|ict|it)(分野|部門|部署|関係|関連|業界|系|業務|担当){0,3}"
    r"(における|に関する|に係る|での|で|の)?(業務|実務|勤務|職務|就業)?(経験|従事)"
    r"|\bexperience in (the )?(it|ict|information systems?)( (field|sector|department|industry))?\b"
    r"|\b(it|ict|information systems?) (field |sector |department |industry )?experience",
)
_REFORM = re.compile(r"業務改革|bpr|業務改善|business (process )?reform", re.IGNORECASE)
# In 求める経験, a qualification is mandatory unless its sentence says it is welcome or unneeded.
_PREFERRED_MARKERS = re.compile(
    r"歓迎|尚可|なお可|望ましい|あれば|優遇|加点|不要|問わない|問いません|preferred|welcome|a plus|"
    r"nice to have|desirable|advantage|not required",
    re.IGNORECASE,
)

MSG_ADVICE_EXPERIENCE = N_(
    "Rather than 'work experience in the information systems field', ask for 'experience "
    "leading business reform using ICT': it reaches people who changed how work is done."
)
MSG_ADVICE_SCARCE = N_(
    "Few holders of %(qualifications)s are on the job market. Make it a preferred "
    "qualification rather than a requirement, or you will turn away good applicants."
)
MSG_ADVICE_DEADLINE_SOON = N_(
    "The deadline is only %(days)s days away. Allow at least three weeks so that "
    "professionals can notice the posting and apply."
)
MSG_ADVICE_COMPENSATION = N_(
    "State the compensation: professionals compare postings by pay, and postings "
    "without it receive fewer applications."
)
MSG_ADVICE_COMPENSATION_UNIT = N_(
    "Say what the amount is paid per: hour, day, month, year or the whole contract."
)
MSG_ADVICE_SIDE_JOB = N_(
    "This is a part-time role: allowing it as a side job lets people keep their main "
    "employment, which widens the pool of applicants."
)
MSG_ADVICE_OWN_WEBSITE = N_(
    "Postings announced only on a municipality's own website drew 6 applicants on "
    "average, while postings on private job sites drew 247 and 615 (MIC survey). "
    "Consider private job sites and MIC's listing too."
)


def _value(data: Mapping[str, object], key: str) -> object:
    """A field's clean value, accepting raw input too so live advice works on any draft."""
    value, msg = clean_field(key, data.get(key))
    return None if msg is not None else value


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[。．.!！?？\n;；]+", text) if s.strip()]


def advice(
    cleaned: Mapping[str, object],
    *,
    today: date,
    market: Mapping[tuple[str, str], MarketPay] | None = None,
) -> list[Advice]:
    """Suggestions for a posting's conditions; never blocking, fine on partial drafts.
    ``market``: pay of comparable published postings by (employment form, pay unit), which
    the service passes in; without it there is no ``market_pay`` advice."""
    result: list[Advice] = []

    experience = _value(cleaned, "required_experience")
    if isinstance(experience, str):
        folded = unicodedata.normalize("NFKC", experience).casefold()
        if _GENERIC_EXPERIENCE.search(folded) and not _REFORM.search(folded):
            result.append(
                Advice("experience_wording", "required_experience", Msg(MSG_ADVICE_EXPERIENCE))
            )

    skills = _value(cleaned, "required_skills")
    if isinstance(skills, list):
        names = _unique_names(q for tag in skills for q in find_scarce_qualifications(tag))
        if names:
            result.append(_scarce_advice("required_skills", names))
    if isinstance(experience, str):
        mandatory = (
            q
            for sentence in _sentences(experience)
            if not _PREFERRED_MARKERS.search(unicodedata.normalize("NFKC", sentence))
            for q in find_scarce_qualifications(sentence)
        )
        names = _unique_names(mandatory)
        if names:
            result.append(_scarce_advice("required_experience", names))

    deadline = _value(cleaned, "deadline")
    if isinstance(deadline, date):
        days = (deadline - today).days
        # A past deadline blocks submission, so it is an error (validation), never advice.
        if 0 <= days < DEADLINE_ADVICE_DAYS:
            result.append(
                Advice("deadline_soon", "deadline", Msg(MSG_ADVICE_DEADLINE_SOON, {"days": days}))
            )

    amount = _value(cleaned, "compensation_amount")
    if amount is None:
        result.append(
            Advice("compensation_missing", "compensation_amount", Msg(MSG_ADVICE_COMPENSATION))
        )
    elif _value(cleaned, "compensation_unit") is None:
        result.append(
            Advice(
                "compensation_unit_missing", "compensation_unit", Msg(MSG_ADVICE_COMPENSATION_UNIT)
            )
        )

    if (
        _value(cleaned, "side_job_ok") is False
        and _value(cleaned, "employment_type") in PART_TIME_EMPLOYMENT
    ):
        result.append(Advice("side_job_not_allowed", "side_job_ok", Msg(MSG_ADVICE_SIDE_JOB)))

    if _value(cleaned, "publication_channels") == ["own_website"]:
        result.append(
            Advice("own_website_only", "publication_channels", Msg(MSG_ADVICE_OWN_WEBSITE))
        )

    flow = selection_flow(_value(cleaned, "selection_process"))
    if flow is not None:
        result.append(Advice("selection_flow", "selection_process", flow))
    pay = market_pay(amount, _value(cleaned, "employment_type"),
                     _value(cleaned, "compensation_unit"), market)
    if pay is not None:
        result.append(Advice("market_pay", "compensation_amount", pay))

    return result


def _unique_names(qualifications: Iterable[Qualification]) -> list[str]:
    names: list[str] = []
    for q in qualifications:
        if q.ja not in names:
            names.append(q.ja)
    return names


def _scarce_advice(field: str, names: list[str]) -> Advice:
    return Advice(
        "scarce_qualification_required",
        field,
        Msg(MSG_ADVICE_SCARCE, {"qualifications": "、".join(names)}),
    )
