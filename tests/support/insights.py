"""A small world of published postings with applications, for the insights tests and the
browser story: side jobs allowed or not, and a few fully remote postings (a group too small
to show)."""

from __future__ import annotations

from talentmatch.applications.models import Application
from talentmatch.extensions import db
from tests.support.factories import make_posting
from tests.support.matching import make_pro

SAPPORO, HAKODATE, CHIYODA = "011002", "012025", "131016"
YES_APPS = [0, 2, 3, 5, 1, 4]  # median 2.5, 5 of 6 with an application
NO_APPS = [1, 1, 0, 2, 1]  # median 1, 4 of 5
FULL_APPS = [4, 4, 4]  # 3 postings: a group too small to show


def _apply(posting_id: int, code: str, n: int, pros: list) -> None:
    for pro in pros[:n]:
        db.session.add(Application(professional_id=pro.id, posting_id=posting_id,
                                   municipality_code=code, status="received"))


def build(app, *, yes=YES_APPS, no=NO_APPS, full=FULL_APPS, code=SAPPORO) -> None:
    with app.app_context():
        pros = [make_pro(f"人材{i}") for i in range(max([*yes, *no, *full, 0]))]
        for apps in yes:
            _apply(make_posting(code, side_job_ok=True).id, code, apps, pros)
        for apps in no:
            _apply(make_posting(code, side_job_ok=False).id, code, apps, pros)
        for apps in full:
            _apply(make_posting(code, side_job_ok=None, remote="full").id, code, apps, pros)
        # Never published: in no statistic.
        _apply(make_posting(code, "submitted", side_job_ok=False).id, code, 0, pros)
        db.session.commit()


