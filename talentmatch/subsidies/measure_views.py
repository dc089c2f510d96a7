"""The ministry's pages of the measures table (DESIGN §6): list, draft, edit, preview against
sample lines (nothing saved), publish (audited). Only ministry staff see them."""

from __future__ import annotations

import re
import unicodedata

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from talentmatch import signals
from talentmatch.accounts.models import MINISTRY
from talentmatch.accounts.permissions import NavItem, role_required
from talentmatch.i18n import current_lang
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.subsidies import measure_services as ms
from talentmatch.subsidies.calculation import calculate
from talentmatch.subsidies.measure_forms import MeasureForm, PreviewForm
from talentmatch.subsidies.measures import CAP_OF, CATEGORY_LABELS, format_rate
from talentmatch.subsidies.models import SubsidyMeasure
from talentmatch.subsidies.services import gettext_for, municipal_info
from talentmatch.subsidies.validation import InvalidInput
from talentmatch.vocab import KIND_LABELS
from talentmatch.wareki import fiscal_year_full_label
from talentmatch.web import apply_errors, tr

bp = Blueprint("measures", __name__, url_prefix="/subsidies/measures")

ERR_SAMPLE = N_("Line %(n)s: write a fiscal year or date, a category and an amount, separated by commas.")
STATE_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "superseded": _l("Superseded")}
MAX_SAMPLE_LINES = 50
MSG_AT_LINE = N_("Line %(n)s: %(message)s")


def _row_or_404(measure_id: int) -> SubsidyMeasure:
    row = ms.get_row(measure_id)
    if row is None:
        abort(404)
    return row


def _describe(row: SubsidyMeasure) -> dict:
    m = row.to_measure()
    lang = current_lang()
    return {
        "row": row,
        "name": m.name(lang),
        "categories": [_(CATEGORY_LABELS.get(c, c)) for c in m.categories],
        "rate": format_rate(m.exact_rate),
        "cap": m.cap,
        "cap_of": _(CAP_OF[m.cap_of]),
        "years": fiscal_year_full_label(m.first_fy, lang) if m.first_fy == m.last_fy else
        f"{fiscal_year_full_label(m.first_fy, lang)} – {fiscal_year_full_label(m.last_fy, lang)}",
        "kinds": [_(KIND_LABELS.get(k, k)) for k in m.eligible_kinds],
        "state": STATE_LABELS.get(row.state, row.state),
    }


@bp.get("")
@role_required(MINISTRY)
def index():
    return render_template("subsidies/measures.html", rows=[_describe(r) for r in ms.all_rows()])


def _form_page(form: MeasureForm, row: SubsidyMeasure | None, general=(), status=200):
    return render_template("subsidies/measure_form.html", form=form, row=row,
                           general=general), status


@bp.route("/new", methods=["GET", "POST"])
@role_required(MINISTRY)
def new():
    form = MeasureForm().set_choices(_)
    if form.is_submitted():
        try:
            row = ms.create_draft(current_user, form.values())
        except ms.MeasureError as exc:
            return _form_page(form, None, apply_errors(form, exc.errors), 422)
        flash(_("The draft is saved. Preview it, then publish it."), "success")
        return redirect(url_for("measures.preview", measure_id=row.id))
    return _form_page(form, None)


@bp.route("/<int:measure_id>/edit", methods=["GET", "POST"])
@role_required(MINISTRY)
def edit(measure_id: int):
    row = _row_or_404(measure_id)
    if row.state == "superseded":
        abort(404)
    form = MeasureForm().set_choices(_)
    if form.is_submitted():
        try:
            draft = ms.edit(current_user, row, form.values())
        except ms.MeasureError as exc:
            return _form_page(form, row, apply_errors(form, exc.errors), 422)
        flash(_("The draft is saved. Preview it, then publish it."), "success")
        return redirect(url_for("measures.preview", measure_id=draft.id))
    data = row.to_measure().to_json()
    form.process(data={**data, "categories": " ".join(data["categories"]),
                       "cap": "" if row.cap is None else str(row.cap),
                       "cap_of": row.cap_of, "first_fy": str(row.first_fy),
                       "last_fy": str(row.last_fy), "source_url": row.source_url or ""})
    form.body_kinds.data = data["body_kinds"]
    return _form_page(form, row)


def _sample_lines(text: str) -> tuple[list[dict], list[FieldError]]:
    lines, errors = [], []
    for n, raw in enumerate([t for t in (text or "").splitlines() if t.strip()][:MAX_SAMPLE_LINES], 1):
        parts = [p.strip() for p in unicodedata.normalize("NFKC", raw).replace("、", ",").split(",", 2)]
        if len(parts) != 3:
            errors.append(FieldError("lines", Msg(ERR_SAMPLE, {"n": n})))
            continue
        when, category, amount = parts
        amount = amount.replace("円", "").replace(",", "").strip()
        line: dict = {"id": str(n), "category": category,
                      "amount": int(amount) if amount.isdigit() else amount}
        if "-" in when or "/" in when:
            line["date"] = when
        else:
            line["fiscal_year"] = int(when) if when.isdigit() else when
        lines.append(line)
    if not lines and not errors:
        errors.append(FieldError("lines", Msg(ERR_SAMPLE, {"n": 1})))
    return lines, errors


def _sample_error(e: FieldError) -> str:
    """A calculator error as staff read their sample: "line 2", not the API's lines[1].amount
    (the municipality code's errors sit on its own field and need no prefix)."""
    at = re.match(r"lines\[(\d+)\]", e.field)
    if at is None:
        return tr(e.message)
    return tr(Msg(MSG_AT_LINE, {"n": int(at.group(1)) + 1, "message": tr(e.message)}))


def _default_sample(row: SubsidyMeasure) -> str:
    return "\n".join(f"{row.first_fy},{c},1000001" for c in row.categories.split())


def _today(payload: dict, lang: str):
    """The same lines under today's published measures; None when a category is one only the
    draft introduces (today's table would refuse the line)."""
    try:
        return calculate(payload, municipal_info, lang=lang, gettext=gettext_for(lang),
                         measures=ms.published_measures())
    except InvalidInput:
        return None


@bp.route("/<int:measure_id>/preview", methods=["GET", "POST"])
@role_required(MINISTRY)
def preview(measure_id: int):
    """The estimate of sample lines with this draft published, beside today's; saves nothing."""
    row = _row_or_404(measure_id)
    form = PreviewForm()
    if not form.is_submitted():
        form.lines.data = _default_sample(row)
    lang = current_lang()
    general: list[str] = []
    before = after = None
    lines, errors = _sample_lines(form.lines.data)
    try:
        table = ms.preview_table(row)
    except ms.MeasureError as exc:
        table = None
        general += [tr(e.message) for e in exc.errors]
    if errors:
        general += apply_errors(form, errors)
    elif table is not None:
        payload = {"municipality_code": form.municipality_code.data or "", "lines": lines}
        try:
            t = gettext_for(lang)
            after = calculate(payload, municipal_info, lang=lang, gettext=t, measures=table)
            before = _today(payload, lang)
        except InvalidInput as exc:
            for e in exc.errors:
                name = "municipality_code" if e.field == "municipality_code" else "lines"
                getattr(form, name).errors = list(getattr(form, name).errors) + [
                    _sample_error(e)]
    status = 422 if form.is_submitted() and (form.lines.errors or form.municipality_code.errors) else 200
    return render_template("subsidies/measure_preview.html", m=_describe(row), form=form,
                           before=before, after=after, general=general,
                           category_label=lambda c: _(CATEGORY_LABELS.get(c, c))), status


@bp.post("/<int:measure_id>/publish")
@role_required(MINISTRY)
def publish(measure_id: int):
    row = _row_or_404(measure_id)
    try:
        ms.publish(current_user, row)
    except ms.MeasureError as exc:
        for e in exc.errors:
            flash(tr(e.message), "error")
        return redirect(url_for("measures.preview", measure_id=row.id))
    flash(_("Published: estimates now apply version %(version)s of %(key)s.",
            version=row.version, key=row.key), "success")
    return redirect(url_for("measures.index"))


@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [NavItem("measures.index", _l("Subsidy measures"), (MINISTRY,), 41)]
