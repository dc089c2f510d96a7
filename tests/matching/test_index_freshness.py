"""The match index follows changes made by other processes without being rebuilt: a
professional deleted elsewhere is tombstoned at the next ranking."""

from __future__ import annotations

from talentmatch.accounts.models import User
from talentmatch.extensions import db
from talentmatch.matching import indexes
from talentmatch.professionals.privacy import erase_person
from tests.support.matching import make_pro


def test_a_deletion_in_another_process_is_tombstoned_without_a_rebuild(app, database_uri, tmp_path):
    from talentmatch.app import create_app
    from talentmatch.config import TestingConfig

    # A second app on the same database stands for another gunicorn worker.
    other = create_app(TestingConfig(SQLALCHEMY_DATABASE_URI=database_uri, MAIL_DIR=str(tmp_path),
                                     WTF_CSRF_ENABLED=False, BASE_URL="http://localhost"))
    with app.app_context():
        gone, stays = make_pro("Aoki Deleted"), make_pro("Baba Stays")
        gone_id, gone_user, stays_id = gone.id, gone.user_id, stays.id
        assert {gone_id, stays_id} <= indexes.with_professionals(lambda ix: ix.ids())
        built = indexes._state().pros
    with other.app_context():
        erase_person(db.session.get(User, gone_user), reason="self")
        db.session.remove()
    with app.app_context():
        ids = indexes.with_professionals(lambda ix: ix.ids())
        assert gone_id not in ids and stays_id in ids
        assert indexes._state().pros is built  # tombstoned in place, not rebuilt
        # A professional added meanwhile joins the same index.
        added = make_pro("Chiba Added").id
        assert added in indexes.with_professionals(lambda ix: ix.ids())
        assert indexes._state().pros is built


def test_the_stored_compiled_row_follows_edits_and_a_new_vocabulary(app):
    from sqlalchemy import update

    from talentmatch.clock import today_jst
    from talentmatch.matching import stored_rows
    from talentmatch.professionals.models import Professional
    from talentmatch.professionals.services import profile_values, update_profile
    from talentmatch.professionals.vocabulary import load_vocabulary

    version = load_vocabulary().version
    with app.app_context():
        pro = make_pro("Doi Tokens", experience="市役所で情報セキュリティ監査を担当しました。")
        first = pro.match_row
        assert pro.match_vocab == version and first == stored_rows.pack(pro)[0]

        # An edit stores the row again.
        update_profile(pro.user, {**profile_values(pro), "experience": "クラウド移行とBPRを進めました。"})
        pro = db.session.get(Professional, pro.id, populate_existing=True)
        assert pro.match_row != first and pro.match_row == stored_rows.pack(pro)[0]
        exp_from_row = stored_rows.build_index(today_jst())._exp.row(0).tolist()

        # A row compiled against another vocabulary is not trusted: the build compiles the
        # text instead (same tokens), and recompile stores it again.
        db.session.execute(update(Professional).where(Professional.id == pro.id)
                           .values(match_row=b"\x00\x00", match_vocab="older"))
        db.session.commit()
        index = stored_rows.build_index(today_jst())
        assert pro.id in index and index._exp.row(index._row[pro.id]).tolist() == exp_from_row
        assert stored_rows.recompile() == 1
        pro = db.session.get(Professional, pro.id, populate_existing=True)
        assert pro.match_vocab == version and pro.match_row == stored_rows.pack(pro)[0]
        assert stored_rows.recompile() == 0


def test_a_new_day_frees_the_days_of_an_ended_appointment_without_a_rebuild(app, monkeypatch):
    from datetime import timedelta

    from talentmatch.clock import today_jst
    from talentmatch.matching.matcher import NeedData
    from tests.support.matching import appointment, cloud_posting

    today = today_jst()
    need = NeedData(id=1, required_skills=["クラウド"], employment_type="special_part_time",
                    days_per_month=4)
    with app.app_context():
        busy = make_pro("Endo Busy", skills=["cloud"], available_days_per_month=5)
        appointment(busy, cloud_posting(), 3, end=today)  # its last day is today

        def candidates():
            ranking = indexes.with_professionals(lambda ix: ix.rank(need, include_excluded=True))
            return ({c.professional_id for c in ranking.candidates},
                    {e.professional_id for e in ranking.excluded})

        chosen, excluded = candidates()
        assert busy.id in excluded and busy.id not in chosen  # 2 free days, 4 needed
        built = indexes._state().pros
        monkeypatch.setattr(indexes, "today_jst", lambda: today + timedelta(days=1))
        chosen, _excluded = candidates()
        assert busy.id in chosen  # the appointment ended: 5 free days
        assert indexes._state().pros is built  # the same index, capacities recounted


def test_postings_follow_a_new_day_and_other_processes_without_a_rebuild(app, database_uri,
                                                                        tmp_path, monkeypatch):
    from datetime import timedelta

    from talentmatch.app import create_app
    from talentmatch.clock import today_jst
    from talentmatch.config import TestingConfig
    from talentmatch.matching import rows
    from talentmatch.postings.models import Posting
    from tests.support.matching import cloud_posting

    other = create_app(TestingConfig(SQLALCHEMY_DATABASE_URI=database_uri, MAIL_DIR=str(tmp_path),
                                     WTF_CSRF_ENABLED=False, BASE_URL="http://localhost"))
    today = today_jst()
    with app.app_context():
        pro = make_pro("Fujii Reader", skills=["cloud"], available_days_per_month=10)
        ends_today = cloud_posting(deadline=today).id
        stays = cloud_posting(deadline=today + timedelta(days=30)).id
        (profile,) = rows.profiles_by_id([pro.id])

        def recommended():
            return {p.posting_id for p in indexes.with_postings(
                lambda ix: ix.rank_for(profile, limit=50)).postings}

        assert {ends_today, stays} <= recommended()
        built = indexes._state().posts
    with other.app_context():  # another worker publishes a posting and closes one
        added = cloud_posting(deadline=today + timedelta(days=10)).id
        db.session.get(Posting, stays).status = "closed"
        db.session.commit()
    with app.app_context():
        got = recommended()
        assert added in got and stays not in got and ends_today in got
        monkeypatch.setattr(indexes, "today_jst", lambda: today + timedelta(days=1))
        got = recommended()
        assert ends_today not in got and added in got  # its deadline passed overnight
        assert indexes._state().posts is built  # the same index throughout
