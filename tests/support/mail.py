"""Read the mail the app sent (file backend), after running the worker once."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path


def deliver(app) -> None:
    from talentmatch.notifications.worker import run_once

    with app.app_context():
        run_once()


def mailbox(app) -> list[email.message.EmailMessage]:
    deliver(app)
    files = sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"))
    return [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def body(msg) -> str:
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content()


def links(msg, pattern: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]*" + pattern + r"[^\s\"<>]*", body(msg))
