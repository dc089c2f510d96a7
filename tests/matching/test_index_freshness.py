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


def test_stored_token_ids_follow_edits_and_a_new_vocabulary(app):
    from sqlalchemy import update

    from talentmatch.matching import rows
    from talentmatch.professionals.models import Professional
    from talentmatch.professionals.services import profile_values, update_profile
    from talentmatch.professionals.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    with app.app_context():
        pro = make_pro("Doi Tokens", experience="市役所で情報セキュリティ監査を担当しました。")
        stored = pro.match_tokens
        assert stored["v"] == vocab.version
        assert vocab.keys_of_ids(stored["exp"]) == vocab.extract(pro.experience) != []
        # The index reads the stored ids, not the text.
        (data,) = rows.profiles_by_id([pro.id])
        assert list(data.experience_keys) == vocab.extract(pro.experience)

        # An edit of the experience compiles it again.
        update_profile(pro.user, {**profile_values(pro), "experience": "クラウド移行とBPRを進めました。"})
        pro = db.session.get(Professional, pro.id, populate_existing=True)
        assert vocab.keys_of_ids(pro.match_tokens["exp"]) == vocab.extract(pro.experience)
        assert pro.match_tokens["exp"] != stored["exp"]

        # Ids compiled against another vocabulary are not trusted: the text is read, and the
        # next save stores ids of the current vocabulary.
        db.session.execute(update(Professional).where(Professional.id == pro.id)
                           .values(match_tokens={"v": "older", "exp": [1, 2, 3]}))
        db.session.commit()
        (data,) = rows.profiles_by_id([pro.id])
        assert data.experience_keys is None
        pro = db.session.get(Professional, pro.id, populate_existing=True)
        pro.headline = "クラウドの専門家"
        db.session.commit()
        pro = db.session.get(Professional, pro.id, populate_existing=True)
        assert pro.match_tokens["v"] == vocab.version
        assert vocab.keys_of_ids(pro.match_tokens["exp"]) == vocab.extract(pro.experience)
