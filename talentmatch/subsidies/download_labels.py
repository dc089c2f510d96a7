"""PURE: the words a person reads in the estimate and dashboard downloads. The rows are built
with the JSON's field names and codes (so they match the API); a download turns the header
into column titles and the codes (row type, category, result, source) into words, in the
reader's language. A column or value not listed here is left as it is."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from talentmatch.messages import N_
from talentmatch.subsidies.measures import CATEGORY_LABELS

HEADER_LABELS: dict[str, str] = {
    "row_type": N_("Row type"),
    "municipality_code": N_("Municipality code"),
    "municipality_name": N_("Municipality name"),
    "code": N_("Code"),
    "name": N_("Name of the body"),
    "id": N_("Line number"),
    "fiscal_year": N_("Fiscal year"),
    "fiscal_year_label": N_("Fiscal year (Japanese era)"),
    "date": N_("Date"),
    "category": N_("Cost category"),
    "amount": N_("Amount (yen)"),
    "eligible_amount": N_("Eligible amount (yen)"),
    "grant": N_("Grant (yen)"),
    "reason": N_("Result"),
    "message": N_("Explanation"),
    "measure": N_("Measure"),
    "measure_version": N_("Version of the measure"),
    "source": N_("Source"),
    "note": N_("Note"),
    "municipalities_with_grant": N_("Municipalities with a grant"),
}
VALUE_LABELS: dict[str, dict[str, str]] = {
    "row_type": {
        "line": N_("Cost line"),
        "fiscal_year": N_("Fiscal year total"),
        "total": N_("Total"),
    },
    "category": CATEGORY_LABELS,
    "reason": {
        "eligible": N_("Eligible"),
        "capped": N_("Capped"),
        "out_of_period": N_("Out of period"),
        "category_not_covered": N_("Category not covered"),
        "body_not_covered": N_("Body not covered"),
    },
    "source": {
        "manual": N_("Entered"),
        "posting": N_("From a posting"),
        "appointment": N_("From an appointment"),
        "joint": N_("Joint appointment share"),
    },
}


def localise(rows: Sequence[Sequence[Any]], translate: Callable[[str], str]) -> list[list[Any]]:
    """``rows[0]`` names the columns by field; the same rows with words for a reader."""
    header = [str(h) for h in rows[0]]
    words = {i: VALUE_LABELS[key] for i, key in enumerate(header) if key in VALUE_LABELS}
    out: list[list[Any]] = [[translate(HEADER_LABELS[h]) if h in HEADER_LABELS else h for h in header]]
    for row in rows[1:]:
        cells = list(row)
        for i, labels in words.items():
            if i < len(cells) and isinstance(cells[i], str) and cells[i] in labels:
                cells[i] = translate(labels[cells[i]])
        out.append(cells)
    return out
