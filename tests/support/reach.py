"""A small world of professionals for the reach tests, and an independent count of whom a
posting's conditions reach: a plain loop over the rows, written from the rules in
DESIGN/issue words, not through talentmatch.matching.reach."""

from __future__ import annotations

import random
from dataclasses import dataclass

from talentmatch.extensions import db
from tests.support.matching import appointment, cloud_posting, make_pro

# Required tags the tests use → the skill key or qualification key that meets them.
SKILL_OF = {"業務改革": "bpr", "クラウド設計": "cloud_architecture",
            "情報セキュリティ": "information_security"}
QUALIFICATION_OF = {"ITストラテジスト": "ipa_st"}
EMPLOYMENT = ("full_time_staff", "fixed_term_staff", "special_part_time",
              "fiscal_year_appointee", "outsourcing", "company_secondment")


@dataclass
class Person:
    id: int
    discoverable: bool
    active: bool
    accepted: list[str]
    available: float
    used: float
    remote_preference: str
    prefectures: list[str]
    skills: list[str]
    qualifications: list[str]


def build_world(n: int = 90, seed: int = 20261203) -> list[Person]:
    """`n` professionals of every kind (seeded), some holding an appointment elsewhere, one
    whose account was disabled. Returns what the test itself knows about each."""
    rnd = random.Random(seed)
    elsewhere = cloud_posting("131130", title="別の団体の任用")
    people: list[Person] = []
    for i in range(n):
        fields = dict(
            discoverable=rnd.random() < 0.85,
            accepted_employment_types=rnd.choice(
                [[], [], ["special_part_time"], ["outsourcing"], ["special_part_time", "outsourcing"],
                 ["full_time_staff", "fixed_term_staff"]]),
            available_days_per_month=rnd.choice([2, 4, 6, 8, 10, 16, 20]),
            remote_preference=rnd.choice(["remote_only", "hybrid", "onsite_ok"]),
            preferred_prefectures=rnd.choice([[], [], ["01"], ["13"], ["01", "13"], ["27"]]),
            skills=[k for k in ("bpr", "cloud_architecture", "information_security")
                    if rnd.random() < 0.6],
            qualifications=["ipa_st"] if rnd.random() < 0.3 else [],
        )
        pro = make_pro(f"人材 {i:03d}", **fields)
        used = 0.0
        if rnd.random() < 0.15:
            used = float(rnd.choice([2, 4]))
            appointment(pro, elsewhere, used)
        active = i != 7
        if not active:
            pro.user.active = False
        people.append(Person(
            id=pro.id, discoverable=fields["discoverable"], active=active,
            accepted=list(fields["accepted_employment_types"]),
            available=float(fields["available_days_per_month"]), used=used,
            remote_preference=fields["remote_preference"],
            prefectures=list(fields["preferred_prefectures"]), skills=list(fields["skills"]),
            qualifications=list(fields["qualifications"]),
        ))
    db.session.commit()
    return people


def reached(p: Person, *, employment_type: str, days: float, remote: str, prefecture: str,
            required: list[str], side_job_ok: bool | None) -> bool:
    if not (p.discoverable and p.active):
        return False
    if employment_type and p.accepted and employment_type not in p.accepted:
        return False
    if p.available - p.used < days:
        return False
    if remote == "none" and p.remote_preference == "remote_only":
        return False
    if remote != "full" and p.prefectures and prefecture not in p.prefectures:
        return False
    for tag in required:
        if SKILL_OF.get(tag) not in p.skills and QUALIFICATION_OF.get(tag) not in p.qualifications:
            return False
    return not (side_job_ok is False and p.used > 0)


def expected_count(people: list[Person], **conditions) -> int:
    return sum(1 for p in people if reached(p, **conditions))
