"""Listing and home page pieces built in Python: posting cards and the filter form's options.

They are rendered many times per page (20 cards, 80 options), so each label is translated
once per page and numbers are formatted without a Babel call per number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _

from talentmatch.i18n import current_lang, local_date
from talentmatch.messages import N_
from talentmatch.postings import wording
from talentmatch.postings.template.fields import CHOICES, choice_label
from talentmatch.publication import pages
from talentmatch.publication.filters import ListingFilters
from talentmatch.publication.search import Entry


def n(value: int | float | None) -> str:
    """1,234 — the same grouping in Japanese and English."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"


def yen(amount: int, lang: str) -> str:
    """As i18n.yen: '300,000円' in Japanese, '¥300,000' in English."""
    return f"{amount:,}円" if lang == "ja" else f"¥{amount:,}"


# (language, msgid) → text: catalogues are compiled before the process starts and never
# change while it runs, so a label is looked up once per process and language.
_LABELS: dict[tuple[str, str], str] = {}


class _Memo:
    """gettext once per msgid and language (a page has 20 cards and 80 options)."""

    def __init__(self) -> None:
        self._lang = current_lang()

    def __call__(self, msgid: str) -> str:
        key = (self._lang, msgid)
        text = _LABELS.get(key)
        if text is None:
            text = _LABELS[key] = _(msgid) if msgid else ""
        return text


@dataclass
class Card:
    url: str
    title: str
    place: str
    badges: list[tuple[str, str]] = field(default_factory=list)  # (css class, text)
    facts: list[tuple[str, str, str | None]] = field(default_factory=list)  # label, text, iso
    participants: list[str] = field(default_factory=list)  # a joint posting's municipalities


def cards(entries: Iterable[Entry]) -> list[Card]:
    t = _Memo()
    lang = current_lang()
    out = []
    for e in entries:
        rev = e.revision
        card = Card(url_for("publication.posting", posting_id=e.id), pages.display_title(e, lang),
                    pages.place_label(e, lang))
        card.badges = badges(rev, t)
        card.participants = [p["name"] or p["code"] for p in e.participants or []]
        if rev.compensation_amount is not None:
            unit = t(choice_label("compensation_unit", rev.compensation_unit))
            amount = yen(rev.compensation_amount, lang)
            text = f"{amount} {unit}" if lang == "en" else f"{unit} {amount}"
            card.facts.append((t(wording.pay_label(rev.employment_type)), text, None))
        if rev.days_per_month:
            card.facts.append((t(N_("Days per month")),
                               t(N_("%(days)s days")) % {"days": n(rev.days_per_month)}, None))
        if rev.deadline:
            card.facts.append((t(N_("Application deadline")), local_date(rev.deadline, lang=lang),
                               rev.deadline.isoformat()))
        out.append(card)
    return out


def badges(rev, t=_, closed: bool = False) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if closed:
        out.append(("red", t(N_("Closed"))))
    if rev.employment_type:
        out.append(("blue", t(choice_label("employment_type", rev.employment_type))))
    if rev.remote == "full":
        out.append(("green", t(N_("Fully remote work"))))
    elif rev.remote == "partial":
        out.append(("green", t(N_("Some remote work"))))
    if rev.side_job_ok:
        out.append(("", t(N_("Side job OK"))))
    if rev.joint_wish == "joint":
        out.append(("yellow", t(N_("Shared by several municipalities"))))
    elif rev.joint_wish == "wished":
        out.append(("", t(N_("Open to joint appointment"))))
    return out


@dataclass
class SelectField:
    name: str
    label: str
    any_label: str
    options: list[tuple[str, str, bool]]  # value, text with count, selected


def filter_selects(
    f: ListingFilters, counts: dict[str, dict[str, int]], prefectures: Sequence,
    municipalities: Sequence,
) -> list[SelectField]:
    """The filter form's drop-downs, each option with the count it would give."""
    t = _Memo()
    lang = current_lang()
    fields = [SelectField(
        "prefecture", t(N_("Prefecture")), t(N_("All prefectures")),
        [(p.code, f"{p.name_en if lang == 'en' else p.name} ({n(counts['prefecture'].get(p.code, 0))})",
          f.prefecture == p.code) for p in prefectures],
    )]
    if municipalities:
        fields.append(SelectField(
            "municipality", t(N_("Municipality")), t(N_("All municipalities")),
            [(m.code, f"{m.name} ({n(counts['municipality'].get(m.code, 0))})",
              f.municipality == m.code)
             for m in municipalities
             if counts["municipality"].get(m.code) or f.municipality == m.code],
        ))
    for key, name, label, any_label in (
        ("employment_type", "employment_type", N_("Type of appointment"),
         N_("Any type of appointment")),
        ("focus_areas", "focus_area", N_("Focus area"), N_("Any focus area")),
        ("remote", "remote", N_("Remote work"), N_("Any")),
    ):
        fields.append(SelectField(
            name, t(label), t(any_label),
            [(c.value, f"{t(c.label)} ({n(counts[name].get(c.value, 0))})",
              getattr(f, name) == c.value) for c in CHOICES[key]],
        ))
    return fields
