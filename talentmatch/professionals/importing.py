"""PURE: reading a prefecture's talent list (DESIGN §5) from CSV.

Prefectures keep lists of local talent (retired staff, local IT companies) in spreadsheets and
save them as CSV, often from Excel in Japan (CP932) or as "CSV UTF-8" (with a BOM). Headers may
be the English column keys or Japanese; lists inside a cell are separated by `;`. Nothing in
the file is trusted: encoding, size, headers and every cell are checked, text that a
spreadsheet could run as a formula is refused, and every problem is reported with the row and
column the user sees (the header is row 1, the first person row 2). Saving all rows or none
is the caller's job; this module returns every error it finds.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from talentmatch.messages import N_, FieldError, Msg
from talentmatch.professionals import profile
from talentmatch.professionals.vocabulary import Vocabulary
from talentmatch.tabular import (  # noqa: F401  (part of this module's interface)
    FORMULA_PREFIXES,
    MSG_ENCODING,
    FileError,
    column_letter,
    decode_csv,
    formula_char,
)
from talentmatch.text import normalize

ROW_KEY = "_row"
MAX_BYTES = 5_000_000
MAX_ROWS = 10_000
MAX_COLUMNS = 60
DISPLAY_NAME_MAX = 100

# Column key → Japanese header (the one shown in messages) and other spellings accepted.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "email": ("メールアドレス", ("メール", "電子メール", "Eメール", "e-mail", "mail")),
    "display_name": (
        "氏名・名称",
        ("氏名", "名前", "名称", "表示名", "氏名又は名称", "会社名", "name"),
    ),
    "kind": ("区分", ("個人・企業", "個人/企業", "種別", "個人法人区分")),
    "skills": ("スキル", ("保有スキル", "技術", "skill")),
    "focus_areas": ("業務分野", ("対応可能な業務分野", "得意分野", "分野")),
    "experience": ("経験", ("職務経歴", "経歴", "実績", "経験・実績")),
    "qualifications": ("資格", ("保有資格",)),
    "public_sector_experience": ("公務経験", ("行政経験", "自治体経験", "公務員経験", "職員経験")),
    "preferred_prefectures": ("希望都道府県", ("希望勤務地", "勤務希望地", "希望地域")),
    "remote_preference": ("テレワーク希望", ("リモート希望", "働き方", "勤務形態の希望")),
    "available_days_per_month": (
        "稼働可能日数(月)",
        ("月あたり稼働可能日数", "稼働可能日数", "月の稼働日数", "稼働日数", "月稼働日数"),
    ),
    "accepted_employment_types": (
        "希望する任用形態",
        ("任用形態", "受入可能な任用形態", "雇用形態"),
    ),
    "discoverable": ("検索への公開", ("公開", "公開可否", "自治体への公開")),
    "locale": ("言語", ("使用言語", "連絡言語", "language")),
}
REQUIRED = ("email", "display_name", "available_days_per_month")
LIST_COLUMNS = (
    "skills",
    "focus_areas",
    "qualifications",
    "preferred_prefectures",
    "accepted_employment_types",
)

MSG_FILE_TOO_LARGE = N_("The file is too large: the limit is %(limit)s MB.")
MSG_FILE_EMPTY = N_("The file is empty.")
MSG_CSV_BROKEN = N_("The CSV file cannot be read near row %(row)s: check its quotes.")
MSG_NO_HEADER = N_("The first row must hold the column headers.")
MSG_UNKNOWN_HEADER = N_("Column %(letter)s: '%(column)s' is not a column of the talent list.")
MSG_DUPLICATE_HEADER = N_("Column %(letter)s: '%(column)s' repeats an earlier column.")
MSG_MISSING_COLUMN = N_("The required column '%(column)s' is missing.")
MSG_VALUE_WITHOUT_HEADER = N_("Column %(letter)s has values but no header.")
MSG_TOO_MANY_ROWS = N_("The file has more than %(max)s rows: split it into smaller files.")
MSG_NO_PEOPLE = N_("The file has no people below the header row.")
MSG_FORMULA = N_(
    "The cell in column '%(column)s' starts with %(char)s, which spreadsheet software could "
    "run as a formula. Remove that character."
)
MSG_REQUIRED = N_("This field is required.")
MSG_EMAIL = N_("Enter a valid email address, e.g. dx@city.example.lg.jp.")
MSG_DUPLICATE_EMAIL = N_("This email address already appears in row %(row)s.")
MSG_TOO_LONG = N_("Enter at most %(max)s characters (you entered %(length)s).")
MSG_BAD_CHARS = N_("Remove the control characters from this text.")
MSG_LOCALE = N_("Enter ja or en.")
MSG_AT_ROW_COLUMN = N_("Row %(row)s, %(column)s: %(message)s")
MSG_AT_ROW = N_("Row %(row)s: %(message)s")
MSG_AT_COLUMN = N_("%(column)s: %(message)s")

_EMAIL_RE = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)
_HEADER_MARKS = re.compile(r"(\((必須|任意|required|optional)\)|[*※＊])", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LOCALES = {
    normalize(s): v
    for v, names in (("ja", ("ja", "日本語", "japanese", "jp")), ("en", ("en", "英語", "english")))
    for s in names
}


def _fold(text: str) -> str:
    text = _HEADER_MARKS.sub("", unicodedata.normalize("NFKC", text))
    return re.sub(r"[\s_\-・/()]+", "", text.casefold())


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for key, (ja, variants) in COLUMNS.items():
        label = profile.FIELD_LABELS.get(key, "")
        for name in (key, ja, label, *variants):
            if name:
                index.setdefault(_fold(name), key)
    return index


_HEADERS = _header_index()


def header_to_key(header: str) -> str | None:
    return _HEADERS.get(_fold(header))


def column_title(key: str) -> str:
    """How a column is named in messages: its key and Japanese header."""
    return f"{key} ({COLUMNS[key][0]})" if key in COLUMNS else key


@dataclass
class Parsed:
    rows: list[dict[str, str | int]] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # key → header as written


def parse_csv(data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> Parsed:
    """The rows of a talent list keyed by column key (plus ROW_KEY), and every error found."""
    parsed = Parsed()
    if len(data) > max_bytes:
        parsed.errors.append(
            FieldError("file", Msg(MSG_FILE_TOO_LARGE, {"limit": f"{max_bytes / 1e6:g}"}))
        )
        return parsed
    if not data.strip():
        parsed.errors.append(FieldError("file", Msg(MSG_FILE_EMPTY)))
        return parsed
    try:
        _read(decode_csv(data), parsed, max_rows)
    except FileError as exc:
        parsed.rows = []
        parsed.errors.append(exc.error)
    return parsed


def _read(text: str, parsed: Parsed, max_rows: int) -> None:
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, record[:MAX_COLUMNS]))
    except csv.Error as exc:
        raise FileError(MSG_CSV_BROKEN, row=len(records) + 1) from exc
    if not records or not any(c.strip() for c in records[0][1]):
        raise FileError(MSG_NO_HEADER)
    columns: dict[int, str] = {}
    headerless: set[int] = set()
    for index, cell in enumerate(records[0][1]):
        text = cell.strip()
        if not text:
            headerless.add(index)
            continue
        letter = column_letter(index)
        key = header_to_key(text)
        if key is None:
            parsed.errors.append(
                FieldError(
                    "header", Msg(MSG_UNKNOWN_HEADER, {"letter": letter, "column": text[:50]}), 1
                )
            )
        elif key in parsed.headers:
            parsed.errors.append(
                FieldError(
                    key, Msg(MSG_DUPLICATE_HEADER, {"letter": letter, "column": text[:50]}), 1
                )
            )
        else:
            columns[index] = key
            parsed.headers[key] = text[:50]
    for key in REQUIRED:
        if key not in parsed.headers:
            parsed.errors.append(
                FieldError(key, Msg(MSG_MISSING_COLUMN, {"column": column_title(key)}), 1)
            )
    width = len(records[0][1])
    reported: set[int] = set()
    for number, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(parsed.rows) >= max_rows:
            parsed.errors.append(FieldError("file", Msg(MSG_TOO_MANY_ROWS, {"max": max_rows})))
            break
        row: dict[str, str | int] = {ROW_KEY: number}
        for index, value in enumerate(cells):
            if not value.strip():
                continue
            key = columns.get(index)
            if key is None:
                if (index in headerless or index >= width) and index not in reported:
                    reported.add(index)
                    parsed.errors.append(
                        FieldError(
                            "header",
                            Msg(MSG_VALUE_WITHOUT_HEADER, {"letter": column_letter(index)}),
                            number,
                        )
                    )
                continue
            char = formula_char(value)
            if char is not None:
                parsed.errors.append(
                    FieldError(
                        key, Msg(MSG_FORMULA, {"column": parsed.headers[key], "char": char}), number
                    )
                )
                continue
            row[key] = value
        parsed.rows.append(row)
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(FieldError("file", Msg(MSG_NO_PEOPLE)))


# --------------------------------------------------------------------------- validation


def clean_email(value: object) -> str | None:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    return text if len(text) <= 254 and _EMAIL_RE.fullmatch(text) else None


def validate_rows(
    rows: Iterable[Mapping[str, object]],
    vocabulary: Vocabulary,
) -> tuple[list[dict[str, object]], list[FieldError]]:
    """Clean every row; cleaned[i] belongs to rows[i]. Rows without a `discoverable` cell are
    hidden (opting in is explicit), and an email may appear only once in a list."""
    cleaned_rows: list[dict[str, object]] = []
    errors: list[FieldError] = []
    first_row: dict[str, int] = {}
    for position, row in enumerate(rows):
        number = row.get(ROW_KEY)
        n = number if isinstance(number, int) else position + 2
        cleaned, row_errors = profile.clean_profile(row, vocabulary)
        errors.extend(FieldError(e.field, e.message, n) for e in row_errors)
        email = row.get("email")
        if not str(email or "").strip():
            errors.append(FieldError("email", Msg(MSG_REQUIRED), n))
        elif (clean := clean_email(email)) is None:
            errors.append(FieldError("email", Msg(MSG_EMAIL), n))
        elif clean in first_row:
            errors.append(
                FieldError("email", Msg(MSG_DUPLICATE_EMAIL, {"row": first_row[clean]}), n)
            )
        else:
            first_row[clean] = n
            cleaned["email"] = clean
        name = " ".join(unicodedata.normalize("NFC", str(row.get("display_name") or "")).split())
        if not name:
            errors.append(FieldError("display_name", Msg(MSG_REQUIRED), n))
        elif _CONTROL.search(name):
            errors.append(FieldError("display_name", Msg(MSG_BAD_CHARS), n))
        elif len(name) > DISPLAY_NAME_MAX:
            errors.append(
                FieldError(
                    "display_name",
                    Msg(MSG_TOO_LONG, {"max": DISPLAY_NAME_MAX, "length": len(name)}),
                    n,
                )
            )
        cleaned["display_name"] = name
        locale = row.get("locale")
        cleaned["locale"] = _LOCALES.get(normalize(str(locale))) if locale else "ja"
        if cleaned["locale"] is None:
            errors.append(FieldError("locale", Msg(MSG_LOCALE), n))
        cleaned[ROW_KEY] = n
        cleaned_rows.append(cleaned)
    return cleaned_rows, errors


def render_error(
    error: FieldError,
    headers: Mapping[str, str] | None = None,
    gettext: Callable[[str], str] | None = None,
) -> str:
    """One line per error: "Row 3, 稼働日数: Enter a number of days …"."""
    translate = gettext or (lambda s: s)
    message = error.message.render(translate)
    column = None
    if error.field in COLUMNS:
        column = (headers or {}).get(error.field) or column_title(error.field)
    if error.row is not None and error.row > 1 and column is not None:
        return Msg(
            MSG_AT_ROW_COLUMN, {"row": error.row, "column": column, "message": message}
        ).render(translate)
    if error.row is not None and error.row > 1:
        return Msg(MSG_AT_ROW, {"row": error.row, "message": message}).render(translate)
    if column is not None and error.message.msgid != MSG_MISSING_COLUMN:
        return Msg(MSG_AT_COLUMN, {"column": column, "message": message}).render(translate)
    return message
