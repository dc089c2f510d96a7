"""Applications screens: a professional applies, follows and withdraws; municipality staff
invite candidates, move applications through selection and record appointments; their
prefecture's coordinators (and MIC) read along. Routes stay thin: the services decide."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from talentmatch import signals, vocab
from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, PROFESSIONAL
from talentmatch.accounts.permissions import (
    NavItem,
    can_manage_municipality,
    is_professional,
    role_required,
)
from talentmatch.applications import appointments, boards, forms, pipeline
from talentmatch.applications import services as svc
from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.inputs import record_id
from talentmatch.postings.models import Posting
from talentmatch.postings.workflow import WorkflowError
from talentmatch.web import apply_errors, tr

bp = Blueprint("applications", __name__)

@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("applications.mine", _l("My applications"), (PROFESSIONAL,), 12),
        NavItem("applications.overview", _l("Applications"), (MUNICIPALITY, PREFECTURE), 30),
    ]

STAFF = (MUNICIPALITY, PREFECTURE, MINISTRY)
LABELS = {
    "status": pipeline.STATUS_LABELS,
    "move": pipeline.MOVE_LABELS,
    "employment": vocab.labels(vocab.EMPLOYMENT_TYPES),
    "unit": vocab.labels(vocab.COMPENSATION_UNITS),
}


def _status_errors(exc: svc.ApplicationRefused) -> list[str]:
    """Pipeline refusals carry status names: translate them along with the sentence."""
    out = []
    for err in exc.errors:
        params = {k: _(v) if k in ("status", "target") and isinstance(v, str) else v
                  for k, v in err.message.params.items()}
        out.append(_(err.message.msgid) % params if params else _(err.message.msgid))
    return out


# --------------------------------------------------------------------------- professional


@bp.get("/my/applications")
@role_required(PROFESSIONAL)
def mine():
    apps = svc.my_applications(current_user)
    invitations = svc.my_invitations(current_user)
    status = {a.posting_id: a.status for a in apps}
    html = render_template(
        "applications/mine.html", apps=apps, invitations=invitations, status=status,
        appointments=svc.my_appointments(current_user), labels=LABELS,
        withdraw_form=forms.WithdrawForm(), today=today_jst(),
        has_profile=svc.professional_of(current_user) is not None,
    )
    svc.mark_invitations_seen(current_user)
    return html


def _open_posting(posting_id: int) -> Posting:
    posting = db.session.get(Posting, posting_id)
    if posting is None or posting.published_revision is None:
        abort(404)
    return posting


@bp.route("/postings/<int:posting_id>/apply", methods=["GET", "POST"])
@role_required(PROFESSIONAL)
def apply(posting_id: int):
    posting = _open_posting(posting_id)
    form = forms.ApplyForm()
    general: list[str] = []
    if request.method == "POST" and form.validate_on_submit():
        try:
            svc.apply(current_user, [posting_id], form.message.data or "")
        except svc.ApplicationRefused as exc:
            general = apply_errors(form, exc.errors)
        else:
            flash(_("Your application has been sent. You can follow it here."), "success")
            return redirect(url_for("applications.mine"))
    return render_template(
        "applications/apply.html", form=form, posting=posting, rev=posting.published_revision,
        general=general, open=svc.is_open_for_applications(posting, today_jst()),
        status=svc.applied_status(current_user, [posting_id]).get(posting_id),
        has_profile=svc.professional_of(current_user) is not None, labels=LABELS,
    ), (422 if general or form.errors else 200)


@bp.post("/my/applications/apply")
@role_required(PROFESSIONAL)
def apply_many():
    form = forms.ApplyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        apps = svc.apply(current_user, form.postings.data or [], form.message.data or "")
    except svc.ApplicationRefused as exc:
        for err in exc.errors:
            flash(tr(err.message), "error")
        return redirect(url_for("matching.for_you"))
    flash(_("%(count)s applications have been sent.", count=len(apps)), "success")
    return redirect(url_for("applications.mine"))


@bp.post("/my/applications/<int:application_id>/withdraw")
@role_required(PROFESSIONAL)
def withdraw(application_id: int):
    form = forms.WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        svc.withdraw(current_user, application_id, form.note.data)
    except svc.ApplicationNotFound:
        abort(404)
    except svc.ApplicationRefused as exc:
        for msg in _status_errors(exc):
            flash(msg, "error")
    else:
        flash(_("Your application has been withdrawn."), "success")
    return redirect(url_for("applications.mine"))


@bp.app_template_global()
def apply_box(posting_id: int) -> dict:
    """What the apply box on a public posting page shows to the current visitor."""
    user = current_user
    if not user.is_authenticated:
        return {"kind": "anonymous"}
    if not is_professional(user):
        return {"kind": "staff"}
    status = svc.applied_status(user, [posting_id]).get(posting_id)
    return {"kind": "professional", "status": status,
            "status_label": pipeline.STATUS_LABELS.get(status or "", "")}


# --------------------------------------------------------------------------- staff


@bp.get("/applications")
@role_required(MUNICIPALITY, PREFECTURE)
def overview():
    return render_template("applications/overview.html", rows=boards.overview(current_user),
                           labels=LABELS, pipeline_steps=pipeline.PIPELINE)


@bp.get("/postings/<int:posting_id>/applications")
@role_required(*STAFF)
def posting_pipeline(posting_id: int):
    try:
        data = boards.posting_pipeline(current_user, posting_id)
    except svc.ApplicationNotFound:
        abort(404)
    return render_template(
        "applications/pipeline.html", data=data, labels=LABELS, steps=pipeline.PIPELINE,
        can_manage=can_manage_municipality(current_user, data.posting.municipality_code),
    )


@bp.get("/applications/<int:application_id>")
@role_required(*STAFF)
def detail(application_id: int):
    try:
        app = svc.load_application(current_user, application_id)
    except svc.ApplicationNotFound:
        abort(404)
    manage = can_manage_municipality(current_user, app.municipality_code)
    moves = pipeline.allowed_moves(app.status, pipeline.MUNICIPALITY) if manage else []
    can_appoint = manage and "appointed" in pipeline.allowed_moves(
        app.status, pipeline.MUNICIPALITY, via_appointment=True)
    return render_template(
        "applications/detail.html", app=app, labels=LABELS, moves=moves, manage=manage,
        can_appoint=can_appoint, move_form=forms.MoveForm(),
        appointment=appointments.for_application(app),
        rev=app.posting.published_revision or app.posting.current_revision,
    )


@bp.post("/applications/<int:application_id>/move")
@role_required(MUNICIPALITY)
def move(application_id: int):
    form = forms.MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        app = svc.move(current_user, application_id, form.target.data or "", form.note.data)
    except svc.ApplicationNotFound:
        abort(404)
    except svc.ApplicationRefused as exc:
        for msg in _status_errors(exc):
            flash(msg, "error")
    else:
        flash(_("The application is now “%(status)s”.", status=_(pipeline.STATUS_LABELS[app.status])),
              "success")
    return redirect(url_for("applications.detail", application_id=application_id))


@bp.route("/applications/<int:application_id>/appoint", methods=["GET", "POST"])
@role_required(MUNICIPALITY)
def appoint(application_id: int):
    try:
        app = svc.load_application(current_user, application_id, manage=True)
    except svc.ApplicationNotFound:
        abort(404)
    form = forms.AppointmentForm()
    if request.method == "GET":
        form.process(data=appointments.defaults_for(app))
    general: list[str] = []
    if request.method == "POST" and form.validate_on_submit():
        try:
            appointments.appoint(current_user, application_id, form.values())
        except svc.ApplicationNotFound:
            abort(404)
        except svc.ApplicationRefused as exc:
            status_errors = [e for e in exc.errors if e.field == "status"]
            general = apply_errors(form, [e for e in exc.errors if e.field != "status"])
            if status_errors:
                general += _status_errors(svc.ApplicationRefused(status_errors))
        except WorkflowError as exc:
            general = [exc.render(_)]
        else:
            flash(_("The appointment has been recorded."), "success")
            return redirect(url_for("applications.detail", application_id=application_id))
    app = svc.load_application(current_user, application_id, manage=True)
    from talentmatch.applications.capacity import current_appointments

    held = current_appointments(app.professional_id) if app.professional_id else []
    return render_template(
        "applications/appoint.html", form=form, app=app, general=general, labels=LABELS,
        held=held, rev=app.posting.published_revision or app.posting.current_revision,
    ), (422 if general or any(f.errors for f in form) else 200)


@bp.post("/appointments/<int:appointment_id>/end")
@role_required(MUNICIPALITY)
def end_appointment(appointment_id: int):
    form = forms.WithdrawForm()  # CSRF only
    if not form.validate_on_submit():
        abort(400)
    try:
        appt = appointments.end(current_user, appointment_id)
    except svc.ApplicationNotFound:
        abort(404)
    except svc.ApplicationRefused as exc:
        for err in exc.errors:
            flash(tr(err.message), "error")
        return redirect(url_for("applications.overview"))
    flash(_("The appointment has ended; its days are free again."), "success")
    if appt.application_id:
        return redirect(url_for("applications.detail", application_id=appt.application_id))
    return redirect(url_for("applications.posting_pipeline", posting_id=appt.posting_id))


@bp.post("/postings/<int:posting_id>/invitations")
@role_required(MUNICIPALITY)
def invite(posting_id: int):
    form = forms.InviteForm()
    if not form.validate_on_submit():
        abort(400)
    # Hidden fields the candidates page fills in. An id no record can have (40 digits, a sign)
    # names nobody: the service answers it as it answers any unknown person, after checking
    # the posting is the clerk's own (another municipality's posting stays a 404). A score
    # outside 0–100 is a broken request.
    pid = record_id(form.professional_id.data) or 0
    score = request.form.get("score", type=int)
    if score is not None and not 0 <= score <= 100:
        abort(400)
    try:
        svc.invite(current_user, posting_id, pid, form.message.data or "", score)
    except svc.ApplicationNotFound:
        abort(404)
    except svc.ApplicationRefused as exc:
        for err in exc.errors:
            flash(tr(err.message), "error")
    else:
        flash(_("The invitation has been sent."), "success")
    return redirect(url_for("matching.candidates", posting_id=posting_id) + f"#candidate-{pid}")
