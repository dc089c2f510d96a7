"""Subscription mail: a posting's key facts for the templates, the one-click unsubscribe link
and headers (RFC 8058), and render-once-then-personalise for large fan-outs.

A fan-out to 100,000 subscribers renders each template once per (locale, kind of
recipient) with a placeholder where the unsubscribe token goes and stores that body once;
each recipient's message holds only its token, filled in when it is sent: no Jinja and no
copy of the body per recipient. Digests join each token into the pre-split text.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from talentmatch.geo.names import PREFECTURE_EN
from talentmatch.geo.services import municipal_lookup
from talentmatch.notifications.services import render_mail
from talentmatch.postings.models import Posting, PostingRevision
from talentmatch.postings.template.fields import choice_label
from talentmatch.subscriptions.models import Subscription
from talentmatch.subscriptions.tokens import Minter
from talentmatch.wareki import wareki_date

# Only URL-safe characters, so escaping leaves it intact in text and HTML alike.
PLACEHOLDER = "TMUNSUBSCRIBETOKENPLACEHOLDER"
ONE_CLICK = "List-Unsubscribe=One-Click"
# The views' routes (views.py uses these constants too).
UNSUBSCRIBE_PATH = "/unsubscribe/"
MANAGE_PATH = "/subscriptions"


def posting_url(posting_id: int) -> str:
    return f"{current_app.config['BASE_URL']}/postings/{int(posting_id)}"


def unsubscribe_base() -> str:
    """The unsubscribe URL up to the token (built without a request: the worker has none)."""
    return current_app.config["BASE_URL"] + UNSUBSCRIBE_PATH


def manage_url() -> str:
    return current_app.config["BASE_URL"] + MANAGE_PATH


def list_headers(unsubscribe_url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": ONE_CLICK}


def posting_facts(posting: Posting, rev: PostingRevision) -> dict:
    """The key facts a subscriber sees in a mail (public fields only, SECURITY.md 11)."""
    place = municipal_lookup(rev.municipality_code)
    days = rev.days_per_month
    return {
        "posting_id": posting.id,
        "title": rev.title,
        "title_en": rev.title_en or "",
        "summary_en": rev.summary_en or "",
        "municipality_ja": f"{place.prefecture_name}{place.name}" if place else "",
        "municipality_en": f"{place.name}, {PREFECTURE_EN.get(place.prefecture_code, '')}"
        if place else "",
        "prefecture_code": rev.prefecture_code,
        "employment_type": choice_label("employment_type", rev.employment_type),
        "days": (f"{days:g}" if days is not None else ""),
        "remote": choice_label("remote", rev.remote),
        "compensation_amount": rev.compensation_amount,
        "compensation_unit": choice_label("compensation_unit", rev.compensation_unit),
        "deadline": rev.deadline,
        "deadline_wareki": wareki_date(rev.deadline) if rev.deadline else "",
        "joint": rev.joint_wish == "joint",
        "side_job": rev.side_job_ok is True,
        "url": posting_url(posting.id),
    }


@dataclass
class Prepared:
    """A message rendered once, split where each recipient's token goes."""

    subject: str
    text_parts: list[str]
    html_parts: list[str]

    def personalise(self, token: str) -> tuple[str, str]:
        return token.join(self.text_parts), token.join(self.html_parts)

    def shared(self) -> tuple[str, str]:
        """(text, html) with the placeholder left in, to be stored once and filled for
        each recipient at send time."""
        return PLACEHOLDER.join(self.text_parts), PLACEHOLDER.join(self.html_parts)


def prepare(template: str, locale: str, **context) -> Prepared:
    context["unsubscribe_url"] = unsubscribe_base() + PLACEHOLDER
    subject, text, html = render_mail(template, locale, **context)
    return Prepared(subject, text.split(PLACEHOLDER), html.split(PLACEHOLDER))


class Personaliser:
    """Tokens, unsubscribe URLs and headers for many recipients."""

    def __init__(self) -> None:
        self.mint = Minter()
        self.base = unsubscribe_base()

    def parts(self, subscription_id: int) -> tuple[str, dict[str, str]]:
        token = self.mint(subscription_id)
        return token, list_headers(self.base + token)


def recipient(sub: Subscription) -> tuple[str, str]:
    """(address, name) of a subscription's recipient."""
    if sub.user is not None:
        return sub.user.email, sub.user.display_name or ""
    return sub.email or "", ""
