"""Account administration: invitations and the staff list, for the ministry and coordinators."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from talentmatch import signals
from talentmatch.accounts import forms, services, staff
from talentmatch.accounts.labels import ROLE_LABELS
from talentmatch.accounts.models import MINISTRY, PREFECTURE, User
from talentmatch.accounts.permissions import NavItem, role_required
from talentmatch.extensions import db
from talentmatch.geo import services as geo
from talentmatch.web import apply_errors

bp = Blueprint("admin", __name__, url_prefix="/admin")



@bp.get("/users")
@role_required(MINISTRY, PREFECTURE)
def users():
    return render_template("accounts/admin_users.html", users=staff.manageable_users(current_user),
                           role_labels=ROLE_LABELS, can_administer=staff.can_administer)


@bp.route("/invitations/new", methods=["GET", "POST"])
@role_required(MINISTRY, PREFECTURE)
def invite():
    form = forms.InviteForm()
    roles = staff.invitable_roles(current_user)
    form.role.choices = [(r, str(ROLE_LABELS[r])) for r in roles]
    form.prefecture_code.choices = [("", "—")] + [(p.code, p.name) for p in geo.prefectures()]
    if current_user.role == PREFECTURE:
        form.municipality_code.choices = [("", "—")] + [
            (m.code, m.name) for m in geo.municipalities_of(current_user.prefecture_code)]
    else:
        form.municipality_code.choices = [("", "—")]
    general: list[str] = []
    if form.validate_on_submit():
        try:
            staff.invite(current_user, email=form.email.data, role=form.role.data,
                            prefecture_code=form.prefecture_code.data or None,
                            municipality_code=form.municipality_code.data or None,
                            locale=form.locale.data)
        except services.AccountError as exc:
            general = apply_errors(form, exc.errors)
        except PermissionError:
            abort(403)
        else:
            flash(_("The invitation has been sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("admin.users"))
    return render_template("accounts/invite.html", form=form, general=general)


def _target(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not staff.can_administer(current_user, user):
        abort(404 if user is None else 403)
    return user


@bp.post("/users/<int:user_id>/disable")
@role_required(MINISTRY, PREFECTURE)
def disable(user_id: int):
    staff.set_active(current_user, _target(user_id), False)
    flash(_("The account has been disabled."), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/enable")
@role_required(MINISTRY, PREFECTURE)
def enable(user_id: int):
    staff.set_active(current_user, _target(user_id), True)
    flash(_("The account has been enabled."), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/reset-mfa")
@role_required(MINISTRY, PREFECTURE)
def reset_mfa(user_id: int):
    staff.reset_second_factor(current_user, _target(user_id))
    flash(_("The second factor has been reset; the user sets it up at the next login."), "success")
    return redirect(url_for("admin.users"))


@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("admin.users", _l("Accounts"), (MINISTRY, PREFECTURE), 90),
    ]
