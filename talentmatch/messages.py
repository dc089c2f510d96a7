"""PURE: translatable messages produced by domain code that must not import Flask.

Domain modules mark their msgids with ``N_`` (so ``pybabel extract -k N_`` finds them) and
return ``Msg`` objects; the view or service layer renders them with the user's gettext.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it now."""
    return msgid


def _identity(s: str) -> str:
    return s


@dataclass(frozen=True)
class Msg:
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, gettext: Callable[[str], str] | None = None) -> str:
        text = (gettext or _identity)(self.msgid)
        return text % dict(self.params) if self.params else text

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class FieldError:
    """An error that names the field it belongs to (and, for imports, the row)."""

    field: str
    message: Msg
    row: int | None = None

    def render(self, gettext: Callable[[str], str] | None = None) -> str:
        return self.message.render(gettext)
