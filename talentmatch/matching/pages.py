"""What the matching screens show (DESIGN §5): the candidates page of a posting, postings for
a professional, and bundle suggestions for a prefecture — rows with their score, points
per component and reasons in the reader's language, so the views stay thin.

Reads only; nothing here writes to the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from talentmatch import textsearch
from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, User
from talentmatch.applications import pipeline
from talentmatch.applications.models import Application, ApplyInvitation
from talentmatch.extensions import db
from talentmatch.i18n import current_lang
from talentmatch.matching import explain, indexes, rows
from talentmatch.matching.matcher import (
    REMOTE_PREFERENCES,
    NeedData,
    PostingMatch,
    Ranking,
    combine_needs,
)
from talentmatch.matching.services import (
    DEFAULT_LIMIT,
    prefecture_namer,
    rank_applicants,
    rank_for_need,
    required_labels,
)
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.services import PostingNotFound, load_posting
from talentmatch.professionals.models import Professional
from talentmatch.professionals.search import person_text
from talentmatch.professionals.vocabulary import load_vocabulary

# Applicants keep their row on the candidates page even when they did not opt in to being
# found: they came to the municipality themselves.
_SHOWN_APPLICATION_STATUSES = tuple(s for s in pipeline.STATUSES if s != "withdrawn")


@dataclass
class CandidateRow:
    professional_id: int
    display_name: str
    score: int | None
    breakdown: dict[str, Any] | None
    lines: list[explain.Line] = field(default_factory=list)
    parts: list[explain.Part] = field(default_factory=list)
    reason: str | None = None  # for excluded ones
    application: Application | None = None
    invitation: ApplyInvitation | None = None


@dataclass(frozen=True)
class Filters:
    min_score: int = 0
    remote: str = ""  # one of REMOTE_PREFERENCES, or any
    public_sector: bool = False
    only_applicants: bool = False
    show_excluded: bool = False
    limit: int = DEFAULT_LIMIT
    q: str = ""  # words or skills, matched as the listing and the talent pool match them


@dataclass
class CandidatesPage:
    posting: Posting
    revision: PostingRevision
    need: NeedData
    filters: Filters
    candidates: list[CandidateRow]
    applicants: list[CandidateRow]
    excluded: list[CandidateRow]
    eligible: int
    joint: bool
    hidden_excluded: int = 0


def _filter_ids(f: Filters) -> set[int] | None:
    conds = []
    if f.remote in REMOTE_PREFERENCES:
        conds.append(Professional.remote_preference == f.remote)
    if f.public_sector:
        conds.append(Professional.public_sector_experience.is_(True))
    if f.q.strip():
        return _keyword_ids(f.q, conds)
    if not conds:
        return None
    return set(db.session.scalars(select(Professional.id).where(*conds)))


def _keyword_ids(q: str, conds: list) -> set[int]:
    """Professionals whose name, headline, experience, skills (every synonym) or
    qualifications meet the query (``textsearch``: partial, kana/width, synonyms, slips)."""
    vocab = load_vocabulary()
    cols = (Professional.id, User.display_name, Professional.headline, Professional.experience,
            Professional.skills, Professional.qualifications, Professional.free_skills)
    rows = db.session.execute(select(*cols).join(User, User.id == Professional.user_id)
                              .where(*conds))
    found = textsearch.search(
        rows, q, lambda r: person_text(SimpleNamespace(
            headline=r.headline, experience=r.experience, skills=r.skills,
            qualifications=r.qualifications, free_skills=r.free_skills), r.display_name,
            vocabulary=vocab), vocab.lexicon())
    return {r.id for r in found}


def _rows(
    ranking: Ranking, need: NeedData, lang: str, min_score: int
) -> tuple[list[CandidateRow], list[CandidateRow]]:
    labels = required_labels(need)
    vocab = load_vocabulary()
    namer = prefecture_namer(lang)
    cands = [
        CandidateRow(
            c.professional_id,
            c.display_name,
            c.score,
            c.breakdown,
            explain.explain(
                c.breakdown,
                required_labels=labels,
                vocabulary=vocab,
                prefecture_name=namer,
                lang=lang,
            ),
            explain.parts(c.breakdown),
        )
        for c in ranking.candidates
        if c.score >= min_score
    ]
    excluded = [
        CandidateRow(e.professional_id, e.display_name, None, None, reason=e.reason.render(gettext))
        for e in ranking.excluded
    ]
    return cands, excluded


def candidates_page(actor, posting_id: int, filters: Filters) -> CandidatesPage:
    """The candidates page of a posting: municipality staff of its municipality, its
    prefecture's coordinators and MIC (others: PostingNotFound)."""
    if actor is None or actor.role not in (MUNICIPALITY, PREFECTURE, MINISTRY):
        raise PostingNotFound()
    posting = load_posting(posting_id, actor)
    if actor.role != MUNICIPALITY and unsubmitted_draft(posting):
        raise PostingNotFound()  # a draft is its municipality's until submitted
    rev = rows.revision_for_matching(posting)
    need = rows.need_for_posting(posting)
    lang = current_lang()
    subset = _filter_ids(filters)

    apps = {
        a.professional_id: a
        for a in db.session.scalars(
            select(Application).where(
                Application.posting_id == posting.id,
                Application.status.in_(_SHOWN_APPLICATION_STATUSES),
            )
        )
    }
    invites = {
        i.professional_id: i
        for i in db.session.scalars(
            select(ApplyInvitation).where(ApplyInvitation.posting_id == posting.id)
        )
    }
    applicant_ids = [p for p in apps if subset is None or p in subset]
    applicant_ranking = rank_applicants(need, applicant_ids)
    applicants, applicant_excluded = _rows(applicant_ranking, need, lang, filters.min_score)
    applicants += applicant_excluded  # an applicant stays visible, with the reason

    candidates: list[CandidateRow] = []
    excluded: list[CandidateRow] = []
    eligible = hidden = 0
    if not filters.only_applicants:
        ranking = rank_for_need(
            need, limit=filters.limit, include_excluded=filters.show_excluded, among=subset
        )
        candidates, excluded = _rows(ranking, need, lang, filters.min_score)
        eligible = ranking.eligible
        # People who did not opt in to being found are not named to staff, only counted.
        visible = _discoverable_ids([e.professional_id for e in excluded])
        hidden = sum(1 for e in excluded if e.professional_id not in visible)
        excluded = [e for e in excluded if e.professional_id in visible]
    for row in [*candidates, *applicants, *excluded]:
        row.application = apps.get(row.professional_id)
        row.invitation = invites.get(row.professional_id)
    return CandidatesPage(
        posting,
        rev,
        need,
        filters,
        candidates,
        applicants,
        excluded,
        eligible,
        joint=rev.joint_wish == "joint",
        hidden_excluded=hidden,
    )


def unsubmitted_draft(posting: Posting) -> bool:
    """Never published and still a draft: nobody outside its municipality has seen it."""
    rev = posting.current_revision
    return posting.published_revision_id is None and (rev is None or rev.state == "draft")


# --------------------------------------------------------------------------- postings for you


@dataclass
class PostingRow:
    posting: Posting
    revision: PostingRevision
    match: PostingMatch
    lines: list[explain.Line]


def recommendations(professional: Professional, *, limit: int = 10) -> list[PostingRow]:
    """Open postings for a professional, best first, with the reasons (PostingIndex)."""
    profile = rows.profile_for(professional)
    recs = indexes.with_postings(lambda index: index.rank_for(profile, limit=limit))
    if not recs.postings:
        return []
    by_id = {
        p.id: p
        for p in db.session.scalars(
            select(Posting).where(Posting.id.in_([m.posting_id for m in recs.postings]))
        )
    }
    lang = current_lang()
    vocab = load_vocabulary()
    namer = prefecture_namer(lang)
    out = []
    for m in recs.postings:
        posting = by_id.get(m.posting_id)
        if posting is None or posting.published_revision is None:
            continue
        need = rows.need_for_posting(posting)
        lines = explain.explain(
            m.breakdown,
            required_labels=required_labels(need),
            vocabulary=vocab,
            prefecture_name=namer,
            lang=lang,
        )
        out.append(PostingRow(posting, posting.published_revision, m, lines))
    return out


# --------------------------------------------------------------------------- bundles


@dataclass
class BundleRow:
    bundle: Any  # bundles.Bundle
    postings: list[Posting]
    reason: str
    details: list[str]
    candidates: list[CandidateRow]


def bundle_suggestions(
    prefecture_code: str, *, limit: int = 10, per_bundle: int = 5, today=None
) -> list[BundleRow]:
    """Open postings of the prefecture's municipalities that one person could hold together
    (bundles.suggest_bundles), each with its best candidates for the combined role."""
    from talentmatch.clock import today_jst
    from talentmatch.matching.bundles import OpenPosting, suggest_bundles

    today = today or today_jst()
    posts = db.session.scalars(
        select(Posting)
        .join(PostingRevision, Posting.published_revision_id == PostingRevision.id)
        .where(
            Posting.prefecture_code == prefecture_code,
            Posting.status == "open",
            PostingRevision.state == "published",
            PostingRevision.deadline >= today,
        )
        .order_by(PostingRevision.deadline, Posting.id)
    ).all()
    by_id = {p.id: p for p in posts}
    needs = {p.id: rows.need_for_posting(p) for p in posts}
    opens = [
        OpenPosting(
            need=needs[p.id],
            municipality_code=p.municipality_code,
            municipality_name=p.municipality.name if p.municipality else p.municipality_code,
            deadline=p.published_revision.deadline,
        )
        for p in posts
    ]
    lang = current_lang()
    vocab = load_vocabulary()
    out: list[BundleRow] = []
    for bundle in suggest_bundles(opens, limit=limit, vocabulary=vocab):
        members = [needs[i] for i in bundle.posting_ids]
        combined = combine_needs(members)
        ranking = rank_for_need(combined, limit=per_bundle * 6)
        kinds = {n.employment_type for n in members if n.employment_type}
        accepted = _accepted_types([c.professional_id for c in ranking.candidates])
        fit = [
            c
            for c in ranking.candidates
            if not accepted.get(c.professional_id) or kinds <= set(accepted[c.professional_id])
        ]
        ranked = Ranking(fit[:per_bundle], [], ranking.eligible)
        cands, _ = _rows(ranked, combined, lang, 0)
        out.append(
            BundleRow(
                bundle=bundle,
                postings=[by_id[i] for i in bundle.posting_ids],
                reason=bundle.reason.render(gettext),
                details=[m.render(gettext) for m in bundle.details(lang, vocab)],
                candidates=cands,
            )
        )
    return out


def _discoverable_ids(ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Professional.id).where(
                Professional.id.in_(ids), Professional.discoverable.is_(True)
            )
        )
    )


def _accepted_types(ids: list[int]) -> dict[int, list[str]]:
    if not ids:
        return {}
    return {
        pid: list(types or [])
        for pid, types in db.session.execute(
            select(Professional.id, Professional.accepted_employment_types).where(
                Professional.id.in_(ids)
            )
        )
    }
