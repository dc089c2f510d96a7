"""PURE: the rules of a joint appointment's participants and shares, and of its state.

Shares of days are days per month (they add up to the role's days); shares of costs are exact
fractions that add up to exactly 1 (entered as "50", "50%", "1/3" or left blank everywhere to
follow the days). Errors name the form field they belong to.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from talentmatch.messages import N_, FieldError, Msg

MAX_DAYS = 31
MAX_PARTICIPANTS = 10
MAX_DENOMINATOR = 1_000_000

ERR_TOO_FEW = N_("A joint appointment needs at least two participating municipalities.")
ERR_TOO_MANY = N_("A joint appointment can have at most %(max)s participants.")
ERR_CODE = N_("Choose a municipality.")
ERR_UNKNOWN = N_("There is no municipality with this code.")
ERR_DUPLICATE = N_("This municipality is listed twice.")
ERR_DAYS = N_("Enter the days per month as a number above 0 and at most 31, such as 4 or 2.5.")
ERR_SHARE = N_("Enter the share of costs as a percentage above 0 (such as 50 or 33.3%) or a "
               "fraction (such as 1/3).")
ERR_SHARE_MISSING = N_("Enter a share of costs for every participant, or leave them all empty "
                       "to split the costs like the days.")
ERR_SHARES_TOTAL = N_("The shares of costs add up to %(total)s; they must add up to 100%%.")
ERR_DAYS_TOTAL = N_("The participants' days add up to %(sum)s, but the role has %(days)s days "
                    "per month.")
ERR_LEAD = N_("The lead municipality must be one of the participants.")
ERR_LEAD_PREFECTURE = N_("The lead municipality must belong to your prefecture.")


STATE_LABELS = {
    "proposed": N_("Awaiting answers"),
    "accepted": N_("Accepted by all"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
    "posted": N_("Joint posting created"),
}
RESPONSE_LABELS = {
    "pending": N_("Not answered yet"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
}


@dataclass(frozen=True)
class ParticipantInput:
    municipality_code: str
    share_days: str
    share_cost: str


@dataclass(frozen=True)
class CleanParticipant:
    municipality_code: str
    share_days: float
    share_cost: Fraction


def _norm(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip().replace(",", "")


def parse_days(text: object) -> float | None:
    """Days per month: above 0, at most 31, one decimal place at most."""
    raw = _norm(text)
    try:
        value = Decimal(raw)
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value <= 0 or value > MAX_DAYS or value != value.quantize(
        Decimal("0.1")
    ):
        return None
    return float(value)


def parse_share(text: object) -> Fraction | None:
    """'1/3' → 1/3; '50', '50%' or '33.3％' → a percentage. None when not a positive share
    of at most 100%."""
    raw = _norm(text).rstrip("%").strip()
    if not raw:
        return None
    try:
        if "/" in raw:
            num, _, den = raw.partition("/")
            value = Fraction(Decimal(num.strip())) / Fraction(Decimal(den.strip()))
        else:
            value = Fraction(Decimal(raw)) / 100
    except (InvalidOperation, ValueError, ZeroDivisionError, OverflowError):
        return None  # OverflowError: 'Infinity' or '1/Infinity' has no ratio
    if value <= 0 or value > 1 or value.denominator > MAX_DENOMINATOR:
        return None
    return value


def percent_text(share: Fraction) -> str:
    """50% / 33.3% / 12.25%: at most two decimals, trailing zeros dropped."""
    pct = Decimal(share.numerator * 100) / Decimal(share.denominator)
    text = f"{pct.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return f"{text}%"


def share_text(share: Fraction) -> str:
    """'1/3 (33.33%)' when a percentage would not be exact, else '50%'."""
    pct = Fraction(share.numerator * 100, share.denominator)
    if (pct * 100).denominator == 1:
        return percent_text(share)
    return f"{share.numerator}/{share.denominator} ({percent_text(share)})"


def days_text(value: float) -> str:
    return f"{value:g}"


def validate_participants(
    rows: Sequence[ParticipantInput],
    *,
    lead_code: str,
    days_per_month: float | None,
    proposing_prefecture: str,
    municipality_exists: Callable[[str], bool],
) -> tuple[list[CleanParticipant], list[FieldError]]:
    """The participants with exact shares (lead first), or the errors naming their fields.

    Rows that are entirely empty are ignored; field names follow the form
    (participants-<i>-municipality_code / share_days / share_cost)."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    kept: list[tuple[int, str, float | None, Fraction | None, bool]] = []
    for i, row in enumerate(rows):
        code = _norm(row.municipality_code)
        days_raw, cost_raw = _norm(row.share_days), _norm(row.share_cost)
        if not (code or days_raw or cost_raw):
            continue
        name = f"participants-{i}-"
        if not code:
            errors.append(FieldError(name + "municipality_code", Msg(ERR_CODE)))
        elif not municipality_exists(code):
            errors.append(FieldError(name + "municipality_code", Msg(ERR_UNKNOWN)))
        elif code in seen:
            errors.append(FieldError(name + "municipality_code", Msg(ERR_DUPLICATE)))
        seen.add(code)
        days = parse_days(days_raw)
        if days is None:
            errors.append(FieldError(name + "share_days", Msg(ERR_DAYS)))
        cost = parse_share(cost_raw) if cost_raw else None
        if cost_raw and cost is None:
            errors.append(FieldError(name + "share_cost", Msg(ERR_SHARE)))
        kept.append((i, code, days, cost, bool(cost_raw)))

    if len(kept) < 2:
        errors.append(FieldError("participants", Msg(ERR_TOO_FEW)))
    if len(kept) > MAX_PARTICIPANTS:
        errors.append(FieldError("participants", Msg(ERR_TOO_MANY, {"max": MAX_PARTICIPANTS})))
    if lead_code and lead_code[:2] != proposing_prefecture:
        errors.append(FieldError("lead_municipality_code", Msg(ERR_LEAD_PREFECTURE)))
    elif lead_code and kept and lead_code not in {k[1] for k in kept}:
        errors.append(FieldError("lead_municipality_code", Msg(ERR_LEAD)))

    given = [k for k in kept if k[4]]
    if given and len(given) != len(kept):
        for i, _code, _d, _c, has in kept:
            if not has:
                errors.append(FieldError(f"participants-{i}-share_cost", Msg(ERR_SHARE_MISSING)))
    if errors:
        return [], errors

    total_days = sum(Fraction(Decimal(str(k[2]))) for k in kept)
    if days_per_month is not None and total_days != Fraction(Decimal(str(days_per_month))):
        errors.append(FieldError("days_per_month", Msg(ERR_DAYS_TOTAL, {
            "sum": days_text(float(total_days)), "days": days_text(days_per_month)})))
    if given:
        shares = [k[3] for k in kept]
    else:
        shares = [Fraction(Decimal(str(k[2]))) / total_days for k in kept]
    total_share = sum(shares, Fraction(0))
    if total_share != 1:
        first = kept[0][0]
        errors.append(FieldError(f"participants-{first}-share_cost",
                                 Msg(ERR_SHARES_TOTAL, {"total": percent_text(total_share)})))
    if errors:
        return [], errors
    out = [CleanParticipant(k[1], float(k[2]), s) for k, s in zip(kept, shares, strict=True)]
    out.sort(key=lambda p: p.municipality_code != lead_code)  # stable: the lead first
    return out, []


def proposal_state(current: str, responses: Sequence[str], agreements: Sequence[str]) -> str:
    """The proposal's state after an answer: declined as soon as anyone declines, accepted
    once every participant and every other prefecture concerned has accepted."""
    if current not in ("proposed", "accepted"):
        return current
    answers = [*responses, *agreements]
    if "declined" in answers:
        return "declined"
    if answers and all(a == "accepted" for a in answers):
        return "accepted"
    return "proposed"


def participants_text(participants: list[dict] | None) -> str:
    """'木古内町（013340）50% 4日/月; 知内町（013331）50% 4日/月' for the exports; '' for a
    posting that is not joint (no shares)."""
    if not participants or participants[0].get("share") is None:
        return ""
    parts = []
    for p in participants:
        pct = Decimal(str(p["share"])) * 100
        pct_text = f"{pct.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
        days = p.get("share_days")
        days_text = f" {days:g}日/月" if days else ""
        parts.append(f"{p['name'] or p['code']}（{p['code']}）{pct_text}%{days_text}")
    return "; ".join(parts)
