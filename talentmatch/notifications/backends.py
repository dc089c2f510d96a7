"""Mail senders: a small interface with file, console and SendGrid backends.

A backend gets a list of ``Mail`` and answers one ``Outcome`` per outbox id. ``plan()`` splits
a claimed batch into the requests the backend will make, so the worker can record each
request's outcome right after it returns (the smaller that window, the fewer resends after a
crash). The file and console backends deliver one message per request, so a worker killed
mid-batch re-sends at most the one message it was writing; SendGrid's requests carry up to
1,000 recipients of one grouped mail.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol

_CRLF = re.compile(r"[\r\n]+")
# RFC 5322 field names: printable ASCII except the colon.
_HEADER_NAME = re.compile(r"^[!-9;-~]+$")


def strip_crlf(value: str) -> str:
    """Subjects and names never carry CR/LF (header injection, SECURITY.md 24)."""
    if not value:
        return ""
    if "\r" in value or "\n" in value:
        value = _CRLF.sub(" ", value)
    return value.strip()


def clean_headers(headers: dict[str, str] | None) -> dict[str, str]:
    """Per-recipient headers (List-Unsubscribe …): valid names only, values on one line."""
    return {name: strip_crlf(str(value)) for name, value in (headers or {}).items()
            if isinstance(name, str) and _HEADER_NAME.match(name)}


@dataclass
class Mail:
    outbox_id: int
    to_email: str
    to_name: str
    subject: str
    text: str
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    # Placeholder → this recipient's value, for a body shared by many recipients (the
    # values are URL-safe or plain text without markup, so they fill text and HTML alike).
    substitutions: dict[str, str] = field(default_factory=dict)

    def filled(self) -> tuple[str, str]:
        """(text, html) with this recipient's values in place of the placeholders."""
        return fill(self.text, self.substitutions), fill(self.html, self.substitutions)


# What a substitution value may not hold: it goes unescaped into HTML, and never into a
# header line.
_UNSAFE_VALUE = re.compile(r"[<>&\"'\r\n]")


def check_substitutions(values: dict | None) -> dict[str, str]:
    """Placeholders and values a shared body can take safely; ValueError otherwise."""
    out: dict[str, str] = {}
    for key, value in (values or {}).items():
        if not isinstance(key, str) or not key or not isinstance(value, str):
            raise ValueError(f"substitution {key!r}: placeholder and value must be text")
        if _UNSAFE_VALUE.search(value) or len(value) > 500:
            raise ValueError(f"substitution {key!r}: value must be short text without markup")
        out[key] = value
    return out


def fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace(key, value)
    return template


@dataclass
class Outcome:
    """What happened to one send: ``sent``, ``retry`` (with a delay), ``dead`` or ``stop``
    (and ``split``: a request refused as a whole, to be sent again in halves).

    ``throttled`` marks a provider rate limit: it is not the message's fault, so it does not
    count as an attempt, and the worker pauses the rest of its batch until ``retry_after``.
    """

    status: str
    reason: str = ""
    retry_after: float | None = None
    throttled: bool = False


class DeliveryStopped(RuntimeError):
    """The provider refused our credentials: sending must stop until an operator acts.

    The messages stay pending; ``flask notify run`` exits non-zero.
    """

    def __init__(self, reason: str, summary: dict | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.summary = summary or {}


class MailBackend(Protocol):
    def send(self, mails: list[Mail]) -> dict[int, Outcome]: ...


def split(group: list[Mail]) -> list[list[Mail]]:
    """Halves of a refused request, to find the message that caused the refusal."""
    half = len(group) // 2
    return [group[:half], group[half:]]


def plan_requests(backend: object, mails: list[Mail]) -> list[list[Mail]]:
    """The requests a backend will make for ``mails`` (one call of ``send`` each)."""
    plan = getattr(backend, "plan", None)
    return plan(mails) if plan else [[m] for m in mails]


def build_email(mail: Mail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = strip_crlf(sender)
    # An Address object, not a formatted string: a name such as "x: evil@example.com" is
    # quoted as a name and cannot turn into a second recipient.
    msg["To"] = Address(display_name=strip_crlf(mail.to_name), addr_spec=strip_crlf(mail.to_email))
    msg["Subject"] = strip_crlf(mail.subject)
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain="talentmatch.local")
    msg["X-TalentMatch-Outbox-Id"] = str(mail.outbox_id)
    for name, value in clean_headers(mail.headers).items():
        msg[name] = value
    text, html = mail.filled()
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg


class FileBackend:
    """One .eml per message: development and tests read them like a mailbox."""

    def __init__(self, directory: str, sender: str) -> None:
        self.directory = Path(directory)
        self.sender = sender

    def plan(self, mails: list[Mail]) -> list[list[Mail]]:
        # One message per request: the worker marks each one sent as soon as it is written.
        return [[m] for m in mails]

    def send(self, mails: list[Mail]) -> dict[int, Outcome]:
        self.directory.mkdir(parents=True, exist_ok=True)
        out = {}
        for mail in mails:
            try:
                data = bytes(build_email(mail, self.sender))
            except (ValueError, TypeError, IndexError, MessageError) as exc:  # an unparsable address
                out[mail.outbox_id] = Outcome("dead", f"rejected: {type(exc).__name__}: {exc}"[:500])
                continue
            # Written aside, then renamed: a crash mid-write never leaves half a message.
            final = self.directory / f"{mail.outbox_id:08d}.eml"
            partial = final.with_name(f".{final.name}.{os.getpid()}.tmp")
            partial.write_bytes(data)
            os.replace(partial, final)
            out[mail.outbox_id] = Outcome("sent")
        return out


class ConsoleBackend:
    def __init__(self, sender: str, stream=None) -> None:
        self.sender = sender
        self.stream = stream or sys.stdout

    def plan(self, mails: list[Mail]) -> list[list[Mail]]:
        return [[m] for m in mails]

    def send(self, mails: list[Mail]) -> dict[int, Outcome]:
        out = {}
        for mail in mails:
            try:
                text = build_email(mail, self.sender).as_string()
            except (ValueError, TypeError, IndexError, MessageError) as exc:
                out[mail.outbox_id] = Outcome("dead", f"rejected: {type(exc).__name__}: {exc}"[:500])
                continue
            self.stream.write(text + "\n" + "-" * 60 + "\n")
            out[mail.outbox_id] = Outcome("sent")
        self.stream.flush()
        return out
