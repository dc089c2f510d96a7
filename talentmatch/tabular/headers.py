"""PURE: the column a header names, however a clerk spelled it.

Spreadsheets made by hand name a column in Japanese or English, in full- or half-width
characters, with spaces, separators or a "required" mark (役職名*, ※役職名, 役職名（必須）).
Headers and the spellings an import accepts are compared in one folded form; choice values
typed into cells (常勤, Full-time staff) are compared the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

_SEPARATORS = re.compile(r"[\s_\-・/()]+")
# Markers for "required" that forms put in headers: 役職名*, ※役職名, 役職名（必須）.
_REQUIRED_MARKS = re.compile(r"(\((必須|任意|required|optional)\)|[*※＊])", re.IGNORECASE)


def fold(text: str) -> str:
    """Loose comparison form: NFKC, case-folded, without spaces and separators."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


class Headers:
    """Column keys by every spelling of their header; the first key to claim a spelling wins."""

    def __init__(self, spellings: Mapping[str, Iterable[str]]) -> None:
        self._index: dict[str, str] = {}
        for key, names in spellings.items():
            for name in names:
                if name:
                    self._index.setdefault(fold(name), key)

    def key(self, header: object) -> str | None:
        """The column key a header names, or None when it names none."""
        if not isinstance(header, str):
            return None
        return self._index.get(fold(_REQUIRED_MARKS.sub("", unicodedata.normalize("NFKC", header))))
