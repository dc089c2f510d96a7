"""Demo postings: about seventy openings across 23 prefectures, in every state of the relay,
created through the real services so every one has its event trail, then dated back so the
inboxes show realistic waiting times. Deadlines are relative to today."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, User
from talentmatch.accounts.services import hash_password, new_totp_secret
from talentmatch.clock import today_jst
from talentmatch.db import utcnow
from talentmatch.demo import posting_content as content
from talentmatch.demo.accounts import DEMO_PREFECTURES
from talentmatch.extensions import db
from talentmatch.geo.models import Municipality
from talentmatch.postings import services as postings
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.review import services as review
from talentmatch.review.models import ReviewEvent

# Prefectures without demo logins get staff and a coordinator too (not printed), so their
# postings also travel the real relay.
EXTRA_MUNICIPALITIES = (
    "022012", "033219", "074471", "102016", "104264", "152021", "172065", "174637",
    "212172", "221309", "325252", "336432", "363421", "382060", "434230", "452041",
)
# The first demo municipality (札幌市) shows every state on its own "My postings" page.
SHOWCASE = ("draft", "submitted", "returned", "relayed", "published", "revision_submitted",
            "closed_filled", "withdrawn")
# The rest, spread over the other municipalities in this order.
PLAN = (
    ["published"] * 22
    + ["submitted"] * 8 + ["returned"] * 5 + ["relayed"] * 6 + ["draft"] * 6
    + ["revision_draft", "revision_relayed", "revision_returned"]
    + ["closed_filled", "closed_deadline", "closed_deadline", "closed_filled"]
    + ["withdrawn", "withdrawn"]
)
random.Random(2026).shuffle(PLAN)  # every prefecture gets a mix of states
HEADS = {"city": "市長", "designated_city": "市長", "special_ward": "区長", "town": "町長",
         "village": "村長"}



def _office(name: str) -> str:
    """The seat of a municipality as its people call it: 市役所・区役所, 町役場・村役場."""
    return "役所" if name.endswith(("市", "区")) else "役場"

def _user(email: str, role: str, name: str, pw_hash: str, **org) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, role=role, display_name=name, password_hash=pw_hash,
                    email_confirmed_at=utcnow(), password_changed_at=utcnow(),
                    totp_secret=new_totp_secret(), **org)
        db.session.add(user)
    return user


def _actors(world) -> tuple[dict[str, User], dict[str, User], User]:
    """Staff per municipality, a coordinator per prefecture, and MIC."""
    pw_hash = None
    staff: dict[str, User] = {}
    coordinators: dict[str, User] = {}
    codes = [c for cs in DEMO_PREFECTURES.values() for c in cs] + list(EXTRA_MUNICIPALITIES)
    for code in codes:
        muni = db.session.get(Municipality, code)
        if muni is None:
            continue
        pref = muni.prefecture
        email = f"staff{code}@city.demo.talentmatch.jp"
        user = world.users.get(email) or db.session.scalar(select(User).where(User.email == email))
        if user is None:
            pw_hash = pw_hash or hash_password(world.password)
            user = _user(email, MUNICIPALITY, f"{muni.name} 企画課 DX担当", pw_hash,
                         municipality_code=code)
        staff[code] = user
        c_email = f"coordinator{pref.code}@pref.demo.talentmatch.jp"
        coord = world.users.get(c_email) or db.session.scalar(
            select(User).where(User.email == c_email))
        if coord is None:
            pw_hash = pw_hash or hash_password(world.password)
            coord = _user(c_email, PREFECTURE, f"{pref.name} デジタル推進課 調整担当", pw_hash,
                          prefecture_code=pref.code)
        coordinators[pref.code] = coord
    ministry = db.session.scalar(select(User).where(User.role == MINISTRY).order_by(User.id))
    db.session.commit()
    return staff, coordinators, ministry


def _period(deadline: date, role: content.Role) -> tuple[date, date]:
    start = (deadline + timedelta(days=35)).replace(day=1)
    end_year = start.year if start.month < 4 else start.year + 1
    end = date(end_year, 3, 31)
    if (end - start).days < 90 and role.employment_type != "fiscal_year_appointee":
        end = date(end_year + 1, 3, 31)
    return start, end


def _data(muni: Municipality, role: content.Role, n: int, deadline: date, *,
          warnings: set[str]) -> dict:
    head = HEADS.get(muni.kind, "市長")
    start, end = _period(deadline, role)
    amount, unit = role.compensation
    experience = role.experience
    if "experience" in warnings:
        experience = content.GENERIC_EXPERIENCE
    if "scarce" in warnings:
        experience += "。" + content.SCARCE_REQUIRED
    channels = ["own_website"] if "own_website" in warnings else (
        ["own_website", "job_sites", "mic_listing"] if n % 2 else ["mic_listing", "prefecture"])
    joint = "joint" if role.key == "joint_cio" else ("wished" if n % 5 == 2 else "none")
    remote = role.remote if n % 7 else "full"
    return {
        "title": role.title,
        "title_en": role.title_en if n % 3 else "",
        "summary_en": role.summary_en if n % 3 else "",
        "role_type": role.role_type,
        "employment_type": role.employment_type,
        "joint_wish": joint,
        "side_job_ok": False if "side_job" in warnings else role.side_job_ok,
        "focus_areas": list(role.focus_areas),
        "duties": role.duties.format(name=muni.name, head=head),
        "required_experience": experience,
        "required_skills": list(role.required_skills),
        "preferred_skills": list(role.preferred_skills),
        "preferred_qualifications": list(role.qualifications),
        "days_per_month": role.days_per_month,
        "hours_note": role.hours_note,
        "remote": remote,
        "work_location": f"{muni.prefecture.name}{muni.name}{_office(muni.name)}（オンライン併用）"
        if remote != "full" else "オンライン（来庁は必要に応じて）",
        "compensation_amount": amount,
        "compensation_unit": unit,
        "expenses_note": "来庁時の旅費は実費を支給します。" if remote != "none" else "",
        "period_start": start,
        "period_end": end,
        "deadline": deadline,
        "selection_process": "書類選考の上、オンライン面接（1回）を行います。",
        "how_to_apply": f"https://www.city.example.lg.jp/{muni.code}/recruit/dx"
        if n % 4 else "履歴書と職務経歴書を問い合わせ先のメールアドレスへ送付してください。",
        "contact_department": content.DEPARTMENTS[n % len(content.DEPARTMENTS)],
        "contact_email": f"dx-{muni.code}@example.lg.jp",
        "contact_phone": f"0{muni.code[1:3]}-{200 + n:03d}-{1000 + n * 7 % 9000:04d}",
        "publication_channels": channels,
        "dx_policy_status": ("adopted", "adopted", "drafting", "none")[n % 4],
        "dx_organization": content.DX_ORGANIZATIONS[n % 3].format(head=head),
        "cio_title": f"副{head}",
        "pr_text": content.PR_TEXTS[n % len(content.PR_TEXTS)],
    }


def _make(target: str, muni: Municipality, n: int, today: date, actors) -> Posting:
    staff, coordinators, mic = actors
    clerk, coord = staff[muni.code], coordinators[muni.prefecture_code]
    role = content.JOINT_ROLE if muni.kind in ("town", "village") and n % 3 == 0 \
        else content.ROLES[n % len(content.ROLES)]
    warnings: set[str] = set()
    if n % 6 == 1:
        warnings.add("experience")
    if n % 9 == 4:
        warnings.add("scarce")
    if n % 11 == 5:
        warnings.add("own_website")
    if n % 8 == 3 and role.employment_type != "full_time_staff":
        warnings.add("side_job")
    short = n % 10 == 7  # a deadline under three weeks away
    deadline = today + timedelta(days=(8 + n % 12) if short else (24 + (n * 5) % 45))
    data = _data(muni, role, n, deadline, warnings=warnings)
    if target == "draft":
        data = {k: v for k, v in data.items()
                if k not in ("compensation_amount", "compensation_unit", "how_to_apply")}
    posting = postings.create_draft(clerk, data, today=today)
    pid = posting.id
    if target == "draft":
        return posting
    review.submit(clerk, pid, today=today)
    if target == "submitted":
        return posting
    if target == "returned":
        comments = content.RETURN_COMMENTS["prefecture"]
        review.return_posting(coord, pid, comments[n % len(comments)])
        return posting
    if target == "withdrawn":
        review.withdraw(clerk, pid, "予算措置の見直しにより、今年度の募集を見送ります。")
        return posting
    review.relay(coord, pid, "内容を確認しました。" if n % 2 else None, today=today)
    if target == "relayed":
        return posting
    review.publish(mic, pid, today=today)
    if target.startswith("revision_"):
        review.revise(clerk, pid)
        changed = dict(data, deadline=deadline + timedelta(days=21),
                       hours_note=data["hours_note"] + "オンラインでの勤務日を増やしました。")
        postings.save_draft(clerk, pid, changed, today=today)
        if target != "revision_draft":
            review.submit(clerk, pid, today=today)
        if target == "revision_relayed":
            review.relay(coord, pid, today=today)
        if target == "revision_returned":
            comments = content.RETURN_COMMENTS["prefecture"]
            review.return_posting(coord, pid, comments[3])
    elif target == "closed_filled":
        review.close(clerk, pid, "filled", "候補者が決まりました。ご応募ありがとうございました。")
    elif target == "closed_deadline":
        # Pretend the deadline passed: the daily job then closes it as it would in real life.
        rev = db.session.get(Posting, pid).published_revision
        rev.deadline = today - timedelta(days=3 + n % 10)
        db.session.commit()
    return posting


def _backdate(posting_id: int, age_days: int) -> None:
    """Spread the posting's history over the last `age_days` days."""
    now = utcnow()
    start = now - timedelta(days=age_days, hours=3)
    posting = db.session.get(Posting, posting_id)
    events = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.posting_id == posting_id).order_by(ReviewEvent.id)
    ).all()
    gap = (now - start) / (len(events) + 1)
    posting.created_at = start
    for rev in posting.revisions:
        rev.created_at = rev.updated_at = start
    last = start
    for i, event in enumerate(events, start=1):
        event.at = last = start + gap * i - timedelta(minutes=17 * i)
        rev = db.session.get(PostingRevision, event.revision_id)
        if event.action == "revise":
            rev.created_at = event.at
        elif event.action == "submit":
            rev.submitted_at = event.at
        elif event.action == "relay":
            rev.relayed_at = event.at
        elif event.action == "publish":
            rev.published_at = event.at
            if posting.first_published_at is None or posting.first_published_at > event.at:
                posting.first_published_at = event.at
        elif event.action == "close":
            posting.closed_at = event.at
        rev.updated_at = event.at
    posting.updated_at = last


def load(world) -> None:
    if db.session.scalar(select(Posting.id).limit(1)) is not None:
        return  # postings exist already: never mix demo data into them
    today = today_jst()
    actors = _actors(world)
    staff = actors[0]
    codes = [c for c in staff]
    showcase_code, others = codes[0], codes[1:]
    made: list[tuple[int, str]] = []
    n = 0
    for target in SHOWCASE:
        muni = db.session.get(Municipality, showcase_code)
        made.append((_make(target, muni, n, today, actors).id, target))
        n += 1
    for i, target in enumerate(PLAN):
        muni = db.session.get(Municipality, others[i % len(others)])
        made.append((_make(target, muni, n, today, actors).id, target))
        n += 1
    review.close_expired(today=today)  # the postings whose deadline was made to pass
    for i, (posting_id, target) in enumerate(made):
        age = {"draft": 2, "submitted": 1, "returned": 6, "relayed": 8}.get(target, 20)
        _backdate(posting_id, age + (i * 7) % 23)
    db.session.commit()
    world.extra["postings"] = [pid for pid, _ in made]
