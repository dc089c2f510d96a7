"""PURE: the fields of the standard recruitment template and their sections.

A data table: one definition per field (label, help, type, limits and its choices), read by the
web form, the import, the API and the public pages. The choices themselves, with the Japanese
spellings imports accept, are the service's vocabulary (``talentmatch.vocab``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from talentmatch.messages import N_
from talentmatch.vocab import (
    COMPENSATION_UNITS,
    DX_POLICY_STATUSES,
    EMPLOYMENT_TYPES,
    FOCUS_AREAS,
    JOINT_WISHES,
    PUBLICATION_CHANNELS,
    REMOTE_OPTIONS,
    ROLE_TYPES,
    Choice,
)

FieldType = Literal[
    "text",
    "longtext",
    "choice",
    "multichoice",
    "tags",
    "int",
    "number",
    "date",
    "email",
    "url_or_text",
    "phone",
    "bool",
    "code",
]


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # msgid
    help: str  # msgid
    type: FieldType
    section: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None  # characters; for tags: per item
    max_items: int | None = None  # tags and multichoice


@dataclass(frozen=True)
class Section:
    key: str
    label: str  # msgid
    fields: tuple[str, ...]


# Limits: a title fits a listing line; long texts stay readable and bounded for storage.
TITLE_MAX = 100
LONG_TEXT_MAX = 4000
TEXT_MAX = 200
TAG_MAX = 100
TAGS_MAX_ITEMS = 30


def _f(key: str, label: str, help: str, type: FieldType, section: str, **kw: object) -> Field:
    if type in ("text", "url_or_text") and "max_length" not in kw:
        kw["max_length"] = TEXT_MAX
    if type == "longtext" and "max_length" not in kw:
        kw["max_length"] = LONG_TEXT_MAX
    if type == "tags":
        kw.setdefault("max_length", TAG_MAX)
        kw.setdefault("max_items", TAGS_MAX_ITEMS)
    return Field(key, label, help, type, section, **kw)  # type: ignore[arg-type]


FIELDS: tuple[Field, ...] = (
    # 団体
    _f(
        "municipality_code",
        N_("Municipality code"),
        N_(
            "The 6-digit local government code, check digit included (joint postings: the lead municipality)."
        ),
        "code",
        "organization",
        required=True,
        max_length=6,
    ),
    # 役職と業務
    _f(
        "title",
        N_("Position title"),
        N_("For example CIO adviser or DX promotion adviser."),
        "text",
        "role",
        required=True,
        max_length=TITLE_MAX,
    ),
    _f(
        "role_type",
        N_("Type of talent"),
        N_(
            "MIC's skill standard for external talent: producer, project manager or service designer."
        ),
        "choice",
        "role",
        choices=ROLE_TYPES,
    ),
    _f(
        "employment_type",
        N_("Type of appointment"),
        N_(
            "Full-time, special part-time, fiscal-year appointee, an outsourcing contract, "
            "fixed-term staff or a company's employee placed with you (secondment)."
        ),
        "choice",
        "role",
        required=True,
        choices=EMPLOYMENT_TYPES,
    ),
    _f(
        "joint_wish",
        N_("Joint appointment"),
        N_("Whether you would share this person with other municipalities."),
        "choice",
        "role",
        required=True,
        choices=JOINT_WISHES,
    ),
    _f(
        "focus_areas",
        N_("Focus areas"),
        N_("The priorities of your DX plan this person will work on."),
        "multichoice",
        "role",
        required=True,
        choices=FOCUS_AREAS,
        max_items=len(FOCUS_AREAS),
    ),
    _f(
        "duties",
        N_("Duties"),
        N_("What the person will do, and with whom."),
        "longtext",
        "role",
        required=True,
    ),
    # 求める人材
    _f(
        "required_experience",
        N_("Experience sought"),
        N_("Describe the experience you need, e.g. leading business reform using ICT."),
        "longtext",
        "talent",
        required=True,
    ),
    _f(
        "required_skills",
        N_("Required skills"),
        N_("Separate skills with commas or semicolons."),
        "tags",
        "talent",
    ),
    _f(
        "preferred_skills",
        N_("Preferred skills"),
        N_("Separate skills with commas or semicolons."),
        "tags",
        "talent",
    ),
    _f(
        "preferred_qualifications",
        N_("Preferred qualifications"),
        N_("Qualifications that are welcome but not mandatory."),
        "tags",
        "talent",
    ),
    # 勤務条件
    _f(
        "days_per_month",
        N_("Days per month"),
        N_("Between 0.5 and 31 days."),
        "number",
        "conditions",
        required=True,
    ),
    _f(
        "hours_note",
        N_("Working hours"),
        N_("For example 9:00–17:45, flexible."),
        "text",
        "conditions",
    ),
    _f(
        "remote",
        N_("Remote work"),
        N_("Whether the work can be done remotely."),
        "choice",
        "conditions",
        required=True,
        choices=REMOTE_OPTIONS,
    ),
    _f(
        "work_location",
        N_("Place of work"),
        N_("The office or area where the person works."),
        "text",
        "conditions",
    ),
    _f(
        "side_job_ok",
        N_("Side job allowed"),
        N_("Whether the person may keep another job (副業・兼業)."),
        "bool",
        "conditions",
    ),
    # 報酬と期間
    _f(
        "compensation_amount",
        N_("Compensation (yen)"),
        N_("A whole amount in yen, e.g. 300,000."),
        "int",
        "pay",
        required=True,
    ),
    _f(
        "compensation_unit",
        N_("Compensation per"),
        N_("Hour, day, month, year or the whole contract."),
        "choice",
        "pay",
        required=True,
        choices=COMPENSATION_UNITS,
    ),
    _f(
        "expenses_note",
        N_("Travel and other expenses"),
        N_("How travel costs are paid."),
        "longtext",
        "pay",
        max_length=1000,
    ),
    _f(
        "period_start",
        N_("Period start"),
        N_("First day of the appointment."),
        "date",
        "pay",
        required=True,
    ),
    _f(
        "period_end",
        N_("Period end"),
        N_("Last day of the appointment."),
        "date",
        "pay",
        required=True,
    ),
    # 応募
    _f(
        "deadline",
        N_("Application deadline"),
        N_("At least three weeks away works best."),
        "date",
        "apply",
        required=True,
    ),
    _f(
        "selection_process",
        N_("Selection process"),
        N_("For example documents, then an interview."),
        "longtext",
        "apply",
        max_length=2000,
    ),
    _f(
        "how_to_apply",
        N_("How to apply"),
        N_("Describe how to apply, or give an http:// or https:// link."),
        "url_or_text",
        "apply",
        required=True,
        max_length=1000,
    ),
    _f(
        "contact_department",
        N_("Contact department"),
        N_("The department that answers questions."),
        "text",
        "apply",
        required=True,
    ),
    _f(
        "contact_email",
        N_("Contact email"),
        N_("An address applicants can write to."),
        "email",
        "apply",
        required=True,
        max_length=254,
    ),
    _f(
        "contact_phone",
        N_("Contact phone"),
        N_("For example 03-1234-5678."),
        "phone",
        "apply",
        max_length=40,
    ),
    _f(
        "publication_channels",
        N_("Where you will publish"),
        N_("Private job sites reach many more applicants than your own website alone."),
        "multichoice",
        "apply",
        choices=PUBLICATION_CHANNELS,
        max_items=len(PUBLICATION_CHANNELS),
    ),
    # 団体のDX推進状況
    _f(
        "dx_policy_status",
        N_("DX policy"),
        N_("Whether your municipality has adopted an overall DX policy."),
        "choice",
        "dx",
        choices=DX_POLICY_STATUSES,
    ),
    _f(
        "dx_organization",
        N_("DX organisation"),
        N_("How DX is organised, e.g. a DX promotion headquarters chaired by the mayor."),
        "longtext",
        "dx",
        max_length=1000,
    ),
    _f(
        "cio_title",
        N_("CIO's position"),
        N_("Who serves as CIO, e.g. deputy mayor."),
        "text",
        "dx",
        max_length=TITLE_MAX,
    ),
    # PR / English
    _f(
        "pr_text",
        N_("Message to applicants"),
        N_("What makes this role and your municipality attractive."),
        "longtext",
        "pr",
    ),
    _f(
        "title_en",
        N_("Title in English"),
        N_("Shown to readers of the English pages."),
        "text",
        "pr",
        max_length=150,
    ),
    _f(
        "summary_en",
        N_("Summary in English"),
        N_("A short English description of the role."),
        "longtext",
        "pr",
        max_length=2000,
    ),
)

FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
REQUIRED_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.required)
CHOICES: dict[str, tuple[Choice, ...]] = {f.key: f.choices for f in FIELDS if f.choices}
_CHOICE_LABELS: dict[str, dict[str, str]] = {
    key: {c.value: c.label for c in choices} for key, choices in CHOICES.items()
}


def choice_label(key: str, value: object) -> str:
    """The msgid labelling a value of a choice field ('' for none, the value if unknown)."""
    if value in (None, ""):
        return ""
    return _CHOICE_LABELS.get(key, {}).get(str(value), str(value))

SECTIONS: tuple[Section, ...] = tuple(
    Section(key, label, tuple(f.key for f in FIELDS if f.section == key))
    for key, label in (
        ("organization", N_("Municipality")),
        ("role", N_("Position and duties")),
        ("talent", N_("Who you are looking for")),
        ("conditions", N_("Working conditions")),
        ("pay", N_("Compensation and period")),
        ("apply", N_("Applications")),
        ("dx", N_("Your municipality's DX")),
        ("pr", N_("PR and English")),
    )
)
