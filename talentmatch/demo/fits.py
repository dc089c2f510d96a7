"""Demo professionals who fit a posting well: for every open demo posting, three people whose
skills, focus areas, experience, place, free days and accepted employment form answer what the
posting asks — so a newcomer's first candidates page shows what a good match looks like (scores
of 70 and more, with reasons a clerk reads as a good fit), with the generated crowd spread below.
The third of each three misses one preferred skill and a qualification, so the top is not a tie.
Created once per database, like the rest of the demo."""

from __future__ import annotations

import random

from sqlalchemy import insert, select

from talentmatch.accounts.models import PROFESSIONAL, User
from talentmatch.accounts.services import CONSENT_VERSION, hash_password
from talentmatch.clock import today_jst
from talentmatch.db import utcnow
from talentmatch.demo.professionals import DOMAIN, FAMILY, GIVEN
from talentmatch.extensions import db
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.professionals.models import Professional
from talentmatch.professionals.vocabulary import load_vocabulary

SEED = 20261203
PER_POSTING = 3
REMOTE_PREFERENCE = {"full": "remote_only", "partial": "hybrid", "none": "onsite_ok"}
HEADLINES = (
    "自治体DXの伴走支援を続けてきたITコンサルタント",
    "情報システム部門の責任者として標準化・クラウド移行を指揮",
    "業務改革とデータ活用で自治体の現場を支援",
)


def _open_published() -> list[PostingRevision]:
    return list(db.session.scalars(
        select(PostingRevision)
        .join(Posting, Posting.published_revision_id == PostingRevision.id)
        .where(Posting.status == "open", PostingRevision.deadline >= today_jst())
        .order_by(Posting.id)
    ))


def _fit(rng: random.Random, rev: PostingRevision, k: int, vocab) -> dict:
    required, required_free = vocab.tag_keys(rev.required_skills or [])
    preferred, preferred_free = vocab.tag_keys(rev.preferred_skills or [])
    quals, _ = vocab.normalize_qualifications(rev.preferred_qualifications or [])
    close = k < PER_POSTING - 1  # the last of the three misses a little
    skills = list(dict.fromkeys(required + (preferred if close else preferred[:-1])))
    free = list(dict.fromkeys(required_free + (preferred_free if close else preferred_free[:-1])))
    # What the posting's experience and duties ask for, told as this person's career.
    asked = vocab.extract(f"{rev.required_experience or ''}\n{rev.duties or ''}")
    told = "、".join([vocab.label(key) for key in dict.fromkeys(asked + skills)][:6 if close else 2]
                    + free[:2])
    experience = [
        f"{told}に関わる業務を、自治体と民間企業で{rng.randint(5, 15)}年担当してきました。",
        "庁内の合意形成や職員研修を進めながら、住民向けサービスのデジタル化を支援しました。",
    ]
    days = float(max(8, int((rev.days_per_month or 4) * 2)))
    types = list(dict.fromkeys([rev.employment_type or "special_part_time", "special_part_time"]))
    return dict(
        name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
        headline=HEADLINES[k % len(HEADLINES)],
        skills=skills,
        free_skills=free,
        focus_areas=list(rev.focus_areas or []),
        experience="\n".join(line for line in experience if line),
        qualifications=list(quals if close else quals[:-1]),
        preferred_prefectures=[rev.prefecture_code] if rev.prefecture_code else [],
        # the second of three is less keen on the way of working; the third lacks a little
        remote_preference=REMOTE_PREFERENCE.get(rev.remote or "none", "hybrid") if k != 1 else "hybrid",
        available_days_per_month=days,
        accepted_employment_types=types,
    )


def load(world) -> None:
    vocab = load_vocabulary()
    rng = random.Random(SEED)
    wanted = {
        f"fit{rev.posting_id:03d}{k + 1}@{DOMAIN}": _fit(rng, rev, k, vocab)
        for rev in _open_published() for k in range(PER_POSTING)
    }
    existing = set(db.session.scalars(select(User.email).where(User.email.in_(list(wanted)))))
    todo = {email: p for email, p in wanted.items() if email not in existing}
    if not todo:
        return
    pw_hash = world.extra.get("password_hash") or hash_password(world.password)
    world.extra["password_hash"] = pw_hash
    now = utcnow()
    db.session.execute(insert(User), [
        dict(email=email, display_name=p["name"], role=PROFESSIONAL, locale="ja", active=True,
             password_hash=pw_hash, email_confirmed_at=now, password_changed_at=now,
             consent_version=CONSENT_VERSION, consent_at=now, created_at=now, updated_at=now)
        for email, p in todo.items()
    ])
    ids = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(list(todo)))).all())
    db.session.execute(insert(Professional), [
        dict(user_id=ids[email], kind="individual", headline=p["headline"], skills=p["skills"],
             free_skills=p["free_skills"], focus_areas=p["focus_areas"], experience=p["experience"],
             qualifications=p["qualifications"], public_sector_experience=True,
             preferred_prefectures=p["preferred_prefectures"],
             remote_preference=p["remote_preference"],
             available_days_per_month=p["available_days_per_month"],
             accepted_employment_types=p["accepted_employment_types"], discoverable=True,
             source="self", discoverable_on_confirm=True, confirmed_at=now, created_at=now,
             updated_at=now)
        for email, p in todo.items()
    ])
    db.session.commit()
