"""Mail senders: a small interface with file, console and SendGrid backends."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Protocol

_CRLF = re.compile(r"[\r\n]+")


def strip_crlf(value: str) -> str:
    """Subjects and names never carry CR/LF (header injection, SECURITY.md 24)."""
    return _CRLF.sub(" ", value or "").strip()


@dataclass
class Mail:
    outbox_id: int
    to_email: str
    to_name: str
    subject: str
    text: str
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class SendResult(Protocol):
    ok: bool


@dataclass
class Outcome:
    """What happened to one send: ``sent``, ``retry`` (with a delay), ``dead`` or ``stop``."""

    status: str
    reason: str = ""
    retry_after: float | None = None


class MailBackend(Protocol):
    def send(self, mails: list[Mail]) -> dict[int, Outcome]: ...


def build_email(mail: Mail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = formataddr((strip_crlf(mail.to_name), mail.to_email)) if mail.to_name else mail.to_email
    msg["Subject"] = strip_crlf(mail.subject)
    msg["Message-ID"] = make_msgid(domain="talentmatch.local")
    for name, value in mail.headers.items():
        msg[name] = strip_crlf(value)
    msg.set_content(mail.text)
    if mail.html:
        msg.add_alternative(mail.html, subtype="html")
    return msg


class FileBackend:
    """One .eml per message: development and tests read them like a mailbox."""

    def __init__(self, directory: str, sender: str) -> None:
        self.directory = Path(directory)
        self.sender = sender

    def send(self, mails: list[Mail]) -> dict[int, Outcome]:
        self.directory.mkdir(parents=True, exist_ok=True)
        out = {}
        for mail in mails:
            path = self.directory / f"{mail.outbox_id:08d}.eml"
            path.write_bytes(bytes(build_email(mail, self.sender)))
            out[mail.outbox_id] = Outcome("sent")
        return out


class ConsoleBackend:
    def __init__(self, sender: str, stream=None) -> None:
        self.sender = sender
        self.stream = stream or sys.stdout

    def send(self, mails: list[Mail]) -> dict[int, Outcome]:
        for mail in mails:
            self.stream.write(build_email(mail, self.sender).as_string() + "\n" + "-" * 60 + "\n")
        return {m.outbox_id: Outcome("sent") for m in mails}
