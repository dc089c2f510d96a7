"""Profile pages: a professional's own profile and privacy controls, staff viewing a profile,
the skills suggestions for the tag input, and the imported person's confirmation link."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from sqlalchemy import select

from talentmatch import signals, vocab
from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, PROFESSIONAL
from talentmatch.accounts.permissions import NavItem, login_required, role_required
from talentmatch.extensions import db, limiter
from talentmatch.geo.models import Prefecture
from talentmatch.i18n import current_lang
from talentmatch.professionals import forms, privacy, services
from talentmatch.professionals import profile as rules
from talentmatch.professionals.models import Professional
from talentmatch.professionals.vocabulary import load_vocabulary
from talentmatch.text import normalize
from talentmatch.web import apply_errors

bp = Blueprint("professionals", __name__)

SUGGESTIONS_MAX = 10


def _prefecture_choices() -> list[tuple[str, str]]:
    en = current_lang() == "en"
    return [
        (p.code, p.name_en if en else p.name)
        for p in db.session.scalars(select(Prefecture).order_by(Prefecture.code))
    ]


def _display(prof: Professional) -> dict:
    """What the profile templates show: labels in the reader's language."""
    lang = current_lang()
    names = dict(_prefecture_choices())
    focus, employment = vocab.labels(vocab.FOCUS_AREAS), vocab.labels(vocab.EMPLOYMENT_TYPES)
    kinds, remote = vocab.labels(vocab.PROFESSIONAL_KINDS), vocab.labels(vocab.REMOTE_PREFERENCES)
    return {
        "skills": services.skill_items(prof),
        "qualifications": services.qualification_items(prof),
        "focus_areas": [_(focus[k]) for k in prof.focus_areas or [] if k in focus],
        "employment_types": [
            _(employment[k]) for k in prof.accepted_employment_types or [] if k in employment
        ],
        "prefectures": [names.get(c, c) for c in prof.preferred_prefectures or []],
        "kind": _(kinds.get(prof.kind, kinds["individual"])),
        "remote": _(remote.get(prof.remote_preference, remote["hybrid"])),
        "imported_prefecture": names.get(prof.imported_prefecture_code or "", ""),
        "lang": lang,
    }


@bp.app_context_processor
def _home_helpers() -> dict:
    def professional_summary():
        """For "My page": the signed-in professional's profile and its completeness."""
        if not (current_user.is_authenticated and current_user.role == PROFESSIONAL):
            return None
        prof = services.profile_of(current_user)
        percent, missing = services.completeness(prof)
        return {"profile": prof, "percent": percent, "missing": missing}

    return {"professional_summary": professional_summary}


# --- one's own profile ---------------------------------------------------------------------------


@bp.get("/profile")
@role_required(PROFESSIONAL)
def profile():
    prof = services.profile_of(current_user)
    percent, missing = services.completeness(prof)
    return render_template(
        "professionals/profile.html",
        prof=prof,
        d=_display(prof),
        percent=percent,
        missing=missing,
        own=True,
    )


@bp.route("/profile/edit", methods=["GET", "POST"])
@role_required(PROFESSIONAL)
def edit():
    prof = services.profile_of(current_user)
    lang = current_lang()
    form = forms.ProfileForm(prefecture_choices=_prefecture_choices())
    if request.method == "GET":
        form.process(
            data={
                **services.profile_values(prof),
                "skills": services.tags_text(prof, "skills", lang),
                "qualifications": services.tags_text(prof, "qualifications", lang),
                # A profile nobody has filled in yet asks for the days rather than showing 0.
                "available_days_per_month": f"{prof.available_days_per_month or 0:g}"
                if services.completeness(prof)[0] > 0 or prof.available_days_per_month
                else "",
            }
        )
    general: list[str] = []
    if form.validate_on_submit():
        raw = {name: getattr(form, name).data for name in rules.FIELD_LABELS}
        try:
            services.update_profile(current_user, raw)
        except rules.ProfileError as exc:
            general = apply_errors(form, exc.errors)
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("professionals.profile"))
    return render_template(
        "professionals/edit.html", form=form, general=general, prof=prof, d=_display(prof)
    )


@bp.post("/profile/export")
@role_required(PROFESSIONAL)
@limiter.limit("20 per hour")
def export():
    body = privacy.export_json(current_user)
    response = make_response(body)
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="talentmatch-my-data.json"'
    return response


@bp.route("/profile/delete", methods=["GET", "POST"])
@role_required(PROFESSIONAL)
@limiter.limit("10 per hour", methods=["POST"])
def delete():
    form = forms.DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(current_user, form.password.data)
        except rules.ProfileError as exc:
            apply_errors(form, exc.errors)
        else:
            logout_user()
            session.clear()
            flash(_("Your account and all your data have been deleted."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("professionals/delete.html", form=form)


# --- staff (and the owner) viewing a profile -----------------------------------------------------


@bp.get("/professionals/<int:professional_id>")
@role_required(MINISTRY, PREFECTURE, MUNICIPALITY, PROFESSIONAL)
def show(professional_id: int):
    if current_user.role == PROFESSIONAL:
        prof = services.find_profile(current_user)
        if prof is None or prof.id != professional_id:
            abort(404)
        return redirect(url_for("professionals.profile"))
    try:
        prof = services.view_profile(current_user, professional_id)
    except services.NotVisible:
        abort(404)
    return render_template("professionals/profile.html", prof=prof, d=_display(prof), own=False)


@bp.get("/professionals/skills.json")
@login_required
def skill_suggestions():
    """Skills whose Japanese or English terms contain what was typed (for the tag input)."""
    q = normalize((request.args.get("q") or "")[:40])
    if not q:
        return jsonify([])
    vocab = load_vocabulary()
    found: list[tuple[int, str]] = []
    for skill in vocab.skills.values():
        terms = [normalize(t) for t in skill.terms]
        if any(t.startswith(q) for t in terms):
            found.append((0, skill.key))
        elif any(q in t for t in terms):
            found.append((1, skill.key))
    found.sort()
    return jsonify(
        [
            {"key": k, "ja": vocab.skills[k].ja, "en": vocab.skills[k].en}
            for _rank, k in found[:SUGGESTIONS_MAX]
        ]
    )


# --- the link in an imported person's mail -------------------------------------------------------


@bp.route("/professionals/confirm/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def confirm_import(token: str):
    found = services.find_import_token(token)
    if found is None:
        return render_template("accounts/link_invalid.html"), 400
    user, prof = found
    form = forms.ConfirmImportForm()
    if request.method == "GET":
        form.discoverable.data = prof.discoverable or prof.discoverable_on_confirm
    general: list[str] = []
    if form.validate_on_submit():
        try:
            confirmed = services.confirm_import(
                token,
                password=form.password.data,
                consent=form.consent.data,
                discoverable=form.discoverable.data,
            )
        except rules.ProfileError as exc:
            general = apply_errors(form, exc.errors)
        else:
            if confirmed is None:
                return render_template("accounts/link_invalid.html"), 400
            flash(_("Thank you. Your profile is confirmed and you can log in now."), "success")
            return redirect(url_for("accounts.login"))
    from talentmatch.accounts.services import CONSENT_VERSION

    return render_template(
        "professionals/confirm_import.html",
        form=form,
        general=general,
        token=token,
        person=user,
        prof=prof,
        d=_display(prof),
        consent_version=CONSENT_VERSION,
    )


@bp.post("/professionals/confirm/<token>/decline")
@limiter.limit("20 per hour")
def decline_import(token: str):
    if not services.decline_import(token):
        return render_template("accounts/link_invalid.html"), 400
    flash(_("Your data has been removed from TalentMatch."), "success")
    return redirect(url_for("accounts.login"))


@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("professionals.profile", _l("My profile"), (PROFESSIONAL,), 5),
    ]
