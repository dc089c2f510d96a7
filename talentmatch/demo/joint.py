"""Demo joint appointments and talent pools, created through the real services.

Proposals in every state — awaiting answers, partly accepted, declined, withdrawn, accepted,
awaiting another prefecture's agreement, posted (draft and submitted) and published with every
participant on the public page — and, for each demo prefecture, a talent pool with tags and
notes, and introductions that are pending, accepted and declined.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, User
from talentmatch.accounts.permissions import is_professional, of_role
from talentmatch.accounts.services import hash_password
from talentmatch.clock import today_jst
from talentmatch.db import utcnow
from talentmatch.demo import posting_content as content
from talentmatch.demo.accounts import DEMO_PREFECTURES, demo_user
from talentmatch.extensions import db
from talentmatch.geo.models import Municipality, Prefecture
from talentmatch.joint import answers, proposals
from talentmatch.joint import posting as joint_posting
from talentmatch.joint.models import JointProposal
from talentmatch.joint.shares import ParticipantInput
from talentmatch.pool import introductions
from talentmatch.pool import services as pool
from talentmatch.pool.models import Introduction, TalentPoolEntry
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.professionals.models import Professional
from talentmatch.review import services as review

# (prefecture, title, [(code, days, share of costs)], target, age in days, note)
PLAN = (
    ("01", "十勝中部3町 共同CIO補佐官", [("016438", "4", ""), ("016446", "3", ""), ("016462", "3", "")],
     "published", 40, None),
    ("01", "函館圏 DX推進アドバイザー（共同任用）",
     [("012025", "4", "50"), ("012360", "3", "25"), ("013374", "3", "25")], "accepted", 12, None),
    ("01", "北後志 情報化推進員（共同任用）",
     [("012033", "4", "1/2"), ("014087", "2", "1/4"), ("014079", "2", "1/4")], "partly", 5, None),
    ("01", "石狩北部 CIO補佐官（共同任用）", [("011002", "4", "70"), ("013030", "2", "30")],
     "declined", 20, "当別町は今年度、単独で会計年度任用職員を採用する予定のため見送ります。"),
    ("40", "筑後・鳥栖 広域DX推進アドバイザー",
     [("402036", "4", "50"), ("402168", "2", "25"), ("412031", "2", "25")], "cross_border", 6,
     None),
    ("20", "諏訪南部 共同CIO補佐官", [("202142", "4", ""), ("203629", "3", ""), ("203637", "3", "")],
     "published", 35, None),
    ("04", "亘理・山元・岩沼 DX推進リーダー（共同任用）",
     [("042111", "4", "40"), ("043613", "3", "30"), ("043621", "3", "30")], "posted", 15, None),
    ("47", "中部3町村 CIO補佐官（共同任用）",
     [("473251", "3", ""), ("473243", "3", ""), ("473260", "2", "")], "submitted", 18, None),
    ("27", "豊能地域 セキュリティアドバイザー（共同任用）",
     [("272043", "4", "50"), ("273210", "2", "25"), ("273228", "2", "25")], "withdrawn", 25, None),
    ("34", "安芸郡3町 DX推進員（共同任用）",
     [("343021", "4", ""), ("343072", "2", ""), ("343099", "2", "")], "proposed", 3, None),
)
POOL_NOTES = (
    "元情報政策課長。町村の業務とシステム調達に詳しい。",
    "地元のIT企業でクラウド移行を多数担当。平日昼の打合せ可。",
    "大学で行政データの利活用を研究。学生と連携した実証も可能。",
    "UIターン希望。首都圏でのPM経験が長い。",
    "",
    "商工会議所の紹介。中小企業のDX支援の実績あり。",
)
INTRO_NOTES = (
    "町村の業務に詳しく、複数団体の調整経験がある方です。",
    "クラウドとセキュリティの両方に強く、ご要望に合うと考えます。",
    "地域の事情をよく知る方です。まずは面談をご検討ください。",
)


class _Actors:
    """Staff and coordinators, created (not printed) where the demo has none yet."""

    def __init__(self, world) -> None:
        self.world = world
        self.pw_hash = world.extra.get("password_hash") or hash_password(world.password)
        world.extra["password_hash"] = self.pw_hash

    def staff(self, code: str) -> User:
        muni = db.session.get(Municipality, code)
        return demo_user(f"staff{code}@city.demo.talentmatch.jp", MUNICIPALITY,
                     f"{muni.name} 企画課 DX担当", self.pw_hash, municipality_code=code)

    def coordinator(self, pref: str) -> User:
        name = db.session.get(Prefecture, pref).name
        return demo_user(f"coordinator{pref}@pref.demo.talentmatch.jp", PREFECTURE,
                     f"{name} デジタル推進課 調整担当", self.pw_hash, prefecture_code=pref)

    def ministry(self) -> User:
        return db.session.scalar(select(User).where(of_role(MINISTRY)).order_by(User.id))


def _proposal(actors: _Actors, pref: str, title: str, parts, n: int, today) -> JointProposal:
    start = (today + timedelta(days=75)).replace(day=1)
    end = start.replace(year=start.year + 1) - timedelta(days=1)
    days = sum(float(d) for _, d, _s in parts)
    lead = db.session.get(Municipality, parts[0][0])
    data = proposals.ProposalInput(
        title=title,
        summary=content.JOINT_ROLE.duties.format(name=lead.name),
        lead_municipality_code=parts[0][0],
        days_per_month=f"{days:g}",
        employment_type="special_part_time" if n % 3 else "outsourcing",
        compensation_amount="50000" if n % 2 else "45000",
        compensation_unit="day",
        period_start=start.isoformat(),
        period_end=end.isoformat(),
        participants=[ParticipantInput(*p) for p in parts],
    )
    return proposals.propose(actors.coordinator(pref), data)


def _publish_flow(actors: _Actors, proposal: JointProposal, target: str, n: int, today) -> None:
    from talentmatch.demo.postings import _data

    lead_code = proposal.lead_municipality_code
    clerk = actors.staff(lead_code)
    posting = joint_posting.create_posting(actors.coordinator(proposal.proposing_prefecture_code),
                                   proposal.id)
    if target == "posted":
        return
    muni = db.session.get(Municipality, lead_code)
    values = _data(muni, content.JOINT_ROLE, n, today + timedelta(days=28 + n), warnings=set())
    rev = posting.current_revision
    values.update(title=rev.title, joint_wish="joint", days_per_month=rev.days_per_month,
                  employment_type=rev.employment_type,
                  compensation_amount=rev.compensation_amount,
                  compensation_unit=rev.compensation_unit, period_start=rev.period_start,
                  period_end=rev.period_end,
                  duties=rev.duties + "\n勤務日は参加団体で按分し、各団体の庁舎またはオンラインで勤務します。")
    review.submit(clerk, posting.id, values, today=today)
    if target == "submitted":
        return
    review.relay(actors.coordinator(proposal.proposing_prefecture_code), posting.id,
                 "共同任用の参加団体・按分を確認しました。", today=today)
    review.publish(actors.ministry(), posting.id, today=today)


def _backdate(proposal_id: int, age: int) -> None:
    """Spread a proposal's history over its age, like the postings' demo does."""
    now = utcnow()
    proposal = db.session.get(JointProposal, proposal_id)
    start = now - timedelta(days=age, hours=5)
    proposal.created_at = start
    step = (now - start) / (len(proposal.participants) + 3)
    for i, p in enumerate(proposal.participants, start=1):
        if p.responded_at is not None:
            p.responded_at = start + step * i
    for a in proposal.agreements:
        if a.responded_at is not None:
            a.responded_at = start + step * (len(proposal.participants) + 1)
    if proposal.decided_at is not None:
        proposal.decided_at = start + step * (len(proposal.participants) + 1)
    if proposal.posted_at is not None:
        proposal.posted_at = start + step * (len(proposal.participants) + 2)
    if proposal.withdrawn_at is not None:
        proposal.withdrawn_at = start + step * 2
    proposal.updated_at = max(t for t in (proposal.created_at, proposal.decided_at,
                                          proposal.posted_at, proposal.withdrawn_at) if t)
    db.session.commit()


def _proposals(actors: _Actors, today) -> list[int]:
    made = []
    for n, (pref, title, parts, target, age, note) in enumerate(PLAN):
        proposal = _proposal(actors, pref, title, parts, n, today)
        pid = proposal.id
        codes = [c for c, _d, _s in parts]
        if target == "partly":
            answers.respond(actors.staff(codes[0]), pid, accept=True,
                          comment="議会説明の準備を進めます。")
        elif target == "declined":
            answers.respond(actors.staff(codes[0]), pid, accept=True)
            answers.respond(actors.staff(codes[1]), pid, accept=False, comment=note or "")
        elif target == "cross_border":
            for code in codes:
                answers.respond(actors.staff(code), pid, accept=True)
        elif target == "withdrawn":
            answers.respond(actors.staff(codes[1]), pid, accept=True)
            answers.withdraw(actors.coordinator(pref), pid)
        elif target in ("accepted", "posted", "submitted", "published"):
            for code in codes:
                answers.respond(actors.staff(code), pid, accept=True)
            for agreement in db.session.get(JointProposal, pid).agreements:
                answers.agree(actors.coordinator(agreement.prefecture_code), pid, accept=True)
            if target != "accepted":
                _publish_flow(actors, db.session.get(JointProposal, pid), target, n, today)
        _backdate(pid, age)
        made.append(pid)
    return made


# --------------------------------------------------------------------------- pools


def _tags(prof: Professional, n: int) -> list[str]:
    tags = []
    if prof.public_sector_experience:
        tags.append("職員OB・OG")
    if prof.kind == "company":
        tags.append("地元IT企業")
    if not tags:
        tags.append(("大学", "UIターン希望", "金融機関", "NPO・地域団体")[n % 4])
    if n % 5 == 0 and "地元IT企業" not in tags:
        tags.append("地元IT企業")
    return tags


def _pools(actors: _Actors) -> None:
    for pref in DEMO_PREFECTURES:
        coord = actors.coordinator(pref)
        imported = list(db.session.scalars(
            select(Professional.id).where(Professional.imported_prefecture_code == pref)
            .order_by(Professional.id)))
        nearby = [p.id for p in db.session.scalars(
            select(Professional).where(Professional.discoverable.is_(True))
            .order_by(Professional.id)) if pref in (p.preferred_prefectures or [])]
        ids = list(dict.fromkeys(imported + nearby))[:14]
        for n, pid in enumerate(ids):
            prof = db.session.get(Professional, pid)
            pool.add_to_pool(coord, pref, [pid], tags=_tags(prof, n),
                             note=POOL_NOTES[n % len(POOL_NOTES)])
        db.session.commit()


def _introductions(actors: _Actors) -> int:
    count = 0
    for pref in DEMO_PREFECTURES:
        coord = actors.coordinator(pref)
        targets = [pid for pid, _t, _p in pool.open_postings_of(pref)]
        # The published joint postings first: their municipalities see introductions too.
        joint_ids = set(db.session.scalars(select(JointProposal.posting_id).where(
            JointProposal.posting_id.is_not(None))))
        targets.sort(key=lambda pid: pid not in joint_ids)
        entries = list(db.session.scalars(select(TalentPoolEntry).where(
            TalentPoolEntry.prefecture_code == pref).order_by(TalentPoolEntry.id)))
        if not targets:
            continue
        for n, entry in enumerate(entries[:5]):
            intro = introductions.introduce(coord, entry.id, targets[n % min(2, len(targets))],
                                   INTRO_NOTES[n % len(INTRO_NOTES)])
            person = entry.professional.user
            if n % 3 == 1 and is_professional(person):
                introductions.respond(person, intro.id, accept=True)
            elif n % 3 == 2 and is_professional(person):
                introductions.respond(person, intro.id, accept=False)
            intro = db.session.get(Introduction, intro.id)
            intro.created_at = utcnow() - timedelta(days=2 + n * 3)
            count += 1
        db.session.commit()
    return count


def load(world) -> None:
    if db.session.scalar(select(JointProposal.id).limit(1)) is not None:
        return  # joint appointments exist already
    if db.session.scalar(select(Posting.id).limit(1)) is None:
        return  # the postings demo did not run: nothing to build on
    today = today_jst()
    actors = _Actors(world)
    made = _proposals(actors, today)
    _pools(actors)
    introduced = _introductions(actors)
    world.extra["joint_proposals"] = made
    world.extra["introductions"] = introduced
    published = db.session.scalar(
        select(JointProposal.posting_id).join(Posting, Posting.id == JointProposal.posting_id)
        .join(PostingRevision, PostingRevision.id == Posting.published_revision_id)
        .order_by(JointProposal.id).limit(1))
    world.extra["joint_published_posting"] = published
