"""The page-view counter (a beacon; robots excluded; one row per posting and day; nothing
about the reader stored) and each posting's funnel: views, subscribers mailed by the real
fan-out, applications, interviews, appointments — with counts below the threshold never
shown as numbers, on the municipality's posting page either."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select

from talentmatch.applications.models import Application, ApplicationEvent, Appointment
from talentmatch.clock import today_jst
from talentmatch.extensions import db
from talentmatch.insights import services
from talentmatch.insights.models import PostingView
from tests.support.factories import login, make_posting
from tests.support.matching import make_pro
from tests.support.subscriptions import SAPPORO, World, guest, run_worker

BROWSER = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0 Safari/537.36")
ROBOTS = ["Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", "",
          "Mozilla/5.0 (compatible; bingbot/2.0)", "python-requests/2.32",
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0"]


def test_the_beacon_counts_one_row_per_posting_and_day_and_stores_nothing_personal(app, client):
    with app.app_context():
        pid = make_posting(SAPPORO).id
        draft = make_posting(SAPPORO, "draft").id
    for _ in range(3):
        resp = client.post(f"/postings/{pid}/view", headers={"User-Agent": BROWSER},
                           environ_base={"REMOTE_ADDR": "203.0.113.7"})
        assert resp.status_code == 204
        assert "no-store" in resp.headers["Cache-Control"]
        assert "Set-Cookie" not in resp.headers
    for ua in ROBOTS:
        assert client.post(f"/postings/{pid}/view", headers={"User-Agent": ua}).status_code == 204
    assert client.post(f"/postings/{draft}/view", headers={"User-Agent": BROWSER}).status_code == 404
    assert client.post("/postings/999999/view", headers={"User-Agent": BROWSER}).status_code == 404
    with app.app_context():
        rows = db.session.execute(select(PostingView.posting_id, PostingView.day,
                                         PostingView.views)).all()
        assert rows == [(pid, today_jst(), 3)]  # robots, drafts, unknown ids: not counted
        # The table holds a posting, a day and a number: no address, agent or cookie.
        columns = {c["name"] for c in inspect(db.engine).get_columns("posting_view")}
        assert columns == {"posting_id", "day", "views"}
        # Another day is another row.
        services.record_view(pid, BROWSER, day=today_jst() - timedelta(days=1))
        assert db.session.scalar(select(func.count()).select_from(PostingView)) == 2


@pytest.mark.parametrize("ua", ROBOTS)
def test_robots_are_recognised(ua):
    assert services.is_bot(ua)


def test_a_browser_is_not_a_robot():
    assert not services.is_bot(BROWSER)


def test_the_posting_page_sends_the_beacon_to_anonymous_readers_only(app, client):
    with app.app_context():
        pid = make_posting(SAPPORO).id
    html = client.get(f"/postings/{pid}").get_data(as_text=True)
    assert f'data-beacon="/postings/{pid}/view"' in html
    assert "js/view-beacon.js" in html


def _applications(posting_id: int, statuses: list[str], code: str) -> None:
    for i, status in enumerate(statuses):
        pro = make_pro(f"応募者{i}")
        app = Application(professional_id=pro.id, posting_id=posting_id,
                          municipality_code=code, status=status,
                          events=[ApplicationEvent(actor_role="professional", to_status="received")])
        if status == "not_selected_after_interview":
            app.status = "not_selected"
            app.events.append(ApplicationEvent(actor_role="municipality", from_status="received",
                                               to_status="interview"))
            app.events.append(ApplicationEvent(actor_role="municipality",
                                               from_status="interview", to_status="not_selected"))
        db.session.add(app)
        db.session.flush()
        if status == "appointed":
            db.session.add(Appointment(
                professional_id=pro.id, posting_id=posting_id, application_id=app.id,
                municipality_code=code, days_per_month=4, period_start=date(2027, 4, 1),
                period_end=date(2028, 3, 31), employment_type="special_part_time"))
    db.session.commit()


def test_the_funnel_of_a_posting(app):
    with app.app_context():
        world = World()
        for i in range(6):
            guest(f"reader{i}@example.jp")
        guest("unconfirmed@example.jp", confirmed=False)
        posting = world.publish(SAPPORO)
        run_worker()  # the real fan-out mails the six confirmed subscribers
        for _ in range(5):
            services.record_view(posting.id, BROWSER)
        services.record_view(posting.id, BROWSER, day=today_jst() - timedelta(days=1))
        services.record_view(posting.id, "Googlebot/2.1")
        _applications(posting.id, ["received", "received", "interview", "interview", "offered",
                                   "appointed", "not_selected_after_interview", "not_selected"],
                      SAPPORO)
        f = services.funnel([posting.id])
        assert (f.views, f.mailed, f.applications, f.interviews, f.appointments) == (6, 6, 8, 5, 1)
        assert f.shown() == {"views": 6, "mailed": 6, "applications": 8, "interviews": 5,
                             "appointments": None}


def test_the_municipality_posting_page_shows_the_funnel_without_small_counts(app, client):
    with app.app_context():
        world = World()
        posting = world.publish(SAPPORO)
        for _ in range(7):
            services.record_view(posting.id, BROWSER)
        _applications(posting.id, ["received", "interview", "appointed"], SAPPORO)
        pid = posting.id
        login(client, world.clerk(SAPPORO))
    html = client.get(f"/my/postings/{pid}?lang=ja").get_data(as_text=True)
    section = html[html.index('class="posting-funnel"'):]
    section = section[:section.index("</section>")]
    assert "この募集の経過" in section and "<svg" in section and "<table" in section
    cells = section[section.index("<tbody>"):section.index("</tbody>")]
    # views 7 shown; subscribers 0, applications 3, interviews 2, appointments 1: hidden.
    assert '<td class="num">7</td>' in cells
    assert cells.count("5件未満") == 4
    for n in range(1, 5):
        assert f'<td class="num">{n}</td>' not in cells
    en = client.get(f"/my/postings/{pid}?lang=en").get_data(as_text=True)
    assert "Funnel of this posting" in en and "fewer than 5" in en
