"""Every form, as a clerk, a coordinator or a professional meets it: one submit shows every
error at once in the error summary (each item a link to its field), every numeric box takes
what a Japanese IME types (full-width digits, ，, ー for hyphens, 　), and no value typed into
any field of any form gives a 500."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from talentmatch.extensions import db
from tests.support.figures import figure
from tests.support.security_world import client_for, url_of

FULL = str.maketrans("0123456789,.-", "０１２３４５６７８９，．ー")


def full_width(text: str) -> str:
    return text.translate(FULL)


def summary_links(html: str) -> list[str]:
    box = re.search(r'<div class="notice error error-summary".*?</div>', html, re.S)
    assert box, "no error summary"
    assert "入力内容を確認してください" in box.group(0)
    return re.findall(r'<a href="#([\w-]+)"', box.group(0))


# (role, url template, posted data, the fields an empty submit must list together)
FORMS = {
    "register": ("anon", "/register", {}, ["display_name", "email", "password", "consent"]),
    "posting": ("muni", "/my/postings/new", {"action": "submit"},
                ["title", "employment_type", "joint_wish", "focus_areas", "duties",
                 "required_experience", "days_per_month", "remote", "compensation_amount",
                 "compensation_unit", "period_start", "period_end", "deadline",
                 "how_to_apply", "contact_department", "contact_email"]),
    "profile": ("pro", "/profile/edit", {"available_days_per_month": "", "headline": "x" * 300},
                ["headline", "available_days_per_month"]),
    "appointment": ("muni", "/applications/{app_x}/appoint", {},
                    ["days_per_month", "period_start", "period_end", "employment_type"]),
    "subsidy line": ("muni", "/subsidies/lines", {}, ["date", "category", "amount"]),
    "joint proposal": ("pref", "/prefectures/01/joint/new", {},
                       ["title", "lead_municipality_code", "employment_type", "days_per_month"]),
    "pool invite": ("pref", "/prefectures/01/pool/invite", {"locale": "ja"},
                    ["email", "display_name", "available_days_per_month"]),
    "pool entry": ("pref", "/pool/entries/{entry_p}",
                   {"entry-tags": "、".join(f"タグ{i}" for i in range(40)), "entry-note": "あ" * 3000},
                   ["entry-tags", "entry-note"]),
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_one_submit_lists_every_error_with_a_link_to_its_field(app, world, name):
    role, url, data, expected = FORMS[name]
    url = url.format(app_x=world["app_x"], entry_p=world["entry_p"])
    resp = client_for(app, world, role).post(url, data=data)
    assert resp.status_code in (200, 400, 422), (name, resp.status_code)
    html = resp.get_data(as_text=True)
    links = summary_links(html)
    assert set(expected) <= set(links), (name, set(expected) - set(links))
    for target in links:  # every link lands on a field (an input, a select or a fieldset)
        assert f'id="{target}"' in html, (name, target)
    assert html.count('id="error-summary"') == 1
    figure("forms", "all-at-once forms checked")


# --------------------------------------------------------------------------- full width


def test_the_totp_field_takes_full_width_digits(app, ctx, client):
    from tests.support.factories import make_user, next_code

    user = make_user("municipality", municipality_code="011002")
    resp = client.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    assert resp.headers["Location"].endswith("/login/mfa")
    code = next_code(user)
    typed = full_width(code[:3]) + "　" + full_width(code[3:])  # ６７１　４４８, as an IME sends
    resp = client.post("/login/mfa", data={"code": typed})
    assert resp.status_code == 302 and not resp.headers["Location"].endswith("/login/mfa")


def test_a_wrong_full_width_code_is_refused_politely(app, ctx, client):
    from tests.support.factories import make_user

    user = make_user("municipality", municipality_code="011002")
    client.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    for typed in ("６７１４４８", "６７１ー４４８", "１２３", "𝟔𝟕𝟏𝟒𝟒𝟖", "٦٧١٤٤٨"):
        resp = client.post("/login/mfa", data={"code": typed})
        assert resp.status_code == 200, typed


def test_full_width_numbers_on_every_numeric_field(app, world):
    from talentmatch.applications.models import Appointment
    from talentmatch.joint.models import JointProposal
    from talentmatch.postings.models import Posting
    from talentmatch.professionals.models import Professional
    from talentmatch.subsidies.models import CostLine
    from tests.support.postings import form_data

    muni, pref, pro = (client_for(app, world, r) for r in ("muni", "pref", "pro"))
    # The posting template: days, pay, phone.
    resp = muni.post("/my/postings/new", data=form_data(
        action="save", title="全角テスト", days_per_month="４", compensation_amount="３００，０００",
        contact_phone="０３ー１２３４ー５６７８"))
    assert resp.status_code == 302, summary_links(resp.get_data(as_text=True))
    rev = db.session.scalars(select(Posting).order_by(Posting.id.desc())).first().current_revision
    assert (rev.days_per_month, rev.compensation_amount, rev.contact_phone) == (4, 300000, "03-1234-5678")

    # The appointment: days and pay.
    from talentmatch.applications import services as applications

    for step in ("screening", "offered"):
        applications.move(world.user("muni"), world["app_x"], step)
    resp = muni.post(f"/applications/{world['app_x']}/appoint", data={
        "days_per_month": "２", "period_start": "2027-04-01", "period_end": "2028-03-31",
        "employment_type": "special_part_time", "compensation_amount": "１２０，０００",
        "compensation_unit": "month", "fills_posting": ""})
    assert resp.status_code == 302, re.findall(r"<li>(.*?)</li>", resp.get_data(as_text=True))
    appt = db.session.scalars(select(Appointment).order_by(Appointment.id.desc())).first()
    assert (appt.days_per_month, appt.compensation_amount) == (2, 120000)

    # A subsidy cost line: the amount.
    resp = muni.post("/subsidies/lines", data={"fiscal_year": "2024", "category": "recruitment",
                                               "amount": "８００，０００"})
    assert resp.status_code == 302, summary_links(resp.get_data(as_text=True))
    line = db.session.scalars(select(CostLine).order_by(CostLine.id.desc())).first()
    assert line.amount == 800000

    # A joint proposal: total days, pay and each participant's days and share.
    resp = pref.post("/prefectures/01/joint/new", data={
        "title": "共同CIO補佐官", "lead_municipality_code": "011002", "employment_type": "special_part_time",
        "days_per_month": "４", "compensation_amount": "３０万", "compensation_unit": "month",
        "period_start": "2027-04-01", "period_end": "2028-03-31",
        "participants-0-municipality_code": "011002", "participants-0-share_days": "２",
        "participants-0-share_cost": "５０％",
        "participants-1-municipality_code": "012025", "participants-1-share_days": "２",
        "participants-1-share_cost": "５０％"})
    assert resp.status_code == 302, summary_links(resp.get_data(as_text=True))
    proposal = db.session.scalars(select(JointProposal).order_by(JointProposal.id.desc())).first()
    assert (proposal.days_per_month, proposal.compensation_amount) == (4, 300000)

    # The talent pool: a person's days.
    resp = pref.post("/prefectures/01/pool/invite", data={
        "email": "zenkaku@example.jp", "display_name": "全角 太郎", "available_days_per_month": "　８　",
        "locale": "ja"})
    assert resp.status_code == 302, summary_links(resp.get_data(as_text=True))

    # A professional's own profile: available days.
    resp = pro.post("/profile/edit", data={"kind": "individual", "remote_preference": "hybrid",
                                           "available_days_per_month": "２．５"})
    assert resp.status_code == 302, summary_links(resp.get_data(as_text=True))
    db.session.expire_all()
    prof = db.session.get(Professional, world["prof_x"])
    assert prof.available_days_per_month == 2.5


# --------------------------------------------------------------------------- robustness


class _Forms(HTMLParser):
    """The POST forms of a page: action and the names of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[str], bool]] = []
        self._current: tuple[str, list[str], list[bool]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = (a.get("action") or "", [], [False])
        elif self._current is not None and tag in ("input", "select", "textarea"):
            if a.get("type") == "file":
                self._current[2][0] = True
            name = a.get("name")
            if name and name != "csrf_token" and name not in self._current[1]:
                self._current[1].append(name)

    def handle_endtag(self, tag):
        if tag == "form" and self._current is not None:
            action, names, has_file = self._current
            self.forms.append((action, names, has_file[0]))
            self._current = None


# Routes whose POST ends the session or the account; their fields are covered elsewhere.
SKIP_ACTIONS = ("/logout", "/language", "/profile/delete", "/account/delete")


def _every_form(app, world) -> list[tuple[str, str, str, list[str]]]:
    from tests.security.test_authorization_matrix import ROWS

    found: dict[tuple[str, str], tuple[str, str, str, list[str]]] = {}
    for endpoint, method, spec, expected in ROWS:
        if method != "GET":
            continue
        for role in ("muni", "pref", "pro", "min", "anon"):
            if expected[role] != "200":
                continue
            url = url_of(app, world, endpoint, spec)
            page = client_for(app, world, role).get(url)
            # A page the matrix says this role may open never fails while the crawl reads it.
            assert page.status_code < 500, (role, url, page.status_code)
            if page.status_code != 200 or "text/html" not in page.content_type:
                page.close()
                continue
            parser = _Forms()
            parser.feed(page.get_data(as_text=True))
            for action, names, has_file in parser.forms:
                target = action or url
                if has_file or not names or target.startswith(SKIP_ACTIONS):
                    continue
                found.setdefault((role, target), (role, url, target, names))
    return list(found.values())


NASTY = st.sampled_from([
    "", " ", "\x00", "\r\n", "１２３", "６７１４４８", "３００，０００円", "０３ー１２３４ー５６７８",
    "〒０６０ー８６１１", "　４．５　", "-1", "−5", "9" * 40, "1e309", "NaN", "Infinity", "0x1F",
    "2026-02-30", "令和8年4月1日", "%", "' OR '1'='1", "<script>", "\u202e", "𠮷", "ｱｲｳ",
    "a" * 5000, "=1+1", "@SUM(A1)",
])


@pytest.fixture(scope="module")
def every_form(app, world_snapshot):
    w = world_snapshot.restore(app)
    with app.app_context():
        return _every_form(app, w)


def test_the_crawl_finds_the_forms_of_every_role(every_form):
    targets = {t for _, _, t, _ in every_form}
    for path in ("/my/postings/new", "/register", "/profile/edit", "/subsidies/lines",
                 "/prefectures/01/pool/invite", "/prefectures/01/joint/new"):
        assert any(t.split("?")[0] == path for t in targets), path
    assert len(every_form) >= 20, len(every_form)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_no_value_in_any_field_of_any_form_gives_a_500(app, world, every_form, data):
    role, page, target, names = data.draw(st.sampled_from(every_form))
    values = {name: data.draw(st.one_of(NASTY, st.text(max_size=30)), label=name)
              for name in names}
    resp = client_for(app, world, role).post(target, data=values)
    figure("forms", "form submissions with hostile values")
    assert resp.status_code < 500, (role, page, target, values, resp.status_code)
    assert "Traceback" not in resp.get_data(as_text=True)


def test_a_nul_character_in_a_field_or_a_search_is_dropped_not_a_500(app, ctx, client):
    """PostgreSQL refuses NUL in text: a stray \\x00 (pasted, or sent by a robot) in an e-mail
    address, a return comment or a search is dropped before anything reads it."""
    from talentmatch.review.models import ReviewEvent
    from tests.support.factories import login
    from tests.support.postings import clerk, coordinator, submitted

    resp = client.post("/password/forgot", data={"email": "\x00"})
    assert resp.status_code < 500
    assert client.get("/postings", query_string={"q": "情報\x00政策"}).status_code == 200
    posting = submitted(clerk())
    coord = app.test_client()
    login(coord, coordinator())
    resp = coord.post(f"/review/postings/{posting.id}/return",
                      data={"comment": "報酬の単位を\x00確認してください"})
    assert resp.status_code == 302, resp.status_code
    event = db.session.scalars(select(ReviewEvent).where(ReviewEvent.action == "return")).one()
    assert event.comment == "報酬の単位を確認してください"


SWEEP = ["Infinity", "NaN", "9" * 40, "\x00", "１e９"]


def test_every_field_of_every_form_takes_each_value_no_number_can_be(app, world, every_form):
    """Beside the random draws above, every field of every form once with each value that
    parses as a number in some reader and fits no column (Infinity, NaN, 40 digits, NUL)."""
    broken = []
    for role, _page, target, names in every_form:
        c = client_for(app, world, role)
        for name in names:
            for value in SWEEP:
                if c.post(target, data={name: value}).status_code >= 500:
                    broken.append((role, target, name, value))
    assert broken == []
