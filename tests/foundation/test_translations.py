"""The Japanese catalogue is complete: every msgid in the code and templates has a translation
with the same placeholders."""

import re
from io import BytesIO
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> set[str]:
    method_map = [("talentmatch/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(str(ROOT), method_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.add(msgid)
    return found


def _catalog():
    data = (ROOT / "translations" / "ja" / "LC_MESSAGES" / "messages.po").read_bytes()
    return read_po(BytesIO(data), locale="ja")


def test_every_msgid_has_a_japanese_translation():
    catalog = _catalog()
    missing = []
    for msgid in sorted(_extracted()):
        msg = catalog.get(msgid)
        strings = msg.string if msg is not None and isinstance(msg.string, tuple) else (
            (msg.string,) if msg is not None else ())
        if msg is None or not all(strings) or msg.fuzzy:  # plural forms too
            missing.append(msgid)
    assert not missing, f"{len(missing)} msgids lack Japanese: {missing[:20]}"


def test_placeholders_are_kept():
    wrong = []
    for msg in _catalog():
        if (msg.id and msg.string and isinstance(msg.id, str)
                and sorted(PLACEHOLDER.findall(msg.id)) != sorted(PLACEHOLDER.findall(msg.string))):
            wrong.append(msg.id)
    assert not wrong, wrong[:10]


def test_code_without_a_request_reads_the_catalogue_the_pages_read(app):
    """talentmatch.catalog (the calculator, CLI and API outside a request) and Flask-Babel give
    the same Japanese for every msgid: one catalogue, not two."""
    from flask_babel import force_locale, gettext

    from talentmatch import catalog

    ja = catalog.translator("ja")
    differ, checked = [], 0
    with app.test_request_context(), force_locale("ja"):
        for msg in _catalog():
            if msg.id and isinstance(msg.id, str) and msg.string and not msg.fuzzy:
                checked += 1
                if gettext(msg.id) != ja(msg.id):
                    differ.append(msg.id)
    assert checked > 500
    assert not differ, differ[:10]
