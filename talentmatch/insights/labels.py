"""What each condition and value is called (msgids; translated where they are shown)."""

from __future__ import annotations

from talentmatch.messages import N_
from talentmatch.vocab import EMPLOYMENT_TYPES, REMOTE_OPTIONS

CONDITION_LABELS = {
    "remote": N_("Remote work"),
    "side_job": N_("Side job allowed"),
    "employment_type": N_("Employment form"),
    "pay_band": N_("Pay per day"),
    "days_per_month": N_("Days per month"),
    "deadline_window": N_("Days from publication to deadline"),
    "joint": N_("Joint appointment"),
    "channels": N_("Channels used"),
}
# The form field each condition is read from (where the form's advice appears).
CONDITION_FIELDS = {
    "remote": "remote", "side_job": "side_job_ok", "employment_type": "employment_type",
    "pay_band": "compensation_amount", "days_per_month": "days_per_month",
    "deadline_window": "deadline", "joint": "joint_wish", "channels": "publication_channels",
}
VALUE_LABELS: dict[str, dict[str, str]] = {
    "remote": {c.value: c.label for c in REMOTE_OPTIONS},
    "side_job": {"yes": N_("Side jobs allowed"), "no": N_("Side jobs not allowed")},
    "employment_type": {c.value: c.label for c in EMPLOYMENT_TYPES},
    "pay_band": {
        "under_20000": N_("under 20,000 yen"), "20000_29999": N_("20,000–29,999 yen"),
        "30000_49999": N_("30,000–49,999 yen"), "50000_plus": N_("50,000 yen or more"),
    },
    "days_per_month": {
        "1_4": N_("1–4 days"), "5_8": N_("5–8 days"), "9_15": N_("9–15 days"),
        "16_plus": N_("16 days or more"),
    },
    "deadline_window": {
        "under_21": N_("under 3 weeks"), "21_41": N_("3–5 weeks"), "42_plus": N_("6 weeks or more"),
    },
    "joint": {"yes": N_("Joint appointment by several municipalities"), "no": N_("Single municipality")},
    "channels": {
        "own_website_only": N_("Own website only"), "job_sites": N_("Including private job sites"),
        "other_channels": N_("Other channels, without job sites"),
    },
}
MSG_SUPPRESSED = N_("Hidden because the number is small")
STAGE_LABELS = {
    "views": N_("Page views"), "mailed": N_("Subscribers mailed"),
    "applications": N_("Applications"), "interviews": N_("Interviews"),
    "appointments": N_("Appointments"),
}
