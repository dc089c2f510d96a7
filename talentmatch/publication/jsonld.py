"""PURE: schema.org JobPosting markup for a posting page (DESIGN.md §8).

Job search engines read this to list the opening; everything in it is also visible on the
page. Closed postings get no markup at all. A joint posting names every participating
municipality as hiring organisation and place of work; the description is the page's
sections as HTML (what job sites show); professionals apply on the page itself
(`directApply`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import Any

from talentmatch.clock import TOKYO
from talentmatch.publication.present import SCHEMA_EMPLOYMENT, SCHEMA_UNIT


@dataclass(frozen=True)
class Body:
    """A hiring municipality: its name as the page shows it (北海道 札幌市), prefecture and
    municipality (for the address)."""

    organization: str
    prefecture: str
    municipality: str


def _one_or_list(items: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]]:
    return items[0] if len(items) == 1 else items


def description_html(sections: Sequence[tuple[str, Sequence[tuple[str, object]]]]) -> str:
    """The page's sections as HTML: a heading per section, a term and its text per field
    (line breaks kept, lists as lists). Every value is escaped."""

    def text(value: object) -> str:
        if isinstance(value, list | tuple):
            return "<ul>" + "".join(f"<li>{escape(str(v))}</li>" for v in value) + "</ul>"
        return escape(str(value)).replace("\r\n", "\n").replace("\n", "<br>")

    out = []
    for label, items in sections:
        out.append(f"<h2>{escape(label)}</h2><dl>")
        out.extend(f"<dt>{escape(name)}</dt><dd>{text(value)}</dd>" for name, value in items)
        out.append("</dl>")
    return "".join(out)


def job_posting(
    *,
    url: str,
    posting_id: int,
    title: str,
    description: str,
    date_posted: datetime | date,
    bodies: Sequence[Body],
    deadline: date | None,
    employment_type: str | None,
    compensation_amount: int | None,
    compensation_unit: str | None,
    compensation_label: str = "",
    remote: str | None,
    hours: str = "",
    direct_apply: bool = True,
) -> dict[str, Any]:
    posted = date_posted.astimezone(TOKYO).date() if isinstance(date_posted, datetime) else date_posted
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": title,
        "description": description,
        "datePosted": posted.isoformat(),
        "hiringOrganization": _one_or_list([
            {"@type": "GovernmentOrganization", "name": b.organization} for b in bodies]),
        "jobLocation": _one_or_list([{
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressRegion": b.prefecture,
                "addressLocality": b.municipality,
                "addressCountry": "JP",
            },
        } for b in bodies]),
        "identifier": {"@type": "PropertyValue", "name": "TalentMatch", "value": str(posting_id)},
        "directApply": direct_apply,
        "url": url,
    }
    if deadline is not None:
        # The deadline is a Japanese calendar day: open until its end in Japan.
        data["validThrough"] = f"{deadline.isoformat()}T23:59:59+09:00"
    if employment_type in SCHEMA_EMPLOYMENT:
        data["employmentType"] = SCHEMA_EMPLOYMENT[employment_type]
    if compensation_amount is not None:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "value": compensation_amount}
        if compensation_unit in SCHEMA_UNIT:
            value["unitText"] = SCHEMA_UNIT[compensation_unit]
        elif compensation_label:
            # A whole-contract amount (業務委託 一式) has no schema.org unit: the page's words.
            value["description"] = compensation_label
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "JPY", "value": value}
    if remote == "full":
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": "JP"}
    if hours:
        data["workHours"] = hours
    return data


_HTML_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def dumps_for_html(data: Any) -> str:
    """JSON for a <script type="application/ld+json"> element: the characters that could
    end the element or start markup only ever occur inside JSON strings, where their
    \\u escapes mean the same thing."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in _HTML_UNSAFE.items():
        text = text.replace(ch, esc)
    return text
