"""Dashboard figures against counts computed in plain Python over the objects the test
created, for a prefecture and for the whole country; who may see which dashboard; CSV."""

from __future__ import annotations

import csv
import io
import statistics
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from talentmatch.applications.models import Application
from talentmatch.dashboards import figures
from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.geo.models import Municipality
from talentmatch.joint.models import JointParticipant, JointProposal
from talentmatch.review.models import ReviewEvent
from talentmatch.subsidies.models import CostLine
from tests.support.factories import login, make_posting, make_user
from tests.support.matching import appointment, make_pro

KIKONAI, SHIRIUCHI, NANAE, CHIYODA = "013340", "013331", "013374", "131016"


def _event(posting, action, to_state, days_ago):
    db.session.add(ReviewEvent(posting_id=posting.id, revision_id=posting.current_revision_id,
                               actor_role="municipality", action=action, from_state="draft",
                               to_state=to_state, at=utcnow() - timedelta(days=days_ago)))


@pytest.fixture
def world(app):
    """A small world; every created posting is remembered with what a reader would say
    about it, so the expected figures are plain Python over this list."""
    with app.app_context():
        now = utcnow()
        made: list[dict] = []

        def post(code, state, *, submit_ago=None, published_ago=None, wait_ago=None, **kw):
            first = now - timedelta(days=published_ago) if published_ago is not None else None
            p = make_posting(code, state, first_published_at=first, **kw)
            if submit_ago is not None:
                _event(p, "submit", "submitted", submit_ago)
            if wait_ago is not None:
                _event(p, {"submitted": "submit", "relayed": "relay", "returned": "return"}[state],
                       state, wait_ago)
            db.session.commit()
            made.append({"posting": p, "code": code, "state": state, "submit_ago": submit_ago,
                         "published_ago": published_ago, "wait_ago": wait_ago})
            return p

        a1 = post(KIKONAI, "published", submit_ago=20, published_ago=10, joint_wish="joint")
        a2 = post(KIKONAI, "published", submit_ago=6, published_ago=3)
        a3 = post(SHIRIUCHI, "published", submit_ago=45, published_ago=5)
        b1 = post(CHIYODA, "published", submit_ago=40, published_ago=20)
        c1 = post(NANAE, "closed", submit_ago=200, published_ago=130)
        post(NANAE, "submitted", wait_ago=40)
        post(CHIYODA, "relayed", wait_ago=3)
        post(SHIRIUCHI, "returned", wait_ago=10)
        post(KIKONAI, "draft")
        post(CHIYODA, "withdrawn")

        people = [make_pro(f"人材{i}") for i in range(6)]
        applications = {a1: [0, 1, 2], a2: [], a3: [0, 1, 2, 3, 4, 5], b1: [3], c1: [0, 1, 2, 3]}
        withdrawn = {(a1, 2)}
        for posting, who in applications.items():
            for i in who:
                db.session.add(Application(
                    professional_id=people[i].id, posting_id=posting.id,
                    municipality_code=posting.municipality_code,
                    status="withdrawn" if (posting, i) in withdrawn else "received"))
        db.session.commit()
        appts = [
            appointment(people[0], a1, 4), appointment(people[0], a3, 4),
            appointment(people[1], b1, 4), appointment(people[2], a2, 2),
            appointment(people[3], c1, 3, status="ended"),
        ]

        coord = make_user("prefecture", prefecture_code="01")
        proposals = []
        for state, answers, pref, posting in (
            ("proposed", ["accepted", "pending"], "01", None),
            ("proposed", ["pending", "pending"], "01", None),
            ("declined", ["accepted", "declined"], "01", None),
            ("posted", ["accepted", "accepted"], "01", a1),
            ("proposed", ["pending", "pending"], "13", None),
        ):
            lead = KIKONAI if pref == "01" else CHIYODA
            other = NANAE if pref == "01" else "131024"
            prop = JointProposal(proposing_prefecture_code=pref, lead_municipality_code=lead,
                                 title="共同任用", days_per_month=8,
                                 employment_type="special_part_time", state=state,
                                 posting_id=posting.id if posting else None,
                                 created_by_id=coord.id)
            for i, (code, answer) in enumerate(zip((lead, other), answers, strict=True)):
                prop.participants.append(JointParticipant(
                    municipality_code=code, position=i, share_days=4, share_cost_num=1,
                    share_cost_den=2, response=answer))
            db.session.add(prop)
            proposals.append(prop)
        db.session.add_all([
            CostLine(municipality_code=KIKONAI, fiscal_year=2024, category="recruitment",
                     amount=400_000),
            CostLine(municipality_code=KIKONAI, fiscal_year=2025,
                     category="special_part_time_remuneration", amount=1_200_000),
            CostLine(municipality_code=CHIYODA, fiscal_year=2025,
                     category="special_part_time_remuneration", amount=900_000),
        ])
        db.session.commit()
        yield {"made": made, "appts": appts, "proposals": proposals, "applications": applications,
               "withdrawn": withdrawn, "coord": coord}


def _in(code, pref):
    return pref is None or code[:2] == pref


@pytest.mark.parametrize("pref", ["01", None])
def test_posting_figures_match_plain_counts(world, pref):
    made = [m for m in world["made"] if _in(m["code"], pref)]
    public = [m for m in made if m["state"] == "published"]

    if pref is None:
        expected_open: dict[str, int] = {}
        for m in public:
            expected_open[m["code"][:2]] = expected_open.get(m["code"][:2], 0) + 1
        assert figures.open_by_prefecture() == expected_open
    else:
        expected_open = {}
        for m in public:
            expected_open[m["code"]] = expected_open.get(m["code"], 0) + 1
        assert figures.open_by_municipality(pref) == expected_open

    states = figures.by_state(pref)
    for state in figures.POSTING_STATES:
        assert states[state] == sum(1 for m in made if m["state"] == state), state

    times = figures.publish_times(pref)
    durations = [m["submit_ago"] - m["published_ago"] for m in made
                 if m["published_ago"] is not None and m["submit_ago"] is not None]
    assert times.count == len(durations)
    assert times.median_days == pytest.approx(statistics.median(durations), abs=0.05)
    assert sum(times.bands.values()) == len(durations)
    assert times.bands["0-7"] == sum(1 for d in durations if d <= 7)
    assert times.bands["61+"] == sum(1 for d in durations if d > 60)

    wait = figures.waiting(pref)
    for m in made:
        if m["wait_ago"] is None:
            continue
        band = ("0-6" if m["wait_ago"] < 7 else "7-13" if m["wait_ago"] < 14
                else "14-29" if m["wait_ago"] < 30 else "30+")
        assert wait.counts[m["state"]][band] >= 1
    assert sum(sum(v.values()) for v in wait.counts.values()) == sum(
        1 for m in made if m["wait_ago"] is not None)
    if wait.oldest:
        assert wait.oldest[0]["days"] == max(m["wait_ago"] for m in made if m["wait_ago"])


@pytest.mark.parametrize("pref", ["01", None])
def test_applicant_appointment_and_joint_figures(world, pref):
    counts = {p.id: len([i for i in who if (p, i) not in world["withdrawn"]])
              for p, who in world["applications"].items() if _in(p.municipality_code, pref)}
    got = figures.applicants(pref)
    assert got.postings == len(counts) and got.applications == sum(counts.values())
    assert got.bands["0"] == sum(1 for n in counts.values() if n == 0)
    assert got.bands["2-5"] == sum(1 for n in counts.values() if 2 <= n <= 5)
    assert got.bands["6-10"] == sum(1 for n in counts.values() if 6 <= n <= 10)

    appts = [a for a in world["appts"] if _in(a.municipality_code, pref)]
    active = [a for a in appts if a.status == "active"]
    per_person: dict[int, int] = {}
    for a in active:
        per_person[a.professional_id] = per_person.get(a.professional_id, 0) + 1
    got = figures.appointments(pref)
    assert (got.active, got.ended, got.people) == (
        len(active), len(appts) - len(active), len(per_person))
    assert got.several == sum(1 for n in per_person.values() if n >= 2)

    props = [p for p in world["proposals"] if pref is None or p.proposing_prefecture_code == pref]
    joint = figures.joint_by_state(pref)
    assert joint["partly_accepted"] == sum(
        1 for p in props if p.state == "proposed"
        and any(x.response == "accepted" for x in p.participants))
    assert joint["proposed"] == sum(
        1 for p in props if p.state == "proposed"
        and not any(x.response == "accepted" for x in p.participants))
    assert joint["posted"] == sum(1 for p in props if p.state == "posted")
    assert sum(joint.values()) == len(props)
    assert figures.joint_published(pref) == 1


@pytest.mark.parametrize("pref", ["01", None])
def test_indicator_by_kind(world, pref):
    public_ids = {m["posting"].id for m in world["made"] if m["state"] == "published"}
    appointed = {a.posting_id for a in world["appts"] if a.status == "active"}
    using = {m["code"] for m in world["made"] if m["state"] == "published"}
    using |= {a.municipality_code for a in world["appts"] if a.status == "active"}
    for p in world["proposals"]:
        if p.state == "posted" and p.posting_id in public_ids | appointed:
            using |= {x.municipality_code for x in p.participants}
    expected: dict[str, list[int]] = {}
    for m in db.session.scalars(select(Municipality)):
        if pref is not None and m.prefecture_code != pref:
            continue
        row = expected.setdefault(m.kind, [0, 0])
        row[1] += 1
        row[0] += m.code in using
    got = figures.indicator(pref)
    assert {k: list(v) for k, v in got.items() if v[1]} == expected
    assert NANAE in using  # counted through the published joint posting it shares
    if pref is None:
        assert sum(v[1] for v in got.values()) == 1741


def test_subsidy_totals_come_from_the_grant_rules(world):
    years = {y.fiscal_year: y for y in figures.subsidy_by_year("01", "ja")}
    assert years[2024].amount == 400_000 and years[2024].grant == 200_000
    assert years[2025].grant == 600_000
    national = {y.fiscal_year: y for y in figures.subsidy_by_year(None, "ja")}
    # 千代田区 is a special ward: its costs count, its grant is zero (not a 市町村).
    assert national[2025].amount == 2_100_000 and national[2025].grant == 600_000


# --------------------------------------------------------------------------- pages


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


def test_who_sees_which_dashboard(app, world):
    coord = _client(app, world["coord"])
    assert coord.get("/dashboards").headers["Location"].endswith("/dashboards/prefecture/01")
    page = coord.get("/dashboards/prefecture/01")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('role="img"') >= 9 and 'style="' not in html.split("<main")[1]
    assert coord.get("/dashboards/prefecture/13").status_code == 403
    assert coord.get("/dashboards/prefecture/13?format=csv&chart=postings_by_state"
                     ).status_code == 403
    assert coord.get("/dashboards/national").status_code == 403
    for role, kw in (("municipality", {"municipality_code": KIKONAI}), ("professional", {})):
        other = _client(app, make_user(role, **kw))
        assert other.get("/dashboards/prefecture/01").status_code == 403
        assert other.get("/dashboards/national").status_code == 403
    assert app.test_client().get("/dashboards/national").status_code == 302  # to the login
    mic = _client(app, make_user("ministry"))
    national = mic.get("/dashboards/national").get_data(as_text=True)
    assert "tilemap-svg" in national and "/dashboards/prefecture/13" in national
    assert mic.get("/dashboards/prefecture/13").status_code == 200


def test_every_chart_downloads_as_csv(app, world):
    mic = _client(app, make_user("ministry"))
    resp = mic.get("/dashboards/national?format=csv&chart=postings_by_state")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["state", "postings"]
    by_state = {r[0]: int(r[1]) for r in rows[1:]}
    assert by_state["published"] == sum(1 for m in world["made"] if m["state"] == "published")
    for name in ("open_by_prefecture", "indicator", "waiting", "time_to_publish",
                 "published_per_month", "applicants", "appointments", "joint", "subsidy"):
        r = mic.get(f"/dashboards/national?format=csv&chart={name}")
        assert r.status_code == 200 and len(r.get_data(as_text=True).splitlines()) > 1, name
    coord = _client(app, world["coord"])
    r = coord.get("/dashboards/prefecture/01?format=csv&chart=open_by_municipality")
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r[0]: int(r[2]) for r in rows[1:]} == {KIKONAI: 2, SHIRIUCHI: 1}
    assert mic.get("/dashboards/national?format=csv&chart=nope").status_code == 404


def test_published_per_month_counts_japanese_months(world):
    points = figures.published_per_month(None)
    assert len(points) == 12
    recent = [m for m in world["made"] if m["published_ago"] is not None
              and utcnow() - timedelta(days=m["published_ago"]) >= points[0][0]]
    assert sum(n for _, n in points) == len(recent)
    assert points[-1][0] <= utcnow() and (points[-1][0] + timedelta(hours=9)).day == 1
    assert date.today().year - points[0][0].year <= 1
