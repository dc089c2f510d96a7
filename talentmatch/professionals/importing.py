"""PURE: reading a prefecture's talent list (DESIGN §5) from CSV.

Prefectures keep lists of local talent (retired staff, local IT companies) in spreadsheets and
save them as CSV, often from Excel in Japan (CP932) or as "CSV UTF-8" (with a BOM). Headers may
be the English column keys or Japanese; lists inside a cell are separated by `;`. The file is
read by the shared spreadsheet reader (`talentmatch.tabular`): encoding, size, headers and
formula cells are checked there, and every problem is reported with the row and column the
user sees (the header is row 1, the first person row 2). Each row is then cleaned as a
profile. Saving all rows or none is the caller's job; this module returns every error it finds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

from talentmatch.messages import MSG_BAD_CHARS, MSG_REQUIRED, MSG_TOO_LONG, N_, FieldError, Msg
from talentmatch.professionals import profile
from talentmatch.professionals.vocabulary import Vocabulary
from talentmatch.tabular.cells import MSG_EMAIL, clean_email
from talentmatch.tabular.headers import Headers
from talentmatch.tabular.table import MSG_MISSING_COLUMN, ROW_KEY, Layout, Table, locate, read_file
from talentmatch.text import normalize

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

MSG_UNKNOWN_HEADER = N_("Column %(letter)s: '%(column)s' is not a column of the talent list.")
MSG_NO_PEOPLE = N_("The file has no people below the header row.")
MSG_DUPLICATE_EMAIL = N_("This email address already appears in row %(row)s.")
MSG_LOCALE = N_("Enter ja or en.")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LOCALES = {
    normalize(s): v
    for v, names in (("ja", ("ja", "日本語", "japanese", "jp")), ("en", ("en", "英語", "english")))
    for s in names
}

HEADERS = Headers(
    {
        key: (key, ja, profile.FIELD_LABELS.get(key, ""), *variants)
        for key, (ja, variants) in COLUMNS.items()
    }
)


def column_title(key: str) -> str:
    """How a column is named in messages: its key and Japanese header."""
    return f"{key} ({COLUMNS[key][0]})" if key in COLUMNS else key


LAYOUT = Layout(
    headers=HEADERS,
    required=REQUIRED,
    column_title=column_title,
    msg_unknown_header=MSG_UNKNOWN_HEADER,
    msg_no_rows=MSG_NO_PEOPLE,
    max_columns=MAX_COLUMNS,
)


def parse_csv(data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> Table:
    """The rows of a talent list keyed by column key (plus ROW_KEY), every error found, and
    the headers as written (`Table.headers`, for messages)."""
    return read_file(data, LAYOUT, max_bytes=max_bytes, max_rows=max_rows)


# --------------------------------------------------------------------------- validation


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
        elif (clean := clean_email(str(email).lower())) is None:
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
    column = None
    if error.field in COLUMNS and error.message.msgid != MSG_MISSING_COLUMN:
        column = (headers or {}).get(error.field) or column_title(error.field)
    row = error.row if error.row is not None and error.row > 1 else None
    return locate(error.message.render(translate), row, column, translate)
