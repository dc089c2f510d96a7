"""Builders for the subscription tests: postings published through the real workflow,
saved searches, the worker run once, and the mail it wrote (file backend)."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

from sqlalchemy import select

from talentmatch.extensions import db
from talentmatch.notifications.models import OutboxMessage
from talentmatch.notifications.worker import run_once
from talentmatch.subscriptions import services
from talentmatch.subscriptions.models import Subscription
from tests.support.factories import make_user
from tests.support.postings import clerk, coordinator, ministry, published

SAPPORO = "011002"  # 北海道札幌市
HAKODATE = "012025"  # 北海道函館市
SENDAI = "041009"  # 宮城県仙台市


class World:
    """One clerk, coordinator and MIC admin per prefecture used, created once per test."""

    def __init__(self) -> None:
        self._clerks: dict[str, object] = {}
        self._coords: dict[str, object] = {}
        self.mic = ministry()

    def clerk(self, code: str):
        if code not in self._clerks:
            self._clerks[code] = clerk(code)
        return self._clerks[code]

    def coordinator(self, pref: str):
        if pref not in self._coords:
            self._coords[pref] = coordinator(pref)
        return self._coords[pref]

    def publish(self, code: str = SAPPORO, **overrides):
        """A posting of municipality `code`, published (the publish event is written)."""
        return published(self.clerk(code), self.coordinator(code[:2]), self.mic, **overrides)

    def republish(self, posting, **changes):
        """Revise a published posting and publish the new revision."""
        from talentmatch.postings import services as postings
        from talentmatch.review import services as review
        from tests.support.postings import service_data

        actor = self.clerk(posting.municipality_code)
        review.revise(actor, posting.id)
        review.submit(actor, posting.id, service_data(**changes))
        review.relay(self.coordinator(posting.prefecture_code), posting.id)
        review.publish(self.mic, posting.id)
        return postings.load_posting(posting.id, None)


def professional(**kw):
    return make_user("professional", **kw)


def saved(user, **data) -> Subscription:
    data.setdefault("frequency", "immediately")
    data.setdefault("locale", user.locale)
    return services.create_for(user, data)


def guest(email_address: str, *, confirmed: bool = True, **data) -> Subscription:
    """A visitor's subscription, confirmed directly in the database unless told otherwise
    (the double opt-in itself is tested through the web in test_subscription_guest)."""
    from talentmatch.db import utcnow
    from talentmatch.subscriptions.matching import FREQUENCIES

    frequency = data.pop("frequency", "immediately")
    assert frequency in FREQUENCIES
    sub = Subscription(email=email_address, frequency=frequency, locale=data.pop("locale", "ja"),
                       confirmed_at=utcnow() if confirmed else None)
    sub.set_filters(services.clean_filters(data))
    db.session.add(sub)
    db.session.commit()
    return sub


def run_worker() -> dict:
    """The notification worker, once: expands events (fan-out) and sends what is due."""
    return run_once()


def posting_mail(dedupe_like: str = "sub:%") -> list[OutboxMessage]:
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "posting_published",
                                    OutboxMessage.dedupe_key.like(dedupe_like))
        .order_by(OutboxMessage.id)))


def recipients(kind: str = "posting_published") -> list[str]:
    return sorted(db.session.scalars(
        select(OutboxMessage.to_email).where(OutboxMessage.kind == kind)))


def eml_files(app) -> list[email.message.EmailMessage]:
    files = sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"))
    return [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def text_of(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_of(msg) -> str:
    return msg.get_body(preferencelist=("html",)).get_content()


def unsubscribe_token_of(message: OutboxMessage) -> str:
    m = re.search(r"/unsubscribe/([A-Za-z0-9_\-.]+)>", message.content()[2]["List-Unsubscribe"])
    assert m, message.headers
    return m.group(1)
