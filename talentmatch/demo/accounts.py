"""Demo accounts: a ministry admin, coordinators for 8 prefectures, staff for 24 municipalities."""

from __future__ import annotations

from sqlalchemy import select

from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, User
from talentmatch.accounts.services import hash_password, new_totp_secret
from talentmatch.db import utcnow
from talentmatch.extensions import db
from talentmatch.geo.models import Municipality

# Prefecture code -> municipalities (codes) with demo staff.
DEMO_PREFECTURES = {
    "01": ["011002", "012025", "012033", "016438"],
    "04": ["041009", "042021", "044211"],
    "13": ["131130", "132012", "133086"],
    "20": ["202011", "202029", "204854"],
    "27": ["271004", "272035", "273660"],
    "34": ["341002", "342076", "343684"],
    "40": ["401307", "402036", "406252"],
    "47": ["472018", "472123", "473481"],
}


def demo_user(email: str, role: str, name: str, pw_hash: str, **org) -> User:
    """The demo account with this address, created (confirmed; staff with a TOTP secret) if it
    does not exist yet. Every demo step creates its accounts through this."""
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, role=role, display_name=name, password_hash=pw_hash,
                    email_confirmed_at=utcnow(), password_changed_at=utcnow(), **org)
        if role in (MINISTRY, PREFECTURE, MUNICIPALITY):
            user.totp_secret = new_totp_secret()
        db.session.add(user)
        db.session.flush()
    return user


def load(world) -> None:
    pw_hash = hash_password(world.password)
    admin = demo_user("admin@mic.demo.talentmatch.jp", MINISTRY, "総務省 自治行政局 デジタル人材担当", pw_hash)
    world.users[admin.email] = admin
    world.accounts.append(("ministry", admin.email, "総務省"))
    for pref_code, codes in DEMO_PREFECTURES.items():
        munis = [db.session.get(Municipality, c) for c in codes]
        munis = [m for m in munis if m is not None]
        if not munis:
            continue
        pref = munis[0].prefecture
        coord = demo_user(f"coordinator{pref_code}@pref.demo.talentmatch.jp", PREFECTURE,
                      f"{pref.name} デジタル推進課 調整担当", pw_hash, prefecture_code=pref_code)
        world.users[coord.email] = coord
        world.accounts.append(("prefecture", coord.email, pref.name))
        for m in munis:
            staff = demo_user(f"staff{m.code}@city.demo.talentmatch.jp", MUNICIPALITY,
                          f"{m.name} 総務課 人事担当", pw_hash, municipality_code=m.code)
            world.users[staff.email] = staff
            world.accounts.append(("municipality", staff.email, f"{pref.name}{m.name}"))
    db.session.commit()
