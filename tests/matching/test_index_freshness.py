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
