"""PURE: the app's translation catalogues for code that renders text without a Flask request.

The grant calculator, the CLI and the API write sentences in Japanese or English; a test or a
script may call them with no app at all. They read the same catalogue Flask-Babel serves the
pages from, ``translations/<lang>/LC_MESSAGES/messages.po``, so a translation is written once:
the compiled ``messages.mo`` when it is there and not older than its ``.po``, else the ``.po``
compiled in memory (a fresh checkout before ``flask translate compile``, or a ``.po`` edited
since). A language without a catalogue (English: the msgids are English) reads the msgids.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

Gettext = Callable[[str], str]

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
DOMAIN = "messages"


@functools.cache
def translations(lang: str, directory: Path = TRANSLATIONS) -> NullTranslations:
    """The catalogue of ``lang`` under ``directory``, read once per process."""
    folder = directory / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return Translations(f, domain=DOMAIN)
    if not po.is_file():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries left out, as `pybabel compile` does
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def translator(lang: str, gettext: Gettext | None = None) -> Gettext:
    """The gettext to render ``lang`` with: the catalogue's; or, given one, the caller's (e.g.
    Flask-Babel's for the user's locale) with the catalogue's for a msgid the caller's leaves
    untranslated, so a Japanese reader never gets a half-English sentence. An untranslated
    msgid comes back as it is."""
    catalogue = translations(lang).gettext
    if gettext is None:
        return catalogue

    def translate(msgid: str) -> str:
        text = gettext(msgid)
        return catalogue(msgid) if text == msgid else text

    return translate
