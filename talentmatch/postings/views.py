"""Municipality staff screens: my postings, the template form with live advice, the posting's
own page with its timeline, and spreadsheet import. Routes stay thin: the services decide.
The page's workflow buttons (submit, withdraw, close, revise) post to the review blueprint."""

from __future__ import annotations

import csv
import io

from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from talentmatch import signals
from talentmatch.accounts.models import MUNICIPALITY
from talentmatch.accounts.permissions import NavItem, is_municipality, role_required
from talentmatch.db import StaleEdit
from talentmatch.i18n import current_lang
from talentmatch.postings import form_page, forms, importing, review_signals, workflow
from talentmatch.postings import services as svc
from talentmatch.postings.display import labels_context, posting_context
from talentmatch.postings.form_page import (
    advice_view,
    flash_refusal,
    own_posting,
    reach_of,
    render_form,
)
from talentmatch.postings.import_service import WEB_MAX_BYTES, import_postings
from talentmatch.postings.template import fields, headers
from talentmatch.submissions.services import AlreadySubmitted
from talentmatch.web import already_recorded, apply_errors, base_of, merge_stale, stale_errors

bp = Blueprint("postings", __name__)

@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("postings.mine", _l("My postings"), (MUNICIPALITY,), 20),
    ]


# --------------------------------------------------------------------------- list


@bp.get("/my/postings")
@role_required(MUNICIPALITY)
def mine():
    page = svc.municipality_postings(
        current_user.municipality_code, page=request.args.get("page", 1, type=int)
    )
    comments = review_signals.last_comments([p.id for p in page.items])
    return render_template("postings/mine.html", page=page, comments=comments,
                           municipality=current_user.municipality, **labels_context())


# --------------------------------------------------------------------------- form


@bp.route("/my/postings/new", methods=["GET", "POST"])
@role_required(MUNICIPALITY)
def new():
    form = forms.PostingForm()
    if request.method == "GET":
        return render_form(form)
    values = forms.form_values(form)
    refused = _refuse_submission(form, values)
    if refused is not None:
        return refused
    try:
        posting = svc.create_draft(current_user, values, submission_key=form.submission_key.data)
    except svc.InvalidPosting as exc:
        general = apply_errors(form, exc.errors)
        return render_form(form, values=values, general=general, status=400)
    except AlreadySubmitted as exc:
        flash(already_recorded(), "info")
        kind, _sep, pid = exc.result.partition(":")
        if kind == "posting" and pid.isdigit():
            return redirect(url_for("postings.detail", posting_id=int(pid)))
        return redirect(url_for("postings.mine"))
    return _after_save(form, posting.id, values)


@bp.route("/my/postings/<int:posting_id>/edit", methods=["GET", "POST"])
@role_required(MUNICIPALITY)
def edit(posting_id: int):
    posting = own_posting(posting_id)
    rev = posting.current_revision
    if "edit" not in workflow.allowed_actions(rev.state, "municipality"):
        try:
            workflow.transition(rev.state, "edit", "municipality")
        except workflow.WorkflowError as exc:
            flash_refusal(exc)
        return redirect(url_for("postings.detail", posting_id=posting.id))
    if request.method == "GET":
        values = svc.revision_values(rev)
        shown = forms.initial_data(values, current_lang())
        form = forms.PostingForm(data={**shown, "version": str(rev.version),
                                       "base": base_of(shown)})
        return render_form(form, posting=posting, values=values)
    form = forms.PostingForm()
    values = forms.form_values(form)
    refused = _refuse_submission(form, values, posting)
    if refused is not None:
        return refused
    for attempt in range(2):
        try:
            svc.save_draft(current_user, posting.id, values, version=form.version.data)
            break
        except svc.InvalidPosting as exc:
            general = apply_errors(form, exc.errors)
            return render_form(form, posting=posting, values=values, general=general, status=400)
        except StaleEdit as exc:
            # A colleague (or another tab) saved meanwhile: merge field by field, save the
            # merge once; fields both changed differently come back to the user to decide.
            saved = forms.initial_data(svc.revision_values(exc.record), current_lang())
            general = merge_stale(form, saved, exc) if attempt == 0 else stale_errors(form, saved, exc)
            values = forms.form_values(form)
            if general:
                return render_form(form, posting=posting, values=values, general=general,
                                   status=409)
        except workflow.WorkflowError as exc:
            flash_refusal(exc)
            return redirect(url_for("postings.detail", posting_id=posting.id))
    return _after_save(form, posting.id, values)


def _refuse_submission(form, values, posting=None):
    """"Submit to the prefecture" checks everything in one pass (formats, required fields, the
    deadline, cross-field rules) before anything is saved; when something is wrong, the page
    shows every error at once and nothing is saved — the clerk's text stays in the form, and
    "Save draft" keeps an incomplete posting on purpose. None when the submission may go on."""
    if request.form.get("action") != "submit":
        return None
    errors = svc.submission_errors(current_user, values)
    if not errors:
        return None
    general = apply_errors(form, errors)
    if posting is None:
        notice = _("Nothing has been saved yet. Correct the fields listed below and submit "
                   "again, or save the posting as a draft to finish it later.")
    else:
        notice = _("Your changes have not been saved yet. Correct the fields listed below and "
                   "submit again, or save them as a draft.")
    return render_form(form, posting=posting, values=values, general=general, status=400,
                       notice=notice)


def _after_save(form, posting_id: int, values):
    """The draft is saved; submit it too when the clerk pressed "Submit to the prefecture"."""
    if request.form.get("action") != "submit":
        flash(_("The draft has been saved."), "success")
        return redirect(url_for("postings.edit", posting_id=posting_id))
    return form_page.submit(posting_id, lambda: review_signals.submit(current_user, posting_id),
                            form=form, values=values)


@bp.post("/postings/advice")
@role_required(MUNICIPALITY)
def advice():
    """Advice for the form's current values, for static/js/posting-form.js."""
    values = forms.form_values(forms.PostingForm())
    return jsonify(advice=advice_view(values)["items"])


# --------------------------------------------------------------------------- posting page


def municipality_actions(posting) -> list[str]:
    current, public = posting.current_revision, posting.published_revision
    actions = workflow.allowed_actions(current.state, "municipality")
    if public is not None and public.id != current.id and public.state == "published":
        actions.append("close")
    return actions


@bp.get("/my/postings/<int:posting_id>")
@role_required(MUNICIPALITY)
def detail(posting_id: int):
    posting = own_posting(posting_id)
    before_publishing = posting.current_revision.state in ("draft", "returned")
    return render_template(
        "postings/detail.html",
        actions=municipality_actions(posting),
        reach=reach_of(posting=posting) if before_publishing else None,
        close_form=forms.CloseForm(formdata=None),
        **posting_context(posting, posting.current_revision, review_signals.timeline(posting)),
    )


# --------------------------------------------------------------------------- import


def _render_import(form, errors=(), status=200):
    return (
        render_template("postings/import.html", form=form, errors=list(errors),
                        fields=fields.FIELDS, ja_headers=headers.JA_HEADERS,
                        limit_mb=f"{WEB_MAX_BYTES / 1_000_000:g}"),
        status,
    )


@bp.route("/my/postings/import", methods=["GET", "POST"])
@role_required(MUNICIPALITY)
def import_file():
    form = forms.ImportForm()
    if request.method == "GET":
        return _render_import(form)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _render_import(form, [_("Choose a CSV or Excel file to upload.")], 400)
    data = upload.stream.read(WEB_MAX_BYTES + 1)
    result = import_postings(upload.filename, data, actor=current_user)
    if result.errors:
        lines = [importing.render_error(e, _) for e in result.errors]
        return _render_import(form, lines, 413 if result.too_large else 400)
    flash(_("Postings imported as drafts: %(count)s.", count=len(result.posting_ids)),
          "success")
    return redirect(url_for("postings.mine"))


@bp.get("/my/postings/import/template.csv")
@role_required(MUNICIPALITY)
def import_template():
    """An empty spreadsheet with the template's Japanese column names (UTF-8 with BOM, which
    Excel opens correctly)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([headers.JA_HEADERS[key] for key in svc.EDITABLE_KEYS])
    body = "\ufeff" + out.getvalue()
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=\"postings-template.csv\"; "
                 "filename*=UTF-8''%E5%8B%9F%E9%9B%86%E6%83%85%E5%A0%B1%E6%A8%99%E6%BA%96%E6%A7%98%E5%BC%8F.csv"},
    )


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    message = _("The file is too large: the limit is %(limit)s MB.",
                limit=f"{WEB_MAX_BYTES / 1_000_000:g}")
    if (request.endpoint == "postings.import_file" and current_user.is_authenticated
            and is_municipality(current_user)):
        return _render_import(forms.ImportForm(formdata=None), [message], 413)
    return render_template("errors/error.html", code=413, message=_("The file is too large.")), 413
