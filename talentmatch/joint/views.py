"""Joint appointment screens: the coordinator's overview (proposals, "joint wished" postings
and the matcher's bundles), the proposal form, a proposal's page with answers, agreement,
the subsidy split and the step to the joint posting, and the municipality's list."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from talentmatch import signals, vocab
from talentmatch.accounts.models import MUNICIPALITY, PREFECTURE
from talentmatch.accounts.permissions import NavItem, require_prefecture, role_required
from talentmatch.extensions import db
from talentmatch.geo.models import Prefecture
from talentmatch.geo.services import municipalities_of
from talentmatch.i18n import current_lang
from talentmatch.joint import access, answers, mail, participants, proposals, shares
from talentmatch.joint import posting as joint_posting
from talentmatch.joint.forms import AnswerForm, ProposalForm
from talentmatch.subsidies import joint_split
from talentmatch.web import tr

bp = Blueprint("joint", __name__)

@signals.nav_items.connect
def _nav(sender) -> list[NavItem]:
    return [
        NavItem("joint.home", _l("Joint appointments"), (PREFECTURE, MUNICIPALITY), 35),
    ]


@bp.get("/joint")
@role_required(PREFECTURE, MUNICIPALITY)
def home():
    if current_user.role == PREFECTURE:
        return redirect(url_for("joint.prefecture", prefecture_code=current_user.prefecture_code))
    return redirect(url_for("joint.mine"))


def _load(proposal_id: int):
    try:
        return access.load(current_user, proposal_id)
    except access.ProposalNotFound:
        abort(404)


# --------------------------------------------------------------------------- coordinator


@bp.get("/prefectures/<prefecture_code>/joint")
@role_required(PREFECTURE)
def prefecture(prefecture_code: str):
    require_prefecture(prefecture_code)
    from talentmatch.matching.pages import bundle_suggestions

    seen = access.proposals_of_prefecture(prefecture_code)
    own = [p for p in seen if p.proposing_prefecture_code == prefecture_code]
    asked = [p for p in seen if p.proposing_prefecture_code != prefecture_code]
    return render_template(
        "joint/prefecture.html",
        prefecture_code=prefecture_code,
        own=own,
        asked=asked,
        wished=proposals.wished_postings(prefecture_code),
        bundles=bundle_suggestions(prefecture_code, limit=5, per_bundle=3),
        state_labels=shares.STATE_LABELS,
        response_labels=shares.RESPONSE_LABELS,
        name_of=mail.name_of,
    )


def _municipality_choices(prefecture_code: str, extra: list[str]) -> list | dict:
    """The prefecture's municipalities; with other prefectures, one group each."""
    own = [("", "—")] + [(m.code, f"{m.name} ({m.code})") for m in municipalities_of(prefecture_code)]
    if not extra:
        return own
    groups: dict[str, list] = {}
    names = {p.code: (p.name_en if current_lang() == "en" else p.name)
             for p in db.session.query(Prefecture)}
    groups[names.get(prefecture_code, prefecture_code)] = own
    for code in extra:
        groups[names.get(code, code)] = [(m.code, f"{m.name} ({m.code})")
                                         for m in municipalities_of(code)]
    return groups


def _extra_prefectures(prefecture_code: str, codes: list[str]) -> list[str]:
    wanted = request.args.getlist("with") + request.form.getlist("with")
    wanted += [c[:2] for c in codes if c]
    valid = {p.code for p in db.session.query(Prefecture.code)}
    return sorted({c for c in wanted if c in valid and c != prefecture_code})


def _choices(choices: tuple[vocab.Choice, ...]) -> list[SelectChoice]:
    return [SelectChoice("", "—"), *(SelectChoice(c.value, _(c.label)) for c in choices)]


def _fill(form: ProposalForm, data: proposals.ProposalInput) -> None:
    for key in ("title", "summary", "lead_municipality_code", "days_per_month",
                "employment_type", "compensation_amount", "compensation_unit", "period_start",
                "period_end"):
        getattr(form, key).data = getattr(data, key)
    for entry, part in zip(form.participants, data.participants, strict=False):
        entry.municipality_code.data = part.municipality_code
        entry.share_days.data = part.share_days
        entry.share_cost.data = part.share_cost
    while len(form.participants) < min(len(data.participants) + 1, 10):
        form.participants.append_entry()
    form.source_posting_ids.data = ",".join(str(i) for i in data.source_posting_ids)


def _read(form: ProposalForm) -> proposals.ProposalInput:
    ids = [int(x) for x in re.findall(r"\d+", form.source_posting_ids.data or "")][:20]
    return proposals.ProposalInput(
        title=form.title.data or "", summary=form.summary.data or "",
        lead_municipality_code=form.lead_municipality_code.data or "",
        days_per_month=form.days_per_month.data or "",
        employment_type=form.employment_type.data or "",
        compensation_amount=form.compensation_amount.data or "",
        compensation_unit=form.compensation_unit.data or "",
        period_start=form.period_start.data or "", period_end=form.period_end.data or "",
        participants=[shares.ParticipantInput(e.municipality_code.data or "",
                                              e.share_days.data or "", e.share_cost.data or "")
                      for e in form.participants],
        source_posting_ids=ids,
    )


def _apply(form: ProposalForm, errors) -> list[str]:
    general = []
    for err in errors:
        text = tr(err.message)
        m = re.fullmatch(r"participants-(\d+)-(\w+)", err.field)
        target = None
        if m and int(m[1]) < len(form.participants):
            target = getattr(form.participants[int(m[1])], m[2], None)
        elif hasattr(form, err.field) and err.field not in ("participants", "source_posting_ids"):
            target = getattr(form, err.field)
        if target is not None:
            target.errors = list(target.errors or []) + [text]
        else:
            general.append(text)
    return general


@bp.route("/prefectures/<prefecture_code>/joint/new", methods=["GET", "POST"])
@role_required(PREFECTURE)
def new(prefecture_code: str):
    require_prefecture(prefecture_code)
    form = ProposalForm()
    general: list[str] = []
    status = 200
    if request.method == "GET":
        data = proposals.ProposalInput()
        if request.args.get("from", type=int):
            try:
                data = proposals.prefill_from_proposal(current_user, request.args.get("from", type=int))
            except access.ProposalNotFound:
                abort(404)
        elif request.args.get("postings") or request.args.get("pick"):
            raw = ",".join([request.args.get("postings", ""), *request.args.getlist("pick")])
            ids = [int(x) for x in re.findall(r"\d+", raw)][:10]
            data = proposals.prefill_from_postings(current_user, ids)
        _fill(form, data)
    codes = [e.municipality_code.data or "" for e in form.participants]
    extra = _extra_prefectures(prefecture_code, codes)
    choices = _municipality_choices(prefecture_code, extra)
    for entry in form.participants:
        entry.municipality_code.choices = choices
    form.lead_municipality_code.choices = _municipality_choices(prefecture_code, [])
    form.employment_type.choices = _choices(vocab.EMPLOYMENT_TYPES)
    form.compensation_unit.choices = _choices(vocab.COMPENSATION_UNITS)
    ok = False
    if request.method == "POST":
        # The form's own checks and every rule of the proposal in one pass.
        ok = form.validate()
        domain = proposals.check(current_user, _read(form))
        general = _apply(form, [e for e in domain
                                if not getattr(getattr(form, e.field, None), "errors", None)])
        ok = ok and not domain
    if ok:
        try:
            proposal = proposals.propose(current_user, _read(form))
        except proposals.InvalidProposal as exc:
            general = _apply(form, exc.errors)
            status = 400
        else:
            flash(_("The proposal was sent to the participating municipalities."), "success")
            return redirect(url_for("joint.show", proposal_id=proposal.id))
    elif request.method == "POST":
        status = 400
    prefs = [(p.code, p.name_en if current_lang() == "en" else p.name)
             for p in db.session.query(Prefecture).order_by(Prefecture.code)
             if p.code != prefecture_code]
    return render_template("joint/form.html", form=form, general=general,
                           prefecture_code=prefecture_code, extra=extra, prefectures=prefs,
                           suggested=request.method == "GET" and bool(form.title.data)), status


# --------------------------------------------------------------------------- a proposal


@bp.get("/joint/proposals/<int:proposal_id>")
@role_required(PREFECTURE, MUNICIPALITY)
def show(proposal_id: int):
    proposal = _load(proposal_id)
    split = joint_split.subsidy_split(proposal, current_lang())
    return render_template(
        "joint/proposal.html",
        proposal=proposal,
        me=access.participant_of(current_user, proposal),
        agreement=access.agreement_of(current_user, proposal),
        is_proposer=access.is_proposer(current_user, proposal),
        can_post=access.can_create_posting(current_user, proposal),
        form=AnswerForm(),
        split=split,
        split_problem=tr(split.problem) if split.problem else None,
        employment_labels=vocab.labels(vocab.EMPLOYMENT_TYPES),
        unit_labels=vocab.labels(vocab.COMPENSATION_UNITS),
        state_labels=shares.STATE_LABELS,
        response_labels=shares.RESPONSE_LABELS,
        name_of=mail.name_of,
        shares=shares,
    )


def _answer(action, proposal_id: int):
    form = AnswerForm()
    if not form.validate_on_submit():
        abort(400)
    accept = request.form.get("decision") == "accept"
    try:
        action(current_user, proposal_id, accept=accept, comment=form.comment.data or "")
    except access.ProposalNotFound:
        abort(404)
    except proposals.InvalidProposal as exc:
        flash(tr(exc.errors[0].message), "error")
    except proposals.ProposalRefused as exc:
        flash(tr(exc.message), "error")
    else:
        flash(_("Your answer was recorded.") if accept else _("You declined the proposal."),
              "success")
    return redirect(url_for("joint.show", proposal_id=proposal_id))


@bp.post("/joint/proposals/<int:proposal_id>/respond")
@role_required(MUNICIPALITY)
def respond(proposal_id: int):
    return _answer(answers.respond, proposal_id)


@bp.post("/joint/proposals/<int:proposal_id>/agree")
@role_required(PREFECTURE)
def agree(proposal_id: int):
    return _answer(answers.agree, proposal_id)


@bp.post("/joint/proposals/<int:proposal_id>/withdraw")
@role_required(PREFECTURE)
def withdraw(proposal_id: int):
    try:
        answers.withdraw(current_user, proposal_id)
    except access.ProposalNotFound:
        abort(404)
    except proposals.ProposalRefused as exc:
        flash(tr(exc.message), "error")
    else:
        flash(_("The proposal was withdrawn."), "success")
    return redirect(url_for("joint.show", proposal_id=proposal_id))


@bp.post("/joint/proposals/<int:proposal_id>/posting")
@role_required(PREFECTURE, MUNICIPALITY)
def create_posting(proposal_id: int):
    try:
        posting = joint_posting.create_posting(current_user, proposal_id)
    except access.ProposalNotFound:
        abort(404)
    except proposals.ProposalRefused as exc:
        flash(tr(exc.message), "error")
        return redirect(url_for("joint.show", proposal_id=proposal_id))
    flash(_("The joint posting was created as a draft of the lead municipality. Its staff "
            "complete it and submit it to the prefecture."), "success")
    if current_user.role == MUNICIPALITY:
        return redirect(url_for("postings.edit", posting_id=posting.id))
    return redirect(url_for("joint.show", proposal_id=proposal_id))


# --------------------------------------------------------------------------- municipality


@bp.get("/my/joint")
@role_required(MUNICIPALITY)
def mine():
    return render_template(
        "joint/mine.html",
        proposals=access.proposals_of_municipality(current_user.municipality_code),
        code=current_user.municipality_code,
        state_labels=shares.STATE_LABELS,
        response_labels=shares.RESPONSE_LABELS,
        name_of=mail.name_of,
    )


# --------------------------------------------------------------------------- includes


@bp.app_template_global()
def joint_participants(posting_id: int) -> list[dict]:
    """For posting pages of staff: the joint posting's participants ([] if not joint)."""
    return participants.participants_for([posting_id]).get(posting_id, [])


@bp.app_template_global()
def joint_pending() -> dict:
    """What waits for the signed-in user in the joint domain (home page panel)."""
    if not current_user.is_authenticated:
        return {}
    return access.pending_counts(current_user)
