"""Saved searches (professionals), subscribing by email (visitors, double opt-in) and the
one-click unsubscribe of every subscription mail (RFC 8058)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from talentmatch import signals
from talentmatch.accounts.models import PROFESSIONAL
from talentmatch.accounts.permissions import NavItem, role_required
from talentmatch.extensions import csrf, limiter
from talentmatch.i18n import current_lang
from talentmatch.subscriptions import forms, services
from talentmatch.subscriptions.mailing import MANAGE_PATH, UNSUBSCRIBE_PATH
from talentmatch.vocab import LANGUAGE_NAMES
from talentmatch.web import apply_errors

bp = Blueprint("subscriptions", __name__)

@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("subscriptions.index", _l("Saved searches"), (PROFESSIONAL,), 7),
    ]


def _municipality_text(args) -> str:
    return services.municipality_input(args.get("municipality")) if args.get("municipality") else ""


def _prefilled(form_class, locale: str):
    """A form filled from a listing URL's parameters (GET) or from the posted form."""
    if request.method == "POST":
        return form_class()
    data = forms.initial_data(request.args, locale=locale,
                              municipality_text=_municipality_text(request.args))
    return form_class(formdata=None, data=data)


def _describe(sub) -> list[tuple[str, str]]:
    return services.describe(sub.filters, current_lang())


# --------------------------------------------------------------------------- professionals


@bp.get(MANAGE_PATH)
@role_required(PROFESSIONAL)
def index():
    subs = services.list_for(current_user)
    return render_template("subscriptions/list.html", subs=subs, describe=_describe,
                           frequency_labels=forms.FREQUENCY_SHORT, locales=LANGUAGE_NAMES)


@bp.route(MANAGE_PATH + "/new", methods=["GET", "POST"])
@role_required(PROFESSIONAL)
def new():
    form = _prefilled(forms.SubscriptionForm, current_user.locale or current_lang())
    general: list[str] = []
    if form.validate_on_submit():
        try:
            services.create_for(current_user, form.values())
        except services.SubscriptionError as exc:
            general = apply_errors(form, exc.errors)
        else:
            flash(_("Your saved search is stored. New matching postings will be mailed to you."),
                  "success")
            return redirect(url_for("subscriptions.index"))
    return render_template("subscriptions/form.html", form=form, general=general, sub=None)


@bp.route(MANAGE_PATH + "/<int:subscription_id>/edit", methods=["GET", "POST"])
@role_required(PROFESSIONAL)
def edit(subscription_id: int):
    try:
        sub = services.get_for(current_user, subscription_id)
    except services.SubscriptionNotFound:
        abort(404)
    if request.method == "POST":
        form = forms.SubscriptionForm()
    else:
        f = sub.filters
        form = forms.SubscriptionForm(formdata=None, data={
            "q": f.q, "prefecture": list(f.prefectures),
            "municipality": services.municipality_input(f.municipality),
            "employment_type": list(f.employment_types), "focus_area": list(f.focus_areas),
            "remote": f.remote or "", "joint": f.joint, "side_job": f.side_job,
            "frequency": sub.frequency, "locale": sub.locale})
    general: list[str] = []
    if form.validate_on_submit():
        try:
            services.update_for(current_user, subscription_id, form.values())
        except services.SubscriptionNotFound:
            abort(404)
        except services.SubscriptionError as exc:
            general = apply_errors(form, exc.errors)
        else:
            flash(_("Your saved search is updated."), "success")
            return redirect(url_for("subscriptions.index"))
    return render_template("subscriptions/form.html", form=form, general=general, sub=sub)


@bp.post(MANAGE_PATH + "/<int:subscription_id>/delete")
@role_required(PROFESSIONAL)
def delete(subscription_id: int):
    try:
        services.delete_for(current_user, subscription_id)
    except services.SubscriptionNotFound:
        abort(404)
    flash(_("The saved search is deleted. You will get no more mail for it."), "success")
    return redirect(url_for("subscriptions.index"))


# --------------------------------------------------------------------------- visitors


@bp.route("/subscribe", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def subscribe():
    """Public: subscribe to a search by email alone (professionals use their saved searches)."""
    if current_user.is_authenticated and current_user.role == PROFESSIONAL:
        return redirect(url_for("subscriptions.new", **request.args.to_dict(flat=False)))
    form = _prefilled(forms.GuestSubscriptionForm, current_lang())
    general: list[str] = []
    if form.validate_on_submit():
        try:
            services.subscribe_guest(form.email.data, form.values())
        except services.SubscriptionError as exc:
            general = apply_errors(form, exc.errors)
        else:
            return render_template("subscriptions/check_mail.html", email=form.email.data)
    return render_template("subscriptions/guest.html", form=form, general=general)


@bp.get("/subscribe/confirm/<token>")
def confirm(token: str):
    """Public. Shows a button only: mail scanners that follow links confirm nothing."""
    if services.check_confirm_token(token) is None:
        return render_template("subscriptions/link_invalid.html"), 400
    return render_template("subscriptions/confirm.html", token=token)


@bp.post("/subscribe/confirm/<token>")
@limiter.limit("30 per hour")
def confirm_post(token: str):
    sub = services.confirm_guest(token)
    if sub is None:
        return render_template("subscriptions/link_invalid.html"), 400
    return render_template("subscriptions/confirmed.html", sub=sub, search=_describe(sub))


# --------------------------------------------------------------------------- unsubscribe


@bp.get(UNSUBSCRIBE_PATH + "<token>")
def unsubscribe(token: str):
    """Public. GET never changes anything (link previews and scanners follow links)."""
    valid, sub = services.subscription_for_token(token)
    if not valid:
        return render_template("subscriptions/unsubscribe_invalid.html"), 400
    return render_template("subscriptions/unsubscribe.html", token=token, sub=sub,
                           search=_describe(sub) if sub is not None else [])


@bp.post(UNSUBSCRIBE_PATH + "<token>")
@csrf.exempt
def unsubscribe_post(token: str):
    """Public, CSRF-exempt: RFC 8058 one-click unsubscribe is a POST from the mail client,
    without cookies or a form token. The signed token is the only authority; forged or
    tampered tokens change nothing. This is the app's only CSRF exemption."""
    if not services.unsubscribe(token):
        return render_template("subscriptions/unsubscribe_invalid.html"), 400
    return render_template("subscriptions/unsubscribed.html")
