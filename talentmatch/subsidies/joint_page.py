"""The joint cost split form: its choices, reading it, and errors back onto its fields."""

from __future__ import annotations

import re

from flask import request
from flask_babel import gettext as _

from talentmatch.accounts.permissions import is_municipality
from talentmatch.extensions import db
from talentmatch.geo import services as geo
from talentmatch.geo.models import Prefecture
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.subsidies import importing, services, validation
from talentmatch.subsidies.forms import JointForm, category_choices, fiscal_year_choices
from talentmatch.web import tr

ERR_NO_LINES = N_("Enter at least one cost of the joint appointment.")
ERR_PARTICIPANT_REQUIRED = N_("Choose the participant for this share.")
ERR_SHARE_REQUIRED = N_("Enter this participant's share.")


class JointPage:
    def __init__(self, form: JointForm, user, lang: str) -> None:
        self.form = form
        self.user = user
        self.lang = lang
        self.parts: list[services.ParticipantPart] = []
        self.total_lines: list[dict] = []
        self.general: list[str] = []
        self.summary: list[tuple[str, str, str]] = []  # (field id, label, message)
        self.own_code = user.municipality_code if is_municipality(user) else None
        pref_code = user.org_prefecture_code
        choices = [("", "—")]
        pref = db.session.get(Prefecture, pref_code) if pref_code else None
        if pref is not None:
            choices.append((pref.lg_code, f"{pref.name} ({pref.lg_code})"))
            choices += [(m.code, f"{m.name} ({m.code})") for m in geo.municipalities_of(pref.code)]
        fy_choices = fiscal_year_choices(lang)
        cats = category_choices(_)
        for entry in form.lines:
            entry.fiscal_year.choices = fy_choices
            entry.category.choices = cats
        for entry in form.participants:
            entry.municipality_code.choices = choices
        if request.method == "GET" and self.own_code:
            form.participants[0].municipality_code.data = self.own_code

    @property
    def errors(self) -> bool:
        return bool(self.general or self.summary)

    @property
    def own_part(self) -> services.ParticipantPart | None:
        return next((p for p in self.parts if p.code == self.own_code), None)

    def _error(self, field, message: str) -> None:
        field.errors = list(field.errors or []) + [message]
        self.summary.append((field.id, str(field.label.text), message))

    def compute(self) -> None:
        line_entries = []  # (position in the payload → form entry)
        for entry in self.form.lines:
            values = {k: (entry[k].data or "") for k in ("date", "fiscal_year", "amount", "note")}
            if not any(str(v).strip() for v in values.values()):
                continue
            values["category"] = entry.category.data or ""
            parsed, errors = importing.validate_row(values)
            for err in errors:
                self._error(entry[err.field], tr(err.message))
            if parsed is None:
                continue
            line = {"id": str(len(line_entries) + 1), "category": parsed.category,
                    "amount": parsed.amount, "note": parsed.note}
            if parsed.date is not None:
                line["date"] = parsed.date.isoformat()
            else:
                line["fiscal_year"] = parsed.fiscal_year
            self.total_lines.append(line)
            line_entries.append(entry)
        if not line_entries and not self.summary:
            self.general.append(_(ERR_NO_LINES))

        shares: dict[str, str] = {}
        share_entries = {}
        for entry in self.form.participants:
            code, share = entry.municipality_code.data or "", (entry.share.data or "").strip()
            if not code and not share:
                continue
            if not code:
                self._error(entry.municipality_code, _(ERR_PARTICIPANT_REQUIRED))
            elif not share:
                self._error(entry.share, _(ERR_SHARE_REQUIRED))
            elif code in shares:
                self._error(entry.municipality_code, _(services.ERR_PARTICIPANT_DUPLICATE))
            else:
                shares[code] = share
                share_entries[code] = entry
        if self.errors:
            return
        try:
            self.parts = services.joint_split(self.total_lines, shares, lang=self.lang)
        except validation.InvalidInput as exc:
            self._map(exc.errors, line_entries, share_entries)

    def _map(self, errors: list[FieldError], line_entries, share_entries) -> None:
        t = services.gettext_for(self.lang)
        for err in errors:
            text = err.message.render(t) if isinstance(err.message, Msg) else str(err.message)
            m = re.fullmatch(r"lines\[(\d+)\]\.(\w+)", err.field)
            s = re.fullmatch(r"shares\.(.+)", err.field)
            if m and int(m[1]) < len(line_entries):
                entry = line_entries[int(m[1])]
                name = m[2] if m[2] in ("date", "fiscal_year", "category", "amount") else "amount"
                self._error(entry[name], text)
            elif s and s[1] in share_entries:
                self._error(share_entries[s[1]].share, text)
            else:
                self.general.append(text)
