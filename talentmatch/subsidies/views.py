"""Special grant pages: a municipality's cost lines and estimate, the joint cost split, and
the prefecture and national dashboards (DESIGN.md §6)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from talentmatch import charts, signals
from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE
from talentmatch.accounts.permissions import (
    NavItem,
    is_ministry,
    is_prefecture,
    require_municipality,
    role_required,
)
from talentmatch.clock import today_jst
from talentmatch.db import StaleEdit
from talentmatch.extensions import db
from talentmatch.geo.models import Prefecture
from talentmatch.i18n import current_lang, fiscal_year_label, local_date, yen
from talentmatch.submissions.services import AlreadySubmitted
from talentmatch.subsidies import (
    dashboards,
    downloads,
    importing,
    posting_lines,
    services,
)
from talentmatch.subsidies.calculation import Result
from talentmatch.subsidies.exports import result_rows_for_csv
from talentmatch.subsidies.forms import (
    CostLineForm,
    ImportForm,
    JointForm,
    category_choices,
    fiscal_year_choices,
)
from talentmatch.subsidies.joint_page import JointPage
from talentmatch.subsidies.measure_services import published_measures
from talentmatch.subsidies.measures import CATEGORY_LABELS, covered_fiscal_years
from talentmatch.vocab import KIND_LABELS
from talentmatch.web import already_recorded, apply_errors, check_all, tr

bp = Blueprint("subsidies", __name__, url_prefix="/subsidies")

REASON_LABELS = {
    "eligible": (_l("Eligible"), "green"),
    "capped": (_l("Capped"), "yellow"),
    "out_of_period": (_l("Out of period"), "red"),
    "category_not_covered": (_l("Category not covered"), ""),
    "body_not_covered": (_l("Body not covered"), "red"),
}
SOURCE_LABELS = {
    "manual": _l("Entered"),
    "posting": _l("From a posting"),
    "appointment": _l("From an appointment"),
    "joint": _l("Joint appointment share"),
}


def _lang() -> str:
    return current_lang()


def _own_code() -> str:
    code = current_user.municipality_code
    require_municipality(code)
    return code


def _recipient_kinds() -> list[str]:
    return list(dict.fromkeys(k for m in published_measures() for k in m.eligible_kinds))


def _line_form(form: CostLineForm) -> CostLineForm:
    form.fiscal_year.choices = fiscal_year_choices(_lang())
    # A required select starts with an empty choice (HTML: nothing is picked for the clerk).
    form.category.choices = [("", _("Choose a category."))] + category_choices(_)
    return form


def _sections(result: Result | None, lines: list) -> list[dict]:
    if result is None:
        return []
    by_id = {str(ln.id): ln for ln in lines}
    sections: dict[int, dict] = {}
    for fy in result.fiscal_years:
        sections[fy.fiscal_year] = {
            "total": fy,
            "covered": fy.fiscal_year in result.covered_fiscal_years,
            "rows": [],
        }
    for lr in result.lines:
        sections[lr.fiscal_year]["rows"].append((lr, by_id[lr.id]))
    return [sections[k] for k in sorted(sections)]


def _render_index(form=None, import_form=None, general=(), import_errors=(), status=200):
    code = _own_code()
    lang = _lang()
    lines = services.lines_of(code)
    result = services.calculate_lines(code, lines, lang)
    measures, ended = services.measures_info(lang)
    return render_template(
        "subsidies/index.html",
        info=services.municipal_info(code),
        recipient_kinds=_recipient_kinds(),
        by_year=services.year_rows(lang),
        result=result,
        sections=_sections(result, lines),
        measures=measures,
        ended_notice=ended,
        form=form or _line_form(CostLineForm(formdata=None)),
        import_form=import_form or ImportForm(formdata=None),
        general=general,
        import_errors=[
            (e.row, tr(importing.COLUMN_LABELS.get(e.field, e.field)), tr(e.message))
            for e in import_errors
        ],
        reason_labels=REASON_LABELS,
        source_labels=SOURCE_LABELS,
        category_label=lambda c: _(CATEGORY_LABELS.get(c, c)),
        hours_per_day=8,
    ), status


@bp.get("")
@role_required(MUNICIPALITY)
def index():
    return _render_index()


@bp.post("/lines")
@role_required(MUNICIPALITY)
def add_line():
    code = _own_code()
    form = _line_form(CostLineForm())
    general: list[str] = []
    values = {"date": form.date.data or "", "fiscal_year": form.fiscal_year.data or "",
              "category": form.category.data or "", "amount": form.amount.data or "",
              "note": form.note.data or ""}
    # The form's checks and the line's rules in one pass: every error at once.
    ok, general = check_all(form, importing.validate_row(dict(values, id=""))[1])
    if ok:
        try:
            services.add_line(current_user, code, values, submission_key=form.submission_key.data)
        except services.LineError as exc:
            general = apply_errors(form, exc.errors)
        except AlreadySubmitted:
            flash(already_recorded(), "info")
            return redirect(url_for("subsidies.index") + "#results")
        else:
            flash(_("The cost line has been added."), "success")
            return redirect(url_for("subsidies.index") + "#results")
    return _render_index(form=form, general=general, status=400)


@bp.post("/import")
@role_required(MUNICIPALITY)
def import_lines():
    code = _own_code()
    form = ImportForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        form.file.errors = [_("Choose a CSV file to import.")]
        return _render_index(import_form=form, status=400)
    data = upload.read(importing.MAX_BYTES + 1)
    try:
        added, replaced = services.import_csv(current_user, code, data)
    except services.LineError as exc:
        return _render_index(import_form=form, import_errors=exc.errors, status=400)
    flash(_("Imported: %(added)s new lines, %(replaced)s replaced.", added=added,
            replaced=replaced), "success")
    return redirect(url_for("subsidies.index") + "#results")


@bp.post("/from-postings")
@role_required(MUNICIPALITY)
def from_postings():
    code = _own_code()
    count, skipped = posting_lines.take_from_postings(current_user, code)
    flash(_("%(count)s cost lines were taken from your published postings.", count=count),
          "success")
    for s in skipped:
        flash(_("Not taken: %(title)s. %(reason)s", title=s.title, reason=tr(s.reason)), "error")
    return redirect(url_for("subsidies.index") + "#results")


# Line ids are 32-bit INTEGER columns: a larger number names no line (and PostgreSQL would
# refuse the query with an error instead of finding nothing).
@bp.post("/lines/<int(max=2147483647):line_id>/delete")
@role_required(MUNICIPALITY)
def delete_line(line_id: int):
    line = services.get_own_line(current_user, line_id)
    if line is None:
        abort(404)
    try:
        services.delete_line(current_user, line, version=request.form.get("version"))
    except services.LineGone:  # deleted by a request of the same moment: as a repeat is told
        abort(404)
    except StaleEdit as exc:
        now = exc.record
        flash(_("This cost line was changed after you opened the page and was not deleted. "
                "It is now: %(when)s, %(category)s, %(amount)s. Delete it again if you still "
                "want to.", when=local_date(now.date) if now.date else fiscal_year_label(now.fiscal_year),
                category=_(CATEGORY_LABELS.get(now.category, now.category)), amount=yen(now.amount)),
              "error")
    else:
        flash(_("The cost line has been deleted."), "success")
    return redirect(url_for("subsidies.index") + "#results")


def _export_rows(code: str, lang: str) -> tuple[list[list], str]:
    lines = services.lines_of(code)
    result = services.calculate_lines(code, lines, lang)
    if result is None:
        abort(404)
    by_id = {str(ln.id): ln for ln in lines}
    rows = result_rows_for_csv(result)
    rows[0] = rows[0] + ["source", "note"]
    for row in rows[1:]:
        ln = by_id.get(row[3]) if row[0] == "line" else None
        row.extend([ln.source, ln.note] if ln else ["", ""])
    return rows, result.municipality.name


def _filename(name: str, ext: str) -> tuple[str, str]:
    today = today_jst().isoformat()
    label = _("Special grant estimate")
    return f"{label}_{name}_{today}.{ext}", f"subsidy-estimate_{today}.{ext}"


@bp.get("/estimate.csv")
@role_required(MUNICIPALITY)
def estimate_csv():
    rows, name = _export_rows(_own_code(), _lang())
    return downloads.csv_response(rows, *_filename(name, "csv"))


@bp.get("/estimate.xlsx")
@role_required(MUNICIPALITY)
def estimate_xlsx():
    rows, name = _export_rows(_own_code(), _lang())
    return downloads.xlsx_response([(_("Estimate"), rows)], *_filename(name, "xlsx"))


# --- joint appointments ----------------------------------------------------------------------


@bp.route("/joint", methods=["GET", "POST"])
@role_required(MUNICIPALITY, PREFECTURE)
def joint():
    page = JointPage(JointForm(), current_user, _lang())
    if request.method == "POST" and page.form.validate_on_submit():
        page.compute()
        if page.parts and request.form.get("action") == "save":
            if page.own_part is None:
                abort(403)
            n = services.save_joint_part(current_user, current_user.municipality_code,
                                         page.own_part, page.total_lines)
            flash(_("Your part has been saved as %(count)s cost lines.", count=n), "success")
            return redirect(url_for("subsidies.index") + "#results")
    return render_template("subsidies/joint.html", page=page, reason_labels=REASON_LABELS,
                           category_label=lambda c: _(CATEGORY_LABELS.get(c, c)),
                           kind_label=lambda k: _(KIND_LABELS.get(k, k)),
                           ), (400 if page.errors else 200)


# --- dashboards ------------------------------------------------------------------------------


def _chart(summary: dashboards.Summary, lang: str) -> list[charts.Bar]:
    from talentmatch.wareki import fiscal_year_label, format_yen

    return [
        charts.Bar(fiscal_year_label(fy, lang), summary.by_fy[fy].grant, format_yen(summary.by_fy[fy].grant, lang))
        for fy in summary.fiscal_years
    ]


def _prefecture_or_403(pref_code: str) -> Prefecture:
    pref = db.session.get(Prefecture, pref_code)
    if pref is None:
        abort(404)
    if is_prefecture(current_user) and current_user.prefecture_code != pref_code:
        abort(403)
    return pref


@bp.get("/prefecture")
@role_required(PREFECTURE, MINISTRY)
def prefecture():
    if is_ministry(current_user):
        return redirect(url_for("subsidies.national"))
    return redirect(url_for("subsidies.prefecture_dashboard", pref_code=current_user.prefecture_code))


@bp.get("/prefecture/<pref_code>")
@role_required(PREFECTURE, MINISTRY)
def prefecture_dashboard(pref_code: str):
    pref = _prefecture_or_403(pref_code)
    lang = _lang()
    summary = dashboards.prefecture_summary(pref_code, lang)
    measures, ended = services.measures_info(lang)
    return render_template("subsidies/prefecture.html", pref=pref, summary=summary,
                           chart=_chart(summary, lang), measures=measures, ended_notice=ended,
                           covered=covered_fiscal_years(published_measures()))


@bp.get("/prefecture/<pref_code>.csv")
@role_required(PREFECTURE, MINISTRY)
def prefecture_csv(pref_code: str):
    pref = _prefecture_or_403(pref_code)
    lang = _lang()
    rows = dashboards.summary_csv_rows(dashboards.prefecture_summary(pref_code, lang), lang, pref.name)
    today = today_jst().isoformat()
    return downloads.csv_response(rows, f"{_('Special grant estimate')}_{pref.name}_{today}.csv",
                                f"subsidy-prefecture-{pref_code}_{today}.csv")


@bp.get("/national")
@role_required(MINISTRY)
def national():
    lang = _lang()
    summary = dashboards.national_summary(lang)
    measures, ended = services.measures_info(lang)
    return render_template("subsidies/national.html", summary=summary, chart=_chart(summary, lang),
                           measures=measures, ended_notice=ended, by_year=services.year_rows(lang),
                           covered=covered_fiscal_years(published_measures()))


@bp.get("/national.csv")
@role_required(MINISTRY)
def national_csv():
    lang = _lang()
    rows = dashboards.summary_csv_rows(dashboards.national_summary(lang), lang, _("Nationwide"))
    today = today_jst().isoformat()
    return downloads.csv_response(rows, f"{_('Special grant estimate')}_{_('Nationwide')}_{today}.csv",
                                f"subsidy-national_{today}.csv")


@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("subsidies.index", _l("Subsidy estimate"), (MUNICIPALITY,), 40),
        NavItem("subsidies.joint", _l("Joint cost split"), (MUNICIPALITY, PREFECTURE), 41),
        NavItem("subsidies.prefecture", _l("Subsidy dashboard"), (PREFECTURE,), 40),
        NavItem("subsidies.national", _l("Subsidy dashboard"), (MINISTRY,), 40),
    ]
