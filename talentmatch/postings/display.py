"""How a posting reads on the staff screens: field values with their labels, the state as a
badge, and where the posting is in the relay (municipality → prefecture → MIC → public)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from talentmatch.clock import today_jst
from talentmatch.postings import wording, workflow
from talentmatch.postings.market import market_for
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.services import revision_values
from talentmatch.postings.template import advice, cleaners, fields
from talentmatch.web import tr

STATE_BADGES = {
    "draft": "",
    "submitted": "blue",
    "returned": "yellow",
    "relayed": "blue",
    "published": "green",
    "closed": "",
    "withdrawn": "",
    "superseded": "",
}
# The relay as four steps; each state sits at one of them.
RELAY_STEPS = (
    ("municipality", _l("Municipality")),
    ("prefecture", _l("Prefecture")),
    ("ministry", _l("MIC")),
    ("public", _l("Published")),
)
STEP_OF_STATE = {
    "draft": 0,
    "returned": 0,
    "submitted": 1,
    "relayed": 2,
    "published": 3,
    "closed": 3,
}
HOLDERS = {
    "draft": _l("Your municipality"),
    "returned": _l("Your municipality"),
    "submitted": _l("The prefecture"),
    "relayed": _l("MIC"),
    "published": _l("Public"),
}
ADVICE_LABELS = {
    "experience_wording": _l("Wording of the experience sought"),
    "scarce_qualification_required": _l("Scarce qualification required"),
    "deadline_soon": _l("Short deadline"),
    "deadline_passed": _l("Deadline passed"),
    "compensation_missing": _l("No compensation"),
    "compensation_unit_missing": _l("Compensation without its unit"),
    "side_job_not_allowed": _l("Side job not allowed"),
    "own_website_only": _l("Own website only"),
}


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    kind: str  # text, longtext, list, date, money, days, link, choice
    value: object
    extra: object = None


def state_label(state: str) -> str:
    return _(workflow.STATE_LABELS.get(state, state))


def holder(state: str) -> str:
    """Who has to act next, in a word."""
    label = HOLDERS.get(state)
    return str(label) if label is not None else "—"


def labels_context() -> dict:
    """Labels and helpers every posting list and page uses."""
    return {
        "state_label": state_label,
        "badges": STATE_BADGES,
        "holder": holder,
        "role_labels": workflow.ROLE_LABELS,
        "close_reason_labels": workflow.CLOSE_REASON_LABELS,
        "action_labels": workflow.ACTION_LABELS,
        "advice_labels": ADVICE_LABELS,
    }


def items_of(rev: PostingRevision) -> list[tuple[str, list[Item]]]:
    """Sections of filled-in fields, in the template's order."""
    sections: list[tuple[str, list[Item]]] = []
    for section in fields.SECTIONS:
        items: list[Item] = []
        for key in section.fields:
            field = fields.FIELDS_BY_KEY[key]
            value = getattr(rev, key)
            if key == "compensation_unit" and rev.compensation_amount is not None:
                continue  # shown with the amount
            if value is None or value == "" or value == []:
                continue
            label = _(field.label)
            if key in wording.PERIOD_LABELS:
                label = _(wording.period_label(key, rev.employment_type))
            if key == "municipality_code":
                name = rev.municipality.full_name if rev.municipality else value
                items.append(Item(key, _("Municipality"), "text", f"{name} ({value})"))
            elif key == "compensation_amount":
                unit = _(fields.choice_label("compensation_unit", rev.compensation_unit)) \
                    if rev.compensation_unit else ""
                items.append(Item(key, _(wording.pay_label(rev.employment_type)), "money", value, unit))
            elif field.type == "choice":
                items.append(Item(key, label, "text", _(fields.choice_label(key, value))))
            elif field.type == "multichoice":
                items.append(Item(key, label, "list", [_(fields.choice_label(key, v)) for v in value]))
            elif field.type == "tags":
                items.append(Item(key, label, "list", list(value)))
            elif field.type == "bool":
                items.append(Item(key, label, "text", _("Yes") if value else _("No")))
            elif field.type == "date":
                items.append(Item(key, label, "date", value))
            elif field.type == "number":
                days = int(value) if float(value).is_integer() else value
                items.append(Item(key, label, "days", days))
            elif field.type == "url_or_text" and cleaners.is_url(value):
                items.append(Item(key, label, "link", value))
            elif field.type == "longtext":
                items.append(Item(key, label, "longtext", value))
            else:
                items.append(Item(key, label, "text", value))
        if items:
            sections.append((_(section.label), items))
    return sections


def advice_messages(rev: PostingRevision, today) -> list[str]:
    values = revision_values(rev)
    market = market_for(values, exclude_posting_id=rev.posting_id)
    return [tr(a.message) for a in advice.advice(values, today=today, market=market)]


def changed_fields(rev: PostingRevision, public: PostingRevision | None) -> list[str]:
    """Labels of the fields a revision in review changes, compared with the published one."""
    if public is None or public.id == rev.id:
        return []
    return [_(f.label) for f in fields.FIELDS if getattr(rev, f.key) != getattr(public, f.key)]


def posting_context(posting: Posting, rev: PostingRevision, events: list) -> dict:
    """What the posting pages of staff need, whichever role is looking."""
    public = posting.published_revision
    return {
        "posting": posting,
        "rev": rev,
        "public": public,
        "pending": rev if public is not None and public.id != rev.id else None,
        "changed": changed_fields(rev, public),
        "sections": items_of(rev),
        "advice": advice_messages(rev, today_jst()),
        "events": events,
        "steps": RELAY_STEPS,
        "step_of": STEP_OF_STATE,
        **labels_context(),
    }
