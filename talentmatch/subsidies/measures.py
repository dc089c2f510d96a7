"""PURE: the special grant's measures (措置) as data: who, which costs, what rate, which years.

The ministry maintains the measures in the database (``subsidy_measure``); the seed's two
measures ship in ``talentmatch/data/subsidy_measures.json`` and nowhere else. This module
knows the shape of a measure, reads and writes its JSON form (the import/export format) and
checks a table: ``calculation.calculate()`` takes the table it applies as an argument.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from talentmatch.messages import MSG_REQUIRED, N_, FieldError, Msg

SEED_FILE = Path(__file__).resolve().parents[1] / "data" / "subsidy_measures.json"

# --- vocabulary ------------------------------------------------------------------------------

CATEGORY_LABELS: dict[str, str] = {
    "recruitment": N_("Recruitment costs"),
    "special_part_time_remuneration": N_("Remuneration of special part-time staff"),
    "outsourcing_fee": N_("Outsourcing fees"),
    "full_time_salary": N_("Salaries of full-time staff"),
    "fiscal_year_appointee_pay": N_("Pay of fiscal-year appointees"),
}
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_LABELS)

# Who a measure may name as eligible (DESIGN §2 body kinds).
BODY_KINDS: tuple[str, ...] = (
    "city", "designated_city", "special_ward", "town", "village", "prefecture",
)
# What a cap limits: the eligible cost, or the grant itself (per body and fiscal year).
CAP_OF: dict[str, str] = {
    "cost": N_("eligible cost per body and fiscal year"),
    "grant": N_("grant per body and fiscal year"),
}
STATES = ("draft", "published", "superseded")
FY_MIN, FY_MAX = 2000, 2100

ERR_KEY = N_("Use 1–40 lowercase letters, digits and underscores, starting with a letter.")
ERR_RATE = N_("Enter the rate as a fraction between 0 and 1, such as 1/2 or 0.5.")
ERR_CAP = N_("Enter the cap as a whole number of yen (0 or more), or leave it empty.")
ERR_CAP_OF = N_("Say what the cap limits: cost or grant.")
ERR_FY = N_("Enter a fiscal year such as 2026 (between 2000 and 2100).")
ERR_FY_ORDER = N_("The last fiscal year cannot be before the first.")
ERR_CATEGORY = N_("Use lowercase letters, digits and underscores for each cost category.")
ERR_BODY_KIND = N_("'%(value)s' is not a kind of body (city, designated_city, special_ward, town, village, prefecture).")
ERR_URL = N_("Enter an address starting with http:// or https://.")
ERR_NOT_OBJECT = N_("Each measure must be a JSON object.")
ERR_TOO_LONG = N_("Enter at most %(max)s characters.")

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


# --- the measure -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    name_ja: str
    name_en: str
    categories: tuple[str, ...]
    rate: Fraction | Decimal | int
    cap: int | None  # per body and fiscal year; None: no cap
    first_fy: int
    last_fy: int
    eligible_kinds: tuple[str, ...]
    cap_of: str = "cost"  # what the cap limits: "cost" or "grant"
    source: str = ""
    source_url: str | None = None
    version: int = 1

    def __post_init__(self) -> None:
        # Floats would make the yen figures depend on binary rounding.
        if isinstance(self.rate, bool | float) or not isinstance(
            self.rate, Fraction | Decimal | int
        ):
            raise TypeError(f"measure {self.key}: rate must be a Fraction, Decimal or int")
        if not 0 <= self.rate <= 1:
            raise ValueError(f"measure {self.key}: rate must be between 0 and 1")
        if self.cap is not None and (isinstance(self.cap, bool) or self.cap < 0):
            raise ValueError(f"measure {self.key}: cap must be None or a non-negative int")
        if self.cap_of not in CAP_OF:
            raise ValueError(f"measure {self.key}: cap_of must be cost or grant")
        if self.first_fy > self.last_fy:
            raise ValueError(f"measure {self.key}: first_fy is after last_fy")

    @property
    def exact_rate(self) -> Fraction:
        return Fraction(self.rate)

    def name(self, lang: str) -> str:
        return self.name_ja if lang == "ja" else (self.name_en or self.name_ja)

    def covers_year(self, fy: int) -> bool:
        return self.first_fy <= fy <= self.last_fy

    def to_json(self) -> dict[str, Any]:
        """The import/export form (``flask subsidy measures export``)."""
        r = self.exact_rate
        return {
            "key": self.key,
            "version": self.version,
            "name_ja": self.name_ja,
            "name_en": self.name_en,
            "categories": list(self.categories),
            "rate": f"{r.numerator}/{r.denominator}",
            "cap": self.cap,
            "cap_of": self.cap_of if self.cap is not None else None,
            "first_fy": self.first_fy,
            "last_fy": self.last_fy,
            "body_kinds": list(self.eligible_kinds),
            "source": self.source,
            "source_url": self.source_url,
        }


def overlaps(a: Measure, b: Measure) -> bool:
    """Whether two measures could both claim one cost: a shared category, body kind and year."""
    return bool(
        set(a.categories) & set(b.categories)
        and set(a.eligible_kinds) & set(b.eligible_kinds)
        and a.first_fy <= b.last_fy
        and b.first_fy <= a.last_fy
    )


def check_measures(measures: Sequence[Measure]) -> None:
    """Refuse a table where two rows could both claim one cost: the result would be ambiguous."""
    keys = [m.key for m in measures]
    if len(set(keys)) != len(keys):
        raise ValueError("measure keys must be unique")
    for i, a in enumerate(measures):
        for b in measures[i + 1 :]:
            if overlaps(a, b):
                raise ValueError(f"measures {a.key} and {b.key} overlap")


def accepted_categories(measures: Sequence[Measure]) -> tuple[str, ...]:
    """The known categories plus any a newer measure introduces."""
    extra = [c for m in measures for c in m.categories if c not in CATEGORY_LABELS]
    return CATEGORIES + tuple(dict.fromkeys(extra))


def covered_fiscal_years(measures: Sequence[Measure]) -> list[int]:
    return sorted({fy for m in measures for fy in range(m.first_fy, m.last_fy + 1)})


def measures_for_year(measures: Iterable[Measure], fy: int) -> list[Measure]:
    return [m for m in measures if m.covers_year(fy)]


def format_rate(rate: Fraction) -> str:
    """0.5 as the seed writes it; a rate without a finite decimal stays a fraction (1/3)."""
    den = rate.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return f"{rate.numerator}/{rate.denominator}"
    return format(Decimal(rate.numerator) / Decimal(rate.denominator), "f")


# --- reading the JSON form (import file, seed file, the ministry's form) ---------------------


def _text(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def _plain(value: object) -> str:
    # Names and sources keep their full-width punctuation as the ministry writes it.
    return str(value).strip() if value is not None else ""


def parse_rate(value: object) -> Fraction | None:
    """"1/2", "0.5", "１／２" or 0.5 as written; None when it is not a rate in [0, 1]."""
    if isinstance(value, bool) or value is None:
        return None
    text = _text(value).replace("／", "/")
    try:
        if "/" in text:
            num, den = (int(p.strip()) for p in text.split("/", 1))
            rate = Fraction(num, den)
        else:
            rate = Fraction(Decimal(text))
    except (ValueError, ZeroDivisionError, ArithmeticError):
        return None
    return rate if 0 <= rate <= 1 else None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = _text(value).replace(",", "")
    return int(text) if re.fullmatch(r"-?[0-9]+", text) else None


def _list(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        items = [_text(v) for v in value]
    else:
        items = [_text(v) for v in re.split(r"[,、;\s]+", _text(value))]
    return [i for i in dict.fromkeys(items) if i]


def parse_measure(
    obj: object, *, prefix: str = "", version: int = 1
) -> tuple[Measure | None, list[FieldError]]:
    """A measure from its JSON/form form, or the errors naming each bad field
    (``prefix`` such as "measures[2]." for an import file)."""
    errors: list[FieldError] = []

    def err(field: str, msgid: str, **params: Any) -> None:
        errors.append(FieldError(prefix + field, Msg(msgid, params)))

    if not isinstance(obj, Mapping):
        return None, [FieldError(prefix.rstrip(".") or "measure", Msg(ERR_NOT_OBJECT))]
    key = _text(obj.get("key"))
    if not key:
        err("key", MSG_REQUIRED)
    elif not KEY_RE.match(key):
        err("key", ERR_KEY)
    names = {}
    for f in ("name_ja", "name_en"):
        names[f] = _plain(obj.get(f))
        if len(names[f]) > 200:
            err(f, ERR_TOO_LONG, max=200)
    if not names["name_ja"]:
        err("name_ja", MSG_REQUIRED)
    categories = _list(obj.get("categories"))
    if not categories:
        err("categories", MSG_REQUIRED)
    elif any(not KEY_RE.match(c) for c in categories):
        err("categories", ERR_CATEGORY)
    rate = parse_rate(obj.get("rate"))
    if rate is None:
        err("rate", MSG_REQUIRED if _text(obj.get("rate")) == "" else ERR_RATE)
    raw_cap = obj.get("cap")
    cap = None
    if raw_cap is not None and _text(raw_cap) != "":
        cap = _int(raw_cap)
        if cap is None or cap < 0 or cap > 10**12:
            err("cap", ERR_CAP)
            cap = None
    cap_of = _text(obj.get("cap_of")) or "cost"
    if cap_of not in CAP_OF:
        err("cap_of", ERR_CAP_OF)
    fys = {}
    for f in ("first_fy", "last_fy"):
        raw = obj.get(f)
        fys[f] = _int(raw)
        if raw is None or _text(raw) == "":
            err(f, MSG_REQUIRED)
        elif fys[f] is None or not FY_MIN <= fys[f] <= FY_MAX:
            err(f, ERR_FY)
            fys[f] = None
    if fys["first_fy"] is not None and fys["last_fy"] is not None and (
        fys["last_fy"] < fys["first_fy"]
    ):
        err("last_fy", ERR_FY_ORDER)
    kinds = _list(obj.get("body_kinds"))
    if not kinds:
        err("body_kinds", MSG_REQUIRED)
    for k in kinds:
        if k not in BODY_KINDS:
            err("body_kinds", ERR_BODY_KIND, value=k)
            break
    source = _plain(obj.get("source"))
    if len(source) > 4000:
        err("source", ERR_TOO_LONG, max=4000)
    url = _text(obj.get("source_url")) or None
    if url is not None and (not re.match(r"^https?://\S+$", url) or len(url) > 500):
        err("source_url", ERR_URL)
    if errors:
        return None, errors
    assert rate is not None and fys["first_fy"] is not None and fys["last_fy"] is not None
    return Measure(
        key=key,
        name_ja=names["name_ja"],
        name_en=names["name_en"],
        categories=tuple(categories),
        rate=rate,
        cap=cap,
        cap_of=cap_of,
        first_fy=fys["first_fy"],
        last_fy=fys["last_fy"],
        eligible_kinds=tuple(kinds),
        source=source,
        source_url=url,
        version=version,
    ), []


def parse_measures(data: object) -> tuple[list[Measure], list[FieldError]]:
    """A list of measures (an import file's JSON), all or the errors of every bad one."""
    if not isinstance(data, list):
        return [], [FieldError("measures", Msg(N_("The file must hold a JSON list of measures.")))]
    out: list[Measure] = []
    errors: list[FieldError] = []
    seen: set[str] = set()
    for i, obj in enumerate(data):
        m, errs = parse_measure(obj, prefix=f"measures[{i}].")
        errors.extend(errs)
        if m is not None:
            if m.key in seen:
                errors.append(FieldError(f"measures[{i}].key",
                                         Msg(N_("The key %(key)s is used twice in the file."),
                                             {"key": m.key})))
            seen.add(m.key)
            out.append(m)
    return (out, []) if not errors else ([], errors)


def seed_measures() -> tuple[Measure, ...]:
    """The measures shipped with TalentMatch (the seed's two), from the data file."""
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    measures, errors = parse_measures(data)
    if errors:
        raise ValueError(f"{SEED_FILE}: {[(e.field, str(e.message)) for e in errors]}")
    return tuple(measures)
