"""Demo professionals: 320 people and companies with believable profiles, generated the same way
every time (random.Random(seed)). Each one follows a kind of career that municipalities recruit
for (標準化のPM, セキュリティ, DX戦略, BPR …), so skills, focus areas, experience and
qualifications fit together; preferred prefectures cluster around the demo prefectures. About
one in eight came in through a prefecture's talent list. Inserted in bulk; one password hash."""

from __future__ import annotations

import random

from sqlalchemy import insert, select

from talentmatch.accounts.models import PROFESSIONAL, User
from talentmatch.accounts.services import CONSENT_VERSION, hash_password
from talentmatch.db import utcnow
from talentmatch.demo.accounts import DEMO_PREFECTURES
from talentmatch.demo.professional_content import (
    CAREER_WEIGHTS,
    CAREERS,
    CLUSTERS,
    COMPANY_BODY,
    COMPANY_FORM,
    COMPANY_PREFIX,
    DAYS,
    FAMILY,
    GIVEN,
    HOME_WEIGHTS,
    PUBLIC_SECTOR,
    ROMAN,
)
from talentmatch.extensions import db
from talentmatch.geo.models import Municipality
from talentmatch.professionals.models import Professional
from talentmatch.professionals.vocabulary import load_vocabulary

SEED = 20261126
COUNT = 320
DOMAIN = "pro.demo.talentmatch.jp"


def _skills_by_focus() -> dict[str, list[str]]:
    vocab = load_vocabulary()
    by_focus: dict[str, list[str]] = {}
    for key in vocab.skill_keys:
        for area in vocab.focus_areas(key):
            by_focus.setdefault(area, []).append(key)
    return by_focus


def _profile(
    rng: random.Random, n: int, munis: dict[str, list[str]], by_focus: dict[str, list[str]]
) -> dict:
    career = rng.choices(CAREERS, weights=CAREER_WEIGHTS)[0]
    home = rng.choices(list(HOME_WEIGHTS), weights=list(HOME_WEIGHTS.values()))[0]
    pref_name, muni_names = munis[home][0], munis[home][1:]
    is_company = rng.random() < 0.14
    locale = "en" if not is_company and rng.random() < 0.03 else "ja"
    if is_company:
        name = rng.choice(COMPANY_FORM).format(
            rng.choice(COMPANY_PREFIX[home]) + rng.choice(COMPANY_BODY)
        )
    elif locale == "en":
        name = rng.choice(ROMAN)
    else:
        name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
    focus = list(career.focus[: rng.randint(1, len(career.focus))])
    if rng.random() < 0.3:
        extra = rng.choice(("dx_strategy", "bpr", "organization", "data_utilization", "security"))
        focus += [extra] if extra not in focus else []
    # Most skills come from the career's main area, a few from the others.
    main = by_focus.get(focus[0], [])
    others = [k for area in focus[1:] for k in by_focus.get(area, []) if k not in main]
    skills = rng.sample(main, min(len(main), rng.randint(2, 5)))
    skills += rng.sample(others, min(len(others), rng.randint(0, 3)))
    muni = rng.choice(muni_names) if muni_names else pref_name
    sentences = rng.sample(career.experience, rng.randint(2, len(career.experience)))
    public = rng.random() < 0.3
    text = [s.format(pref=pref_name, muni=muni, n=rng.randint(3, 12)) for s in sentences]
    if public:
        text.insert(
            0, rng.choice(PUBLIC_SECTOR).format(pref=pref_name, muni=muni, y=rng.randint(8, 30))
        )
    quals = career.qualifications
    held = [q for i, q in enumerate(quals) if rng.random() < (0.25 if i < 2 else 0.45)]
    remote = rng.choices(("remote_only", "hybrid", "onsite_ok"), weights=(3, 5, 2))[0]
    cluster = CLUSTERS[home]
    prefs = (
        []
        if remote == "remote_only" and rng.random() < 0.4
        else sorted({home, *rng.sample(cluster[1:], rng.randint(0, min(3, len(cluster) - 1)))})
    )
    if is_company:
        types = ["outsourcing"]
    else:
        types = rng.choice(
            (
                ["special_part_time", "outsourcing"],
                ["special_part_time"],
                ["outsourcing"],
                ["special_part_time", "fiscal_year_appointee", "outsourcing"],
                ["full_time_staff", "special_part_time"],
            )
        )
    return dict(
        email=f"{'info' if is_company else 'pro'}{n:03d}@{DOMAIN}",
        name=name,
        locale=locale,
        home=home,
        kind="company" if is_company else "individual",
        headline=rng.choice(career.headline) + ("（法人として受託）" if is_company else ""),
        skills=skills,
        focus_areas=focus,
        experience="\n".join(text),
        qualifications=held,
        public_sector_experience=public,
        preferred_prefectures=prefs,
        remote_preference=remote,
        available_days_per_month=float(rng.choice((8, 10, 15, 20) if is_company else DAYS)),
        accepted_employment_types=types,
        discoverable=rng.random() < 0.85,
        imported=rng.random() < 0.12,
        consent=rng.random() < 0.7,
        confirmed=rng.random() < 0.5,
    )


def _areas() -> dict[str, list[str]]:
    """Home prefecture → [its name, names of its municipalities with demo staff or the first few]."""
    out: dict[str, list[str]] = {}
    for pref, codes in DEMO_PREFECTURES.items():
        rows = [db.session.get(Municipality, c) for c in codes]
        rows = [m for m in rows if m is not None]
        pref_name = rows[0].prefecture.name if rows else pref
        out[pref] = [pref_name, *(m.name for m in rows)]
    return out


def load(world) -> None:
    existing = set(db.session.scalars(select(User.email).where(User.email.like(f"%@{DOMAIN}"))))
    rng = random.Random(SEED)
    munis, by_focus = _areas(), _skills_by_focus()
    people = [_profile(rng, n, munis, by_focus) for n in range(1, COUNT + 1)]
    # The two printed logins: a registered individual and a company, both discoverable.
    shown = [
        next(p for p in people if p["kind"] == kind and not p["imported"] and p["locale"] == "ja")
        for kind in ("individual", "company")
    ]
    for p in shown:
        p["discoverable"] = True
    todo = [p for p in people if p["email"] not in existing]
    if todo:
        pw_hash = world.extra.get("password_hash") or hash_password(world.password)
        world.extra["password_hash"] = pw_hash
        now = utcnow()
        coordinators = {
            p: world.users.get(f"coordinator{p}@pref.demo.talentmatch.jp") for p in CLUSTERS
        }
        user_rows = []
        for p in todo:
            pending = p["imported"] and not p["confirmed"]
            user_rows.append(
                dict(
                    email=p["email"],
                    display_name=p["name"],
                    role=PROFESSIONAL,
                    locale=p["locale"],
                    active=True,
                    password_hash="" if pending else pw_hash,
                    email_confirmed_at=None if pending else now,
                    password_changed_at=None if pending else now,
                    consent_version=None if pending else CONSENT_VERSION,
                    consent_at=None if pending else now,
                    created_at=now,
                    updated_at=now,
                )
            )
        db.session.execute(insert(User), user_rows)
        ids = dict(
            db.session.execute(
                select(User.email, User.id).where(User.email.in_([p["email"] for p in todo]))
            ).all()
        )
        prof_rows = []
        for p in todo:
            imported, pending = p["imported"], p["imported"] and not p["confirmed"]
            coordinator = coordinators.get(p["home"]) if imported else None
            discoverable = p["discoverable"] and (not pending or p["consent"])
            prof_rows.append(
                dict(
                    user_id=ids[p["email"]],
                    kind=p["kind"],
                    headline=p["headline"],
                    skills=p["skills"],
                    free_skills=[],
                    focus_areas=p["focus_areas"],
                    experience=p["experience"],
                    qualifications=p["qualifications"],
                    public_sector_experience=p["public_sector_experience"],
                    preferred_prefectures=p["preferred_prefectures"],
                    remote_preference=p["remote_preference"],
                    available_days_per_month=p["available_days_per_month"],
                    accepted_employment_types=p["accepted_employment_types"],
                    discoverable=discoverable,
                    source="imported" if imported else "self",
                    imported_by_id=getattr(coordinator, "id", None),
                    imported_prefecture_code=p["home"] if imported else None,
                    import_consent_obtained=imported and p["consent"],
                    discoverable_on_confirm=p["discoverable"],
                    confirmed_at=None if pending else now,
                    created_at=now,
                    updated_at=now,
                )
            )
        db.session.execute(insert(Professional), prof_rows)
        db.session.commit()
    world.extra["professional_emails"] = [p["email"] for p in people]
    for p, note in zip(shown, ("個人・公開中", "法人・公開中"), strict=True):
        world.accounts.append(("professional", p["email"], f"{p['name']}（{note}）"))
