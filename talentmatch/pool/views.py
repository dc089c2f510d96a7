"""The prefecture's talent pool (invite, import, tag, note, search, introduce) and the
introductions as the person introduced and the municipality see them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from talentmatch import signals
from talentmatch.accounts.models import MUNICIPALITY, PREFECTURE, PROFESSIONAL
from talentmatch.accounts.permissions import (
    NavItem,
    is_prefecture,
    require_prefecture,
    role_in,
    role_required,
)
from talentmatch.db import StaleEdit
from talentmatch.geo.services import municipalities_of
from talentmatch.inputs import record_id
from talentmatch.pool import introductions, support
from talentmatch.pool import services as pool
from talentmatch.pool.forms import EntryForm, ImportForm, IntroduceForm, InviteForm, SupportForm
from talentmatch.submissions.services import AlreadySubmitted
from talentmatch.web import already_recorded, apply_errors, stale_errors, tr

bp = Blueprint("pool", __name__)

@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("pool.home", _l("Talent pool"), (PREFECTURE,), 36),
        NavItem("pool.my_introductions", _l("Introductions"), (PROFESSIONAL,), 11),
        NavItem("pool.support_home", _l("Support"), (PREFECTURE, MUNICIPALITY), 37),
    ]

@bp.get("/pool")
@role_required(PREFECTURE)
def home():
    return redirect(url_for("pool.index", prefecture_code=current_user.prefecture_code))


@bp.get("/prefectures/<prefecture_code>/pool")
@role_required(PREFECTURE)
def index(prefecture_code: str):
    require_prefecture(prefecture_code)
    tag = request.args.get("tag", "")[:50]
    skill = request.args.get("q", "")[:100]
    result = pool.search_pool(current_user, prefecture_code, tag=tag, skill=skill,
                              page=request.args.get("page", 1, type=int))
    return render_template(
        "pool/index.html", prefecture_code=prefecture_code, result=result, tag=tag, q=skill,
        introductions=introductions.introductions_by_prefecture(current_user, prefecture_code)[:20],
        labels=introductions.INTRODUCTION_LABELS, suggested=pool.SUGGESTED_TAGS,
        skill_labels=pool.skill_labels,
    )


@bp.route("/prefectures/<prefecture_code>/pool/invite", methods=["GET", "POST"])
@role_required(PREFECTURE)
def invite(prefecture_code: str):
    require_prefecture(prefecture_code)
    form = InviteForm()
    general: list[str] = []
    status = 200
    if form.validate_on_submit():
        try:
            result = pool.invite(
                current_user, prefecture_code, email=form.email.data or "",
                display_name=form.display_name.data or "",
                days=form.available_days_per_month.data or "", skills=form.skills.data or "",
                tags=form.tags.data or "", note=form.note.data or "",
                discoverable=form.discoverable.data, consent_obtained=form.consent_obtained.data,
                locale=form.locale.data or "ja")
        except pool.PoolError as exc:
            general = apply_errors(form, exc.errors)
            status = 400
        else:
            flash(_("%(name)s was added to the pool and invited by mail to confirm.",
                    name=result.entry.professional.user.display_name), "success")
            return redirect(url_for("pool.entry", entry_id=result.entry.id))
    elif request.method == "POST":
        status = 400
    return render_template("pool/invite.html", form=form, general=general,
                           prefecture_code=prefecture_code,
                           suggested=pool.SUGGESTED_TAGS), status


@bp.route("/prefectures/<prefecture_code>/pool/import", methods=["GET", "POST"])
@role_required(PREFECTURE)
def import_list(prefecture_code: str):
    require_prefecture(prefecture_code)
    form = ImportForm()
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            ok = form.validate_on_submit()
            upload = request.files.get("file")
        except RequestEntityTooLarge:
            ok, upload = False, None
            errors.append(_("The file is too large."))
        if ok and (upload is None or not upload.filename):
            errors.append(_("Choose a CSV file."))
        elif ok:
            try:
                added, errors = pool.import_list(
                    current_user, prefecture_code, upload.read(),
                    consent_obtained=form.consent_obtained.data, tags=form.tags.data or "")
            except pool.PoolError as exc:
                errors = [tr(e.message) for e in exc.errors]
            else:
                if not errors:
                    flash(_("%(n)s people were added to the pool and invited by mail.",
                            n=added), "success")
                    return redirect(url_for("pool.index", prefecture_code=prefecture_code))
        status = 400
    return render_template("pool/import.html", form=form, errors=errors,
                           prefecture_code=prefecture_code), status


def _entry(entry_id: int):
    try:
        return pool.get_entry(current_user, entry_id)
    except pool.NotFound:
        abort(404)


@bp.route("/pool/entries/<int:entry_id>", methods=["GET", "POST"])
@role_required(PREFECTURE)
def entry(entry_id: int):
    item = _entry(entry_id)
    form = EntryForm(prefix="entry")
    intro_form = IntroduceForm(prefix="intro")
    general: list[str] = []
    status = 200
    if request.method == "GET":
        form.tags.data = "、".join(item.tags or [])
        form.note.data = item.note
        form.version.data = str(item.version)
    elif form.validate_on_submit():
        try:
            pool.update_entry(current_user, entry_id, tags=form.tags.data or "",
                              note=form.note.data or "", version=form.version.data)
        except pool.PoolError as exc:
            general = apply_errors(form, exc.errors)
            status = 400
        except StaleEdit:
            item = _entry(entry_id)
            general = stale_errors(form, {"tags": "、".join(item.tags or []), "note": item.note},
                                   StaleEdit(item))
            status = 409
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("pool.entry", entry_id=entry_id))
    else:
        status = 400
    return _entry_page(item, form, intro_form, general, status)


def _entry_page(item, form, intro_form, general, status):
    postings = pool.open_postings_of(item.prefecture_code)
    intro_form.posting_id.choices = [("", "—")] + [
        (str(pid), f"{place} — {title} (#{pid})") for pid, title, place in postings]
    intros = introductions.introductions_of_entry(item)
    return render_template("pool/entry.html", item=item, form=form, intro_form=intro_form,
                           general=general, introductions=intros,
                           labels=introductions.INTRODUCTION_LABELS, suggested=pool.SUGGESTED_TAGS,
                           skill_labels=pool.skill_labels), status


@bp.post("/pool/entries/<int:entry_id>/introduce")
@role_required(PREFECTURE)
def introduce(entry_id: int):
    item = _entry(entry_id)
    intro_form = IntroduceForm(prefix="intro")
    form = EntryForm(prefix="entry")
    form.tags.data = "、".join(item.tags or [])
    form.note.data = item.note
    if not intro_form.validate_on_submit():
        return _entry_page(item, form, intro_form, [], 400)
    raw = intro_form.posting_id.data or ""
    try:
        introductions.introduce(current_user, entry_id, record_id(raw),
                       intro_form.note.data or "")
    except pool.PoolError as exc:
        general = apply_errors(intro_form, exc.errors)
        return _entry_page(item, form, intro_form, general, 400)
    flash(_("The introduction was sent. The person is told by mail, and the municipality "
            "sees it beside its applicants."), "success")
    return redirect(url_for("pool.entry", entry_id=entry_id))


@bp.post("/pool/entries/<int:entry_id>/remove")
@role_required(PREFECTURE)
def remove(entry_id: int):
    item = _entry(entry_id)
    code = item.prefecture_code
    pool.remove_entry(current_user, entry_id)
    flash(_("The person was removed from the pool."), "success")
    return redirect(url_for("pool.index", prefecture_code=code))


# --------------------------------------------------------------------------- the person


@bp.get("/my/introductions")
@role_required(PROFESSIONAL)
def my_introductions():
    return render_template("pool/my_introductions.html",
                           introductions=introductions.introductions_of_professional(current_user),
                           labels=introductions.INTRODUCTION_LABELS)


@bp.post("/my/introductions/<int:introduction_id>/respond")
@role_required(PROFESSIONAL)
def respond(introduction_id: int):
    accept = request.form.get("decision") == "accept"
    try:
        introductions.respond(current_user, introduction_id, accept=accept)
    except pool.NotFound:
        abort(404)
    except pool.PoolError as exc:
        flash(tr(exc.errors[0].message), "error")
    else:
        flash(_("Thank you: the prefecture and the municipality see your answer.") if accept
              else _("You declined the introduction."), "success")
    return redirect(url_for("pool.my_introductions"))


# --------------------------------------------------------------------------- include


@bp.app_template_global()
def pool_introductions(posting_id: int) -> list:
    """templates/pool/_introductions.html: the posting's introductions for its municipality
    and its prefecture's coordinators (empty for everyone else)."""
    if not current_user.is_authenticated or not role_in(current_user, MUNICIPALITY, PREFECTURE):
        return []
    return introductions.introductions_for_posting(current_user, posting_id)


@bp.app_template_global()
def pool_pending_introductions() -> int:
    """templates/pool/_home.html: introductions waiting for the signed-in person's answer."""
    if not current_user.is_authenticated:
        return 0
    return introductions.pending_count(current_user)


# --------------------------------------------------------------------------- support


@bp.get("/support")
@role_required(PREFECTURE, MUNICIPALITY)
def support_home():
    if is_prefecture(current_user):
        return redirect(url_for("pool.support_index", prefecture_code=current_user.prefecture_code))
    return render_template("pool/support_municipality.html",
                           rows=support.for_municipality(current_user))


@bp.get("/prefectures/<prefecture_code>/support")
@role_required(PREFECTURE)
def support_index(prefecture_code: str):
    require_prefecture(prefecture_code)
    return render_template("pool/support_index.html", prefecture_code=prefecture_code,
                           assignments=support.for_prefecture(current_user, prefecture_code))


@bp.route("/prefectures/<prefecture_code>/support/new", methods=["GET", "POST"])
@role_required(PREFECTURE)
def support_new(prefecture_code: str):
    require_prefecture(prefecture_code)
    form = SupportForm()
    form.person.choices = [("", "—")] + [
        (str(p.id), p.user.display_name) for p in support.pool_people(prefecture_code)
    ] + [(support.STAFF, _("Our own staff (give the name below)"))]
    munis = [("", "—")] + [(m.code, m.name) for m in municipalities_of(prefecture_code)]
    for i in range(1, support.MAX_MUNICIPALITIES + 1):
        getattr(form, f"municipality_{i}").choices = munis
    general: list[str] = []
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                support.create(current_user, prefecture_code, request.form,
                               submission_key=form.submission_key.data)
            except pool.PoolError as exc:
                general = apply_errors(form, exc.errors)
                status = 400
            except AlreadySubmitted:
                flash(already_recorded(), "info")
                return redirect(url_for("pool.support_index", prefecture_code=prefecture_code))
            else:
                flash(_("The support assignment was recorded."), "success")
                return redirect(url_for("pool.support_index", prefecture_code=prefecture_code))
        else:
            status = 400
    return render_template("pool/support_form.html", form=form, general=general,
                           prefecture_code=prefecture_code, rows=support.MAX_MUNICIPALITIES), status


@bp.post("/support/<int:assignment_id>/end")
@role_required(PREFECTURE)
def support_end(assignment_id: int):
    try:
        item = support.end(current_user, assignment_id)
    except pool.NotFound:
        abort(404)
    flash(_("The support assignment was ended."), "success")
    return redirect(url_for("pool.support_index", prefecture_code=item.prefecture_code))


@bp.app_template_global()
def pool_support_of_municipality() -> list:
    """templates/pool/_home.html: who supports the signed-in municipality's staff."""
    if not current_user.is_authenticated:
        return []
    return support.for_municipality(current_user)
