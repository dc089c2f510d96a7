"""PURE: the seed's third アドバイス例 and the 採用市況 — advice on the selection flow and on
pay against the market (DESIGN §3).

The seed: 「書類選考では、応募者の職務経歴欄の○○に着目することで、効率的に審査することが
できますよ」 and 「②効率的な選考フローの作成」「採用市況を把握」. ``selection_flow`` reads the
選考方法 text; ``market_pay`` compares the pay with the published postings of the same
employment form and pay unit, whose figures the service passes in (this module reads no
database).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from talentmatch.messages import N_, Msg

MAX_INTERVIEW_ROUNDS = 2  # three or more rounds lose candidates who hold other offers
MIN_COMPARABLE = 5  # fewer published postings than this: no market figure is given

MSG_ADVICE_FLOW_ROUNDS = N_(
    "The selection has %(rounds)s interview rounds. Keep the flow short — digital "
    "professionals often hold other offers — and judge the career history (職務経歴欄) in "
    "the document screening so that one or two interviews are enough."
)
MSG_ADVICE_FLOW_NO_SCREENING = N_(
    "The selection has no document screening step. Screening the career history "
    "(職務経歴欄) first lets you judge many applications efficiently before interviews."
)
MSG_ADVICE_MARKET_PAY = N_(
    "The pay (%(amount)s yen) is below the lower quartile of %(n)s comparable published "
    "postings (same employment form and pay unit): lower quartile %(q1)s yen, median "
    "%(median)s yen. Professionals compare pay; consider raising it."
)


@dataclass(frozen=True)
class MarketPay:
    """Pay of comparable published postings: lower quartile, median and how many."""

    lower_quartile: int
    median: int
    n: int


def market_pay_of(amounts: list[int]) -> MarketPay | None:
    """Quartiles (inclusive method, rounded down to the yen); None when too few to compare."""
    if len(amounts) < MIN_COMPARABLE:
        return None
    xs = sorted(amounts)

    def quantile(p: float) -> int:
        pos = (len(xs) - 1) * p
        lo = int(pos)
        hi = min(lo + 1, len(xs) - 1)
        return int(xs[lo] + (xs[hi] - xs[lo]) * (pos - lo))

    return MarketPay(quantile(0.25), quantile(0.5), len(xs))


_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "1": 1, "2": 2, "3": 3,
                 "4": 4, "5": 5, "6": 6}
_ORDINAL_JA = re.compile(r"([一二三四五六1-6])次(?:面接|面談)")
_FINAL_JA = re.compile(r"最終(?:面接|面談)")
_COUNT = re.compile(r"(?:面接|面談)[をはが]?\s*\(?\s*([1-6])\s*回|([1-6])\s*回の?(?:面接|面談)"
                    r"|([1-6])\s*(?:interview )?rounds? of interviews?|([1-6])\s*interviews?",
                    re.IGNORECASE)
_ORDINAL_EN = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+interview", re.I)
_FINAL_EN = re.compile(r"\bfinal\s+interview", re.I)
_STEP_SPLIT = re.compile(r"→|⇒|->|＞|>|、|,|;|；|\n|・")
_INTERVIEW = re.compile(r"面接|面談|interview", re.I)
_SCREENING = re.compile(r"書類|職務経歴|エントリーシート|document|résumé|resume|cv\b|application form"
                        r"|screening", re.I)
_EN_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def interview_rounds(text: str) -> int:
    """How many interview rounds a 選考方法 text describes (0 when it names none)."""
    t = unicodedata.normalize("NFKC", text)
    counts = [int(next(g for g in m.groups() if g)) for m in _COUNT.finditer(t)]
    ordinals = {_KANJI_DIGITS[m.group(1)] for m in _ORDINAL_JA.finditer(t)}
    ordinals |= {_EN_ORD[m.group(1).lower()] for m in _ORDINAL_EN.finditer(t)}
    by_ordinal = max(ordinals, default=0) + (
        1 if (_FINAL_JA.search(t) or _FINAL_EN.search(t)) and ordinals else 0
    )
    by_steps = sum(1 for step in _STEP_SPLIT.split(t) if _INTERVIEW.search(step))
    return max([*counts, by_ordinal, by_steps])


def selection_flow(text: object) -> Msg | None:
    if not isinstance(text, str) or not text.strip():
        return None
    rounds = interview_rounds(text)
    if rounds > MAX_INTERVIEW_ROUNDS:
        return Msg(MSG_ADVICE_FLOW_ROUNDS, {"rounds": rounds})
    if rounds > 0 and not _SCREENING.search(unicodedata.normalize("NFKC", text)):
        return Msg(MSG_ADVICE_FLOW_NO_SCREENING)
    return None


def market_pay(
    amount: object,
    employment_type: object,
    unit: object,
    market: Mapping[tuple[str, str], MarketPay] | None,
) -> Msg | None:
    if not market or not isinstance(amount, int) or not isinstance(employment_type, str) \
            or not isinstance(unit, str):
        return None
    figures = market.get((employment_type, unit))
    if figures is None or figures.n < MIN_COMPARABLE or amount >= figures.lower_quartile:
        return None
    return Msg(MSG_ADVICE_MARKET_PAY, {
        "amount": f"{amount:,}", "n": figures.n, "q1": f"{figures.lower_quartile:,}",
        "median": f"{figures.median:,}"})
