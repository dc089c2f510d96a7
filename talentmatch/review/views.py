"""Workflow screens: the prefecture's inbox of its municipalities' submissions, MIC's inbox of
relayed postings, the posting page where a reviewer returns, relays or publishes, and the
municipality's own moves from its posting page (submit to the prefecture, withdraw, close,
revise), which keep the posting's addresses under /my/postings/."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from talentmatch import signals
from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE
from talentmatch.accounts.permissions import NavItem, is_prefecture, role_required
from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.geo.models import Prefecture
from talentmatch.geo.services import prefectures
from talentmatch.postings import form_page, workflow
from talentmatch.postings import services as postings
from talentmatch.postings.display import labels_context, posting_context
from talentmatch.postings.forms import CloseForm
from talentmatch.review import inbox, services
from talentmatch.review.forms import CommentForm

bp = Blueprint("review", __name__)

@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("review.prefecture_inbox", _l("Submissions"), (PREFECTURE,), 20),
        NavItem("review.ministry_inbox", _l("Relayed postings"), (MINISTRY,), 20),
    ]

REVIEW_ACTIONS = ("return", "relay", "publish")


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


def _render_inbox(*, role: str, states, state: str, prefecture_code: str | None, **extra):
    reached = inbox.REACHED[role]
    page = inbox.inbox(state=state, prefecture_code=prefecture_code, reached=reached,
                       page=_page_number())
    return render_template(
        "review/inbox.html",
        role=role,
        states=states,
        state=state,
        page=page,
        counts=inbox.state_counts(prefecture_code=prefecture_code, reached=reached),
        # Everything, whether or not it has reached this reviewer yet: the overview line.
        all_counts=inbox.state_counts(prefecture_code=prefecture_code),
        today=today_jst(),
        **labels_context(),
        **extra,
    )


@bp.get("/review/prefecture")
@role_required(PREFECTURE)
def prefecture_inbox():
    state = request.args.get("state", "submitted")
    if state not in inbox.PREFECTURE_STATES:
        state = "submitted"
    pref = db.session.get(Prefecture, current_user.prefecture_code or "")
    return _render_inbox(role=PREFECTURE, states=inbox.PREFECTURE_STATES, state=state,
                         prefecture_code=current_user.prefecture_code, prefecture=pref)


@bp.get("/review/ministry")
@role_required(MINISTRY)
def ministry_inbox():
    state = request.args.get("state", "relayed")
    if state not in inbox.MINISTRY_STATES:
        state = "relayed"
    code = request.args.get("prefecture", "")
    all_prefectures = prefectures()
    if code not in {p.code for p in all_prefectures}:
        code = ""
    return _render_inbox(role=MINISTRY, states=inbox.MINISTRY_STATES, state=state,
                         prefecture_code=code or None, prefecture_filter=code,
                         prefectures=all_prefectures)


# --------------------------------------------------------------------------- one posting


def _reviewable(posting_id: int):
    """The posting and the revision a reviewer reads. A prefecture sees what was submitted
    to it, MIC what was relayed to it; never a municipality's unsubmitted draft."""
    try:
        posting = postings.load_posting(posting_id, current_user)
    except postings.PostingNotFound:
        abort(404)
    if not services.has_reached(posting.id, "submit" if is_prefecture(current_user) else "relay"):
        abort(404)
    rev = posting.current_revision
    if rev.state == "draft":
        rev = posting.published_revision
        if rev is None:
            abort(404)
    return posting, rev


def _render_detail(posting, rev, form, status=200):
    role = current_user.role
    actions = []
    if rev.id == posting.current_revision_id:
        actions = [a for a in workflow.allowed_actions(rev.state, role) if a in REVIEW_ACTIONS]
    return (
        render_template(
            "review/detail.html",
            form=form,
            actions=actions,
            role=role,
            **posting_context(posting, rev, services.timeline(posting.id)),
        ),
        status,
    )


@bp.get("/review/postings/<int:posting_id>")
@role_required(PREFECTURE, MINISTRY)
def detail(posting_id: int):
    posting, rev = _reviewable(posting_id)
    return _render_detail(posting, rev, CommentForm(formdata=None))


def _inbox_url() -> str:
    if is_prefecture(current_user):
        return url_for("review.prefecture_inbox")
    return url_for("review.ministry_inbox")


def _act(posting_id: int, run, success: str):
    posting, rev = _reviewable(posting_id)
    form = CommentForm()
    try:
        run(form.comment.data)
    except workflow.WorkflowError as exc:
        if exc.message.msgid in (workflow.MSG_COMMENT_REQUIRED, workflow.MSG_COMMENT_TOO_LONG):
            # Keep what was typed and show the problem next to the comment box.
            db.session.expire_all()
            posting, rev = _reviewable(posting_id)
            form.comment.errors = [exc.render(_)]
            return _render_detail(posting, rev, form, status=400)
        flash(exc.render(_), "error")
        return redirect(url_for("review.detail", posting_id=posting_id))
    except postings.PostingNotFound:
        abort(404)
    flash(success, "success")
    return redirect(_inbox_url())


@bp.post("/review/postings/<int:posting_id>/return")
@role_required(PREFECTURE, MINISTRY)
def return_posting(posting_id: int):
    return _act(
        posting_id,
        lambda comment: services.return_posting(current_user, posting_id, comment),
        _("The posting has been returned to the municipality with your comment."),
    )


@bp.post("/review/postings/<int:posting_id>/relay")
@role_required(PREFECTURE)
def relay(posting_id: int):
    return _act(
        posting_id,
        lambda comment: services.relay(current_user, posting_id, comment),
        _("The posting has been relayed to MIC."),
    )


@bp.post("/review/postings/<int:posting_id>/publish")
@role_required(MINISTRY)
def publish(posting_id: int):
    return _act(
        posting_id,
        lambda comment: services.publish(current_user, posting_id, comment),
        _("The posting has been published."),
    )


# --------------------------------------------------------------------------- municipality
# The municipality's buttons on its own posting page (postings.detail): each move answers
# with that page again, or with the posting form when a submission lacks fields.


@bp.post("/my/postings/<int:posting_id>/submit")
@role_required(MUNICIPALITY)
def submit(posting_id: int):
    form_page.own_posting(posting_id)
    return form_page.submit(posting_id, lambda: services.submit(current_user, posting_id))


def _municipality_act(posting_id: int, run, success: str, target: str = "postings.detail"):
    form_page.own_posting(posting_id)
    try:
        run()
    except workflow.WorkflowError as exc:
        form_page.flash_refusal(exc)
        return redirect(url_for("postings.detail", posting_id=posting_id))
    except postings.PostingNotFound:
        abort(404)
    flash(success, "success")
    return redirect(url_for(target, posting_id=posting_id))


@bp.post("/my/postings/<int:posting_id>/withdraw")
@role_required(MUNICIPALITY)
def withdraw(posting_id: int):
    return _municipality_act(posting_id, lambda: services.withdraw(current_user, posting_id),
                             _("The posting has been withdrawn."))


@bp.post("/my/postings/<int:posting_id>/close")
@role_required(MUNICIPALITY)
def close(posting_id: int):
    form = CloseForm()
    reason = form.reason.data or None
    return _municipality_act(
        posting_id,
        lambda: services.close(current_user, posting_id, reason, form.comment.data),
        _("The posting has been closed."),
    )


@bp.post("/my/postings/<int:posting_id>/revise")
@role_required(MUNICIPALITY)
def revise(posting_id: int):
    return _municipality_act(posting_id, lambda: services.revise(current_user, posting_id),
                             _("A new revision has been started. The published posting stays "
                               "visible until the new revision is published."),
                             target="postings.edit")
