"""PURE: Atom 1.0 (RFC 4287) feed of public postings, for the listing and any search."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
# XML 1.0 forbids most control characters; stored text never should have them, but a feed
# that does not parse is useless to every subscriber.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    url: str
    updated: datetime
    published: datetime | None
    summary: str
    author: str
    categories: Sequence[str] = field(default_factory=tuple)


def _text(value: str) -> str:
    return _INVALID_XML.sub("", value or "")


def _ts(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    alternate_url: str,
    author: str,
    entries: Sequence[FeedEntry],
    lang: str = "ja",
    fallback_updated: datetime | None = None,
) -> bytes:
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = _text(text)
        return el

    root = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    sub(root, "id", feed_id)
    sub(root, "title", title)
    updated = max((e.updated for e in entries), default=fallback_updated or datetime.now(UTC))
    sub(root, "updated", _ts(updated))
    sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(root, "link", rel="alternate", type="text/html", href=alternate_url)
    sub(sub(root, "author"), "name", author)
    sub(root, "generator", "TalentMatch")
    for e in entries:
        entry = sub(root, "entry")
        sub(entry, "id", e.id)
        sub(entry, "title", e.title)
        sub(entry, "link", rel="alternate", type="text/html", href=e.url)
        sub(entry, "updated", _ts(e.updated))
        if e.published is not None:
            sub(entry, "published", _ts(e.published))
        sub(sub(entry, "author"), "name", e.author)
        for term in e.categories:
            sub(entry, "category", term=_text(term))
        sub(entry, "summary", e.summary, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
