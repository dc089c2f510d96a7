"""Matching screens: ranked candidates of a posting, postings for a professional, bundle
suggestions for a prefecture, and the public explanation of the score."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from talentmatch import signals, vocab
from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, PROFESSIONAL
from talentmatch.accounts.permissions import (
    NavItem,
    is_municipality,
    is_professional,
    require_prefecture,
    role_required,
)
from talentmatch.applications import pipeline
from talentmatch.applications.forms import ApplyForm, InviteForm
from talentmatch.applications.services import applied_status, professional_of
from talentmatch.matching import explain, pages, reach_service
from talentmatch.matching import services as svc
from talentmatch.matching.matcher import REMOTE_PREFERENCES, WEIGHTS
from talentmatch.postings.forms import PostingForm, form_values
from talentmatch.postings.services import PostingNotFound

bp = Blueprint("matching", __name__)

@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("matching.for_you", _l("Postings for you"), (PROFESSIONAL,), 10),
        NavItem("matching.bundles_home", _l("Bundle suggestions"), (PREFECTURE,), 40),
    ]

_LABELS = {
    "status": pipeline.STATUS_LABELS,
    "remote_preference": explain.REMOTE_PREFERENCE_LABELS,
    "remote": vocab.labels(vocab.REMOTE_OPTIONS),
    "employment": vocab.labels(vocab.EMPLOYMENT_TYPES),
    "unit": vocab.labels(vocab.COMPENSATION_UNITS),
}


def _filters() -> pages.Filters:
    args = request.args
    min_score = args.get("min_score", 0, type=int) or 0
    remote = args.get("remote", "")
    return pages.Filters(
        min_score=max(0, min(100, min_score)),
        remote=remote if remote in REMOTE_PREFERENCES else "",
        public_sector=args.get("public_sector") == "1",
        talent_list=args.get("talent_list") == "1",
        only_applicants=args.get("only_applicants") == "1",
        show_excluded=args.get("excluded") == "1",
        q=(args.get("q") or "")[:100],
        limit=max(
            1,
            min(svc.MAX_LIMIT, args.get("limit", svc.DEFAULT_LIMIT, type=int) or svc.DEFAULT_LIMIT),
        ),
    )


@bp.get("/postings/<int:posting_id>/candidates")
@role_required(MUNICIPALITY, PREFECTURE, MINISTRY)
def candidates(posting_id: int):
    try:
        page = pages.candidates_page(current_user, posting_id, _filters())
    except PostingNotFound:
        abort(404)
    can_invite = (
        is_municipality(current_user)
        and page.posting.status == "open"
        and page.revision.state == "published"
    )
    return render_template(
        "matching/candidates.html",
        page=page,
        labels=_LABELS,
        weights=WEIGHTS,
        invite_form=InviteForm(),
        can_invite=can_invite,
        remote_choices=[(k, explain.REMOTE_PREFERENCE_LABELS[k]) for k in REMOTE_PREFERENCES],
    )


@bp.get("/my/postings-for-you")
@role_required(PROFESSIONAL)
def for_you():
    pro = professional_of(current_user)
    rows = pages.recommendations(pro, limit=50) if pro is not None else []
    status = applied_status(current_user, [r.posting.id for r in rows])
    form = ApplyForm()
    return render_template(
        "matching/for_you.html",
        rows=rows,
        status=status,
        form=form,
        has_profile=pro is not None,
        labels=_LABELS,
    )


@bp.app_template_global()
def postings_for_you(limit: int = 10) -> dict | None:
    """For the professional's home page (templates/matching/_for_you.html)."""
    if not (current_user.is_authenticated and is_professional(current_user)):
        return None
    pro = professional_of(current_user)
    if pro is None:
        return {"rows": [], "has_profile": False, "status": {}, "labels": _LABELS}
    rows = pages.recommendations(pro, limit=limit)
    return {
        "rows": rows,
        "has_profile": True,
        "labels": _LABELS,
        "status": applied_status(current_user, [r.posting.id for r in rows]),
    }


@bp.app_template_filter("match_line")
def match_line(line: explain.Line) -> str:
    """One reason of a breakdown in the reader's language."""
    return line.render(gettext)


@bp.get("/help/matching")
def help_page():
    # Public on purpose: how the score works is no secret, and professionals read it too.
    return render_template("matching/help.html", weights=WEIGHTS, part_labels=explain.PART_LABELS)


# --------------------------------------------------------------------------- bundles


@bp.get("/bundles")
@role_required(PREFECTURE)
def bundles_home():
    return redirect(url_for("matching.bundles", prefecture_code=current_user.prefecture_code))


@bp.get("/prefectures/<prefecture_code>/bundles")
@role_required(PREFECTURE)
def bundles(prefecture_code: str):
    require_prefecture(prefecture_code)
    result = pages.bundle_suggestions(prefecture_code)
    return render_template(
        "matching/bundles.html", result=result, labels=_LABELS, prefecture_code=prefecture_code
    )


@bp.post("/my/postings/reach")
@role_required(MUNICIPALITY)
def posting_reach():
    """The reach of the posting form's current values, for static/js/posting-form.js
    (rounded counts only; bad values count as not given, never an error)."""
    values = form_values(PostingForm())
    return jsonify(reach_service.reach_for_values(values, current_user.municipality_code or ""))
