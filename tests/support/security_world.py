"""The world the security tests walk: two municipalities A and B of prefecture P (北海道),
one of prefecture Q (宮城県), their staff and coordinators, the ministry, two professionals X
and Y, and the objects every route needs (postings in each workflow state, applications,
an appointment, saved searches, subsidy cost lines, an outbox message, joint proposals and
talent-pool entries when those domains are installed).

Everything is made through the domain services (or the shared factories where a service
would need a browser), so the rows are the ones real use leaves behind. Every object that
belongs to somebody other than A / P / X carries a unique ASCII marker (``MKB...``, ``MKQ...``,
``MKY...``) in a field its pages, lists and exports show, so the cross-tenant tests can
assert it never appears where it must not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import inspect

from talentmatch.accounts.models import User
from talentmatch.extensions import db
from tests.support.factories import make_user

MUNI_A = "011002"  # 札幌市
MUNI_B = "012025"  # 函館市 (same prefecture)
MUNI_Q = "041009"  # 仙台市 (prefecture Q)
PREF_P = "01"
PREF_Q = "04"

# The five roles of the matrix, each acting for A / P / X.
ROLES = ("anon", "pro", "muni", "pref", "min")

# Unique ASCII markers in the fields each object's pages, lists and exports show, and the
# roles of the matrix allowed to see them anywhere (public postings are everybody's and carry
# no marker). The cross-tenant tests assert every other role never meets them.
MARKERS = {
    # postings (titles): drafts are their municipality's; once submitted also their
    # prefecture's, and the ministry's national dashboards follow the whole pipeline.
    "draft_a": ("MKAdraft", {"muni"}),
    "submitted_a": ("MKAsubmitted", {"muni", "pref", "min"}),
    "returned_a": ("MKAreturned", {"muni", "pref", "min"}),
    "relayed_a": ("MKArelayed", {"muni", "pref", "min"}),
    "draft_b": ("MKBdraft", set()),
    "submitted_b": ("MKBsubmitted", {"pref", "min"}),
    "submitted_q": ("MKQsubmitted", {"min"}),
    "relayed_q": ("MKQrelayed", {"min"}),
    # people: discoverable profiles are for staff; application messages for the posting's
    # municipality, its prefecture and the ministry (and the applicant).
    "pro_x": ("MKXperson", {"pro", "muni", "pref", "min"}),
    "pro_y": ("MKYperson", {"muni", "pref", "min"}),
    "app_x": ("MKXmessage", {"pro", "muni", "pref", "min"}),
    "app_y": ("MKYmessage", {"pref", "min"}),
    "app_xq": ("MKQapplication", {"pro", "min"}),
    "staff_b": ("MKBstaff", {"pref", "min"}),
    "staff_q": ("MKQstaff", {"min"}),
    "pref_q": ("MKQcoord", {"min"}),
    # a municipality's subsidy cost lines; a person's saved searches
    "line_a": ("MKAline", {"muni"}),
    "line_b": ("MKBline", set()),
    "sub_x": ("MKXsearch", {"pro"}),
    "sub_y": ("MKYsearch", set()),
    # joint proposals (titles) and introductions (notes)
    "proposal_p": ("MKAjoint", {"muni", "pref"}),
    "proposal_q": ("MKQjoint", set()),
    "intro_x": ("MKAintro", {"pro", "muni", "pref"}),
    "intro_y": ("MKQintro", set()),
}


def marker(key: str) -> str:
    return MARKERS[key][0]


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    ids: dict[str, object] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        return None if role == "anon" else db.session.get(User, self.user_ids[role])

    @property
    def user_ids(self) -> dict[str, int]:
        return {k: v.id for k, v in self.users.items()} if self.users else self._user_ids

    _user_ids: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, key: str):
        return self.ids[key]


def table_exists(name: str) -> bool:
    return inspect(db.engine).has_table(name)


def _posting_data(title: str, **extra) -> dict:
    from tests.support.postings import service_data

    return service_data(title=title, pr_text=title, **extra)


def build_world() -> World:
    from talentmatch.applications import services as applications
    from talentmatch.postings import services as postings
    from talentmatch.review import services as review
    from talentmatch.subscriptions import services as subscriptions
    from talentmatch.subscriptions.tokens import unsubscribe_token
    from talentmatch.subsidies import services as subsidies
    from tests.support.matching import appointment, make_pro

    w = World()
    u = w.users
    u["muni"] = make_user("municipality", municipality_code=MUNI_A, name="札幌市 職員 A")
    u["muni_a2"] = make_user("municipality", municipality_code=MUNI_A, name="札幌市 職員 A2")
    u["muni_b"] = make_user("municipality", municipality_code=MUNI_B,
                            name=f"函館市 職員 {marker('staff_b')}")
    u["muni_q"] = make_user("municipality", municipality_code=MUNI_Q,
                            name=f"仙台市 職員 {marker('staff_q')}")
    u["pref"] = make_user("prefecture", prefecture_code=PREF_P, name="北海道 調整担当")
    u["pref_q"] = make_user("prefecture", prefecture_code=PREF_Q,
                            name=f"宮城県 調整担当 {marker('pref_q')}")
    u["min"] = make_user("ministry", name="総務省 担当")
    pro_x = make_pro(f"専門人材 X {marker('pro_x')}", skills=["bpr"], focus_areas=["bpr"],
                     headline="X", experience=marker("pro_x"))
    pro_y = make_pro(f"専門人材 Y {marker('pro_y')}", skills=["bpr"], focus_areas=["bpr"],
                     headline="Y", experience=marker("pro_y"))
    u["pro"], u["pro_y"] = pro_x.user, pro_y.user
    ids = w.ids
    ids.update(prof_x=pro_x.id, prof_y=pro_y.id, staff_a2=u["muni_a2"].id,
               staff_b=u["muni_b"].id, staff_q=u["muni_q"].id, pref_q_user=u["pref_q"].id,
               pro_y_user=pro_y.user.id)

    a, b, q = u["muni"], u["muni_b"], u["muni_q"]
    p, pq, mic = u["pref"], u["pref_q"], u["min"]

    def draft(actor, key):
        return postings.create_draft(actor, _posting_data(_marker(key))).id

    def submitted(actor, key):
        pid = draft(actor, key)
        review.submit(actor, pid)
        return pid

    def relayed(actor, coord, key):
        pid = submitted(actor, key)
        review.relay(coord, pid)
        return pid

    def published(actor, coord, key):
        pid = relayed(actor, coord, key)
        review.publish(mic, pid)
        return pid

    ids["draft_a"] = draft(a, "draft_a")
    ids["submitted_a"] = submitted(a, "submitted_a")
    ids["relayed_a"] = relayed(a, p, "relayed_a")
    ids["published_a"] = published(a, p, "published_a")
    ids["published_a2"] = published(a, p, "published_a2")
    ids["returned_a"] = submitted(a, "returned_a")
    review.return_posting(p, ids["returned_a"], "具体的に書いてください")
    ids["draft_b"] = draft(b, "draft_b")
    ids["submitted_b"] = submitted(b, "submitted_b")
    ids["published_b"] = published(b, p, "published_b")
    ids["submitted_q"] = submitted(q, "submitted_q")
    ids["relayed_q"] = relayed(q, pq, "relayed_q")
    ids["published_q"] = published(q, pq, "published_q")

    app_x = applications.apply(pro_x.user, [ids["published_a"]], marker("app_x"))[0]
    app_y = applications.apply(pro_y.user, [ids["published_b"]], marker("app_y"))[0]
    app_xq = applications.apply(pro_x.user, [ids["published_q"]], marker("app_xq"))[0]
    ids.update(app_x=app_x.id, app_y=app_y.id, app_xq=app_xq.id)
    ids["invitation_x"] = applications.invite(a, ids["published_a2"], pro_x.id, "ぜひ").id
    from talentmatch.postings.models import Posting

    appt = appointment(pro_x, db.session.get(Posting, ids["published_a2"]), 2)
    appt_b = appointment(pro_y, db.session.get(Posting, ids["published_b"]), 2)
    db.session.commit()
    ids.update(appt_a=appt.id, appt_b=appt_b.id)

    sub_x = subscriptions.create_for(pro_x.user, {"q": marker("sub_x"), "frequency": "daily"})
    sub_y = subscriptions.create_for(pro_y.user, {"q": marker("sub_y"), "frequency": "daily"})
    ids.update(sub_x=sub_x.id, sub_y=sub_y.id, unsub_x=unsubscribe_token(sub_x.id))

    fy = date.today().year
    line_a = subsidies.add_line(a, MUNI_A, {"fiscal_year": str(fy), "category": "recruitment",
                                            "amount": "120000", "note": marker("line_a")})
    line_b = subsidies.add_line(b, MUNI_B, {"fiscal_year": str(fy), "category": "recruitment",
                                            "amount": "340000", "note": marker("line_b")})
    ids.update(line_a=line_a.id, line_b=line_b.id)

    from talentmatch.notifications.models import DEAD, OutboxMessage

    msg = OutboxMessage(kind="test", to_email="dead@example.jp", subject="s", text_body="t",
                        status=DEAD, last_error="400 bad request")
    db.session.add(msg)
    db.session.commit()
    ids["message_dead"] = msg.id

    from talentmatch.subsidies import measure_services

    draft = measure_services.create_draft(w.user("min"), {
        "key": "matrix_draft", "name_ja": "権限表の下書き", "categories": "matrix_only",
        "rate": "1/2", "first_fy": "2026", "last_fy": "2026", "body_kinds": ["city"]})
    ids["measure_draft"] = draft.id

    if table_exists("joint_proposal"):
        _joint(w)
    db.session.commit()
    return w


def _marker(key: str) -> str:
    return f"DX推進 {marker(key)}" if key in MARKERS else "DX推進アドバイザー"


def _joint(w: World) -> None:
    """Joint proposals (P proposes A+B; Q proposes its own) and P's talent pool."""
    from talentmatch.joint import proposals
    from talentmatch.joint.shares import ParticipantInput
    from talentmatch.pool import introductions
    from talentmatch.pool import services as pool

    u, ids = w.users, w.ids
    today = date.today()

    def proposal(actor, lead: str, other: str, title: str):
        data = proposals.ProposalInput(
            title=title, summary=title, lead_municipality_code=lead, days_per_month="4",
            employment_type="special_part_time", compensation_amount="300000",
            compensation_unit="month", period_start=(today + timedelta(days=60)).isoformat(),
            period_end=(today + timedelta(days=400)).isoformat(),
            participants=[ParticipantInput(municipality_code=lead, share_days="2", share_cost="1/2"),
                          ParticipantInput(municipality_code=other, share_days="2", share_cost="1/2")],
        )
        return proposals.propose(actor, data).id

    ids["proposal_p"] = proposal(u["pref"], MUNI_A, MUNI_B, f"共同 DX {marker('proposal_p')}")
    ids["proposal_q"] = proposal(u["pref_q"], MUNI_Q, "042021", f"共同 DX {marker('proposal_q')}")
    # Across the border: Q's coordinator proposes one role for 仙台市 and A, so P must agree.
    ids["proposal_qa"] = proposal(u["pref_q"], MUNI_Q, MUNI_A, "共同 DX 越境")
    pool.add_to_pool(u["pref"], PREF_P, [ids["prof_x"]])
    pool.add_to_pool(u["pref_q"], PREF_Q, [ids["prof_y"]])
    from sqlalchemy import select

    from talentmatch.pool.models import TalentPoolEntry

    entries = {e.prefecture_code: e.id for e in db.session.scalars(select(TalentPoolEntry))}
    ids["entry_p"], ids["entry_q"] = entries[PREF_P], entries[PREF_Q]
    intro = introductions.introduce(u["pref"], ids["entry_p"], ids["published_a"], marker("intro_x"))
    intro_y = introductions.introduce(u["pref_q"], ids["entry_q"], ids["published_q"], marker("intro_y"))
    ids["intro_x"], ids["intro_y"] = intro.id, intro_y.id


# --------------------------------------------------------------------------- requests

# URL parameters a row does not name take these (world keys, or "=literal").
DEFAULT_PARAMS = {
    "posting_id": "published_a",
    "application_id": "app_x",
    "appointment_id": "appt_a",
    "subscription_id": "sub_x",
    "line_id": "line_a",
    "message_id": "message_dead",
    "measure_id": "measure_draft",
    "user_id": "staff_a2",
    "professional_id": "prof_x",
    "proposal_id": "proposal_p",
    "entry_id": "entry_p",
    "introduction_id": "intro_x",
    "token": "=not-a-valid-token",
    "code": "=01",
    "prefecture_code": "=01",
    "pref_code": "=01",
    "filename": "=css/app.css",
}


def resolve(w: World, spec: str):
    return spec[1:] if spec.startswith("=") else w.ids[spec]


def url_of(app, w: World, endpoint: str, params: dict[str, str] | None = None) -> str:
    """The URL of `endpoint` with its parameters filled from the world."""
    from flask import url_for

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    spec = {**{k: DEFAULT_PARAMS[k] for k in rule.arguments if k in DEFAULT_PARAMS}, **(params or {})}
    missing = set(rule.arguments) - set(spec)
    assert not missing, f"{endpoint}: no world object for {sorted(missing)}: add it to DEFAULT_PARAMS"
    with app.test_request_context():
        return url_for(endpoint, **{k: resolve(w, v) for k, v in spec.items()})


def client_for(app, w: World, role: str):
    """A test client logged in as `role`'s representative (A's staff, P's coordinator, X,
    the ministry). The session is started by the accounts service itself — the same row the
    login form creates after the second factor — so hundreds of requests do not need
    hundreds of TOTP logins (the login forms have their own tests)."""
    from talentmatch.accounts.services import start_session

    client = app.test_client()
    user = w.user(role)
    if user is not None:
        sess = start_session(user, "127.0.0.1")
        with client.session_transaction() as s:
            s["_user_id"] = sess.id
            s["_fresh"] = True
    return client


KEEP_TABLES = {"prefecture", "municipality", "alembic_version"}


def wipe(app) -> None:
    """Back to master data only, as the suite's autouse fixture does after each test."""
    from talentmatch.extensions import limiter
    from talentmatch.publication.search import snapshots

    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(table.delete())
        limiter.reset()
        snapshots.reset()


# --------------------------------------------------------------------------- snapshot

class Snapshot:
    """The world's rows, taken once per run and put back before each test in a few
    milliseconds (building it through the services takes a second or more). Works on SQLite
    and PostgreSQL alike: rows are re-inserted in dependency order, with foreign keys that
    point forward (posting → its current revision) filled in afterwards. Sequences never go
    back, so rows created by a test's requests get fresh ids."""

    def __init__(self, app, w: World) -> None:
        self.ids = dict(w.ids)
        self.user_ids = {k: u.id for k, u in w.users.items()}
        self.rows: dict[str, list[dict]] = {}
        with app.app_context(), db.engine.connect() as conn:
            for table in db.metadata.sorted_tables:
                if table.name not in KEEP_TABLES:
                    self.rows[table.name] = [dict(r) for r in conn.execute(table.select()).mappings()]

    def restore(self, app) -> World:
        wipe(app)
        tables = [t for t in db.metadata.sorted_tables if t.name in self.rows]
        order = {t.name: i for i, t in enumerate(tables)}
        with app.app_context(), db.engine.begin() as conn:
            later: list[tuple] = []
            for table in tables:
                rows = self.rows[table.name]
                if not rows:
                    continue
                forward = [fk.parent.name for fk in table.foreign_keys
                           if order.get(fk.column.table.name, -1) >= order[table.name]]
                if forward:
                    later.append((table, forward, rows))
                    rows = [{**r, **dict.fromkeys(forward)} for r in rows]
                conn.execute(table.insert(), rows)
            for table, cols, rows in later:
                pk = list(table.primary_key.columns)[0]
                for r in rows:
                    values = {c: r[c] for c in cols if r[c] is not None}
                    if values:
                        conn.execute(table.update().where(pk == r[pk.name]).values(**values))
        with app.app_context():
            db.session.remove()
        return World(ids=dict(self.ids), _user_ids=dict(self.user_ids))
