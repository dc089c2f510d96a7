"""PURE: schema.org JobPosting markup for a posting page (DESIGN.md §8).

Job search engines read this to list the opening; everything in it is also visible on the
page. Closed postings get no markup at all.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from talentmatch.clock import TOKYO
from talentmatch.publication.present import SCHEMA_EMPLOYMENT, SCHEMA_UNIT


def job_posting(
    *,
    url: str,
    posting_id: int,
    title: str,
    description: str,
    date_posted: datetime | date,
    organization: str,
    prefecture: str,
    municipality: str,
    deadline: date | None,
    employment_type: str | None,
    compensation_amount: int | None,
    compensation_unit: str | None,
    remote: str | None,
    hours: str = "",
) -> dict[str, Any]:
    posted = date_posted.astimezone(TOKYO).date() if isinstance(date_posted, datetime) else date_posted
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": title,
        "description": description,
        "datePosted": posted.isoformat(),
        "hiringOrganization": {"@type": "GovernmentOrganization", "name": organization},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressRegion": prefecture,
                "addressLocality": municipality,
                "addressCountry": "JP",
            },
        },
        "identifier": {"@type": "PropertyValue", "name": "TalentMatch", "value": str(posting_id)},
        "url": url,
    }
    if deadline is not None:
        # The deadline is a Japanese calendar day: open until its end in Japan.
        data["validThrough"] = f"{deadline.isoformat()}T23:59:59+09:00"
    if employment_type in SCHEMA_EMPLOYMENT:
        data["employmentType"] = SCHEMA_EMPLOYMENT[employment_type]
    if compensation_amount is not None and compensation_unit in SCHEMA_UNIT:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": "JPY",
            "value": {
                "@type": "QuantitativeValue",
                "value": compensation_amount,
                "unitText": SCHEMA_UNIT[compensation_unit],
            },
        }
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
