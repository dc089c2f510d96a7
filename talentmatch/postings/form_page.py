"""The posting form as the municipality's clerk sees it (the template's fields with live
advice, why a returned revision came back), and the one answer to "Submit to the prefecture":
shared by the form's own routes (postings/views.py) and the submit route of the workflow
(review/views.py), so both answer the same way."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentmatch import signals
from talentmatch.i18n import current_lang
from talentmatch.postings import forms, review_signals, workflow
from talentmatch.postings import services as svc
from talentmatch.postings.template import fields
from talentmatch.postings.template.cleaners import clean_field
from talentmatch.web import apply_errors, tr


def own_posting(posting_id: int):
    """The current user's posting, or 404."""
    try:
        return svc.load_posting(posting_id, current_user)
    except svc.PostingNotFound:
        abort(404)


def _blocks_submission(key: str, values) -> bool:
    """A required field left blank or unreadable: submitting is refused until it is fixed."""
    field = fields.FIELDS_BY_KEY.get(key)
    if field is None or not field.required:
        return False
    value, msg = clean_field(key, values.get(key))
    return msg is not None or value in (None, "", [])


def advice_view(values) -> dict:
    """The advice shown beside the form: only what may stay. Advice on a required field that
    is blank or unreadable (no pay, no pay unit) would say "you may still submit" about what
    the submit refuses, so the field's error speaks for it instead."""
    items = [
        {"code": a.code, "field": a.field, "message": tr(a.message)}
        for a in svc.advice_for(values)
        if not _blocks_submission(a.field, values)
    ]
    by_field: dict[str, list[str]] = {}
    for item in items:
        by_field.setdefault(item["field"], []).append(item["message"])
    return {"items": items, "by_field": by_field}


def reach_of(values=None, posting=None) -> dict | None:
    """How many registered professionals the conditions reach, rounded (the matching domain
    answers signals.posting_reach): the form's `values`, or the `posting`'s revision."""
    for _receiver, result in signals.posting_reach.send(
        None, values=values, municipality_code=current_user.municipality_code or "",
        posting=posting,
    ):
        if result is not None:
            return result
    return None


def render_form(form, *, posting=None, values=None, general=(), status=200, notice=None):
    return (
        render_template(
            "postings/form.html",
            form=form,
            posting=posting,
            sections=fields.SECTIONS,
            fields=fields.FIELDS_BY_KEY,
            # An empty new form gets no advice yet: nothing has been written to advise on.
            advice=advice_view(values) if values is not None else {"items": [], "by_field": {}},
            # Like advice: an empty new form reaches "everyone", which says nothing yet.
            reach=reach_of(values) if values is not None else None,
            general=list(general),
            notice=notice,
            municipality=current_user.municipality,
            return_comment=_return_comment(posting) if posting else None,
            state_labels=workflow.STATE_LABELS,
            role_labels=workflow.ROLE_LABELS,
        ),
        status,
    )


def _return_comment(posting):
    """Why the revision being edited came back, shown above the form."""
    rev = posting.current_revision
    if rev.state != "returned":
        return None
    returns = [e for e in review_signals.timeline(posting)
               if e.action == "return" and e.revision_id == rev.id]
    return returns[-1] if returns else None


def flash_refusal(exc: workflow.WorkflowError) -> None:
    flash(exc.render(_), "error")


def submit(posting_id: int, run, *, form=None, values=None):
    """Run the submission (``run()``), then answer: the posting's page when it went to the
    prefecture or the move is not allowed now; the form with every field to complete when
    the saved draft is not complete (``form``/``values``: what the clerk just sent, if the
    submission came from the form)."""
    try:
        run()
    except svc.InvalidPosting as exc:
        posting = own_posting(posting_id)
        if form is None:
            values = svc.revision_values(posting.current_revision)
            form = forms.PostingForm(formdata=None, data=forms.initial_data(values, current_lang()))
        general = apply_errors(form, exc.errors)
        notice = _("Your changes are saved as a draft. Complete the fields marked below to "
                   "submit the posting to the prefecture.")
        return render_form(form, posting=posting, values=values, general=general,
                           status=400, notice=notice)
    except workflow.WorkflowError as exc:
        flash_refusal(exc)
        return redirect(url_for("postings.detail", posting_id=posting_id))
    except svc.PostingNotFound:
        abort(404)
    flash(_("The posting has been submitted to the prefecture."), "success")
    return redirect(url_for("postings.detail", posting_id=posting_id))
