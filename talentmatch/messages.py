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


# What every cleaner of a form field, import cell or query parameter says about a bad value,
# written once so that a posting, a profile, a cost line and a search say it the same way.
MSG_REQUIRED = N_("This field is required.")
MSG_TOO_LONG = N_("Enter at most %(max)s characters (you entered %(length)s).")
MSG_BAD_CHARS = N_("Remove the control characters from this text.")
MSG_CHOICE = N_("'%(value)s' is not one of the options.")
MSG_TOO_MANY = N_("Enter at most %(max)s items.")
MSG_ITEM_TOO_LONG = N_("Each item can have at most %(max)s characters.")
MSG_BOOL = N_("Enter yes or no.")


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
