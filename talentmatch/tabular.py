"""PURE: what every CSV/XLSX import shares — decoding Japanese CSV files explicitly (UTF-8 with
or without BOM, then CP932 as Excel in Japan writes it), spreadsheet column letters, refusing
formula text, and whole-file errors. The posting, talent-list and cost-line imports use it."""

from __future__ import annotations

from talentmatch.messages import N_, FieldError, Msg

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

MSG_ENCODING = N_(
    "The file is neither UTF-8 nor Shift_JIS (CP932). Save it from Excel as CSV UTF-8 or CSV."
)


class FileError(Exception):
    """A problem with the file as a whole (reported on the field "file")."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.error = FieldError("file", Msg(msgid, params))


def column_letter(index: int) -> str:
    """Spreadsheet column name for a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or CP932; anything else is refused, never guessed."""
    # UTF-16 (Excel's "Unicode text") and binary files contain NULs, which CP932 would accept.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise FileError(MSG_ENCODING)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise FileError(MSG_ENCODING) from exc
    # CP932 maps almost every byte to something; control characters and the single-byte
    # private-use slots (0xA0, 0xFD–0xFF) only come out of files that are not text.
    if any(
        (ch < " " and ch not in "\t\r\n") or "\x7f" <= ch <= "\x9f" or "\uf8f0" <= ch <= "\uf8f3"
        for ch in text
    ):
        raise FileError(MSG_ENCODING)
    return text


def formula_char(value: object) -> str | None:
    """The character that would make a spreadsheet run this cell as a formula, if any."""
    if not isinstance(value, str) or not value:
        return None
    for text in (value, value.lstrip(" \u3000")):
        if text and text[0] in FORMULA_PREFIXES:
            return {"\t": "TAB", "\r": "CR"}.get(text[0], f"'{text[0]}'")
    return None
