"""Importing a prefecture's talent list (DESIGN §5), and the imported person's confirmation.

An import creates accounts without passwords and records who imported the list and whether
the prefecture obtained the people's consent. Everyone gets a single-use link to set a password
and confirm (or to have their data removed); without the prefecture's consent, people stay
hidden from municipalities until they confirm. Existing accounts are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from talentmatch.accounts import passwords, tokens
from talentmatch.accounts.models import MINISTRY, PREFECTURE, PROFESSIONAL, OneTimeToken, User
from talentmatch.audit.services import record
from talentmatch.db import transaction, utcnow
from talentmatch.extensions import db
from talentmatch.geo.models import Prefecture
from talentmatch.messages import N_, FieldError, Msg
from talentmatch.notifications.services import enqueue_mail
from talentmatch.professionals import importing
from talentmatch.professionals.models import Professional
from talentmatch.professionals.profile import PROFILE_FIELDS, ProfileError, resolve_prefecture
from talentmatch.professionals.vocabulary import load_vocabulary
from talentmatch.tabular.table import ROW_KEY

PURPOSE = "import"
CONFIRM_MAX_AGE = 30 * 24 * 3600
MAIL_TEMPLATE = "professional_import"
# An imported person's wish to be discoverable waits for their consent (see below).
PROFILE_KEYS = tuple(f for f in PROFILE_FIELDS if f != "discoverable")

MSG_EXISTS = N_("An account with this email address already exists; it is left unchanged.")
MSG_PREFECTURE_REQUIRED = N_(
    "Say which prefecture's talent list this is (a prefecture code such as 13)."
)
MSG_OTHER_PREFECTURE = N_("You can import a talent list only for your own prefecture.")
MSG_CONSENT = N_("Please agree to the purposes of use to continue.")


@dataclass
class ImportReport:
    prefecture_code: str
    created: int = 0
    discoverable: int = 0
    hidden_until_confirmed: int = 0
    professional_ids: list[int] = field(default_factory=list)


class ImportRefused(Exception):
    """Nothing was imported; `errors` name the row and column of every problem."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = sorted(errors, key=lambda e: e.row or 0)
        super().__init__(f"{len(errors)} errors")


def _link(endpoint: str, **values: object) -> str:
    base = current_app.config["BASE_URL"]
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context():
        return base + url_for(endpoint, **values)


def _prefecture_of(
    imported_by: User | None, prefecture_code: str | None
) -> tuple[str | None, list[FieldError]]:
    code = resolve_prefecture(prefecture_code) if prefecture_code else None
    if (
        code is None
        and not prefecture_code
        and imported_by is not None
        and imported_by.role == PREFECTURE
    ):
        code = imported_by.prefecture_code
    if code is None or db.session.get(Prefecture, code) is None:
        return None, [FieldError("prefecture", Msg(MSG_PREFECTURE_REQUIRED))]
    if (
        imported_by is not None
        and imported_by.role == PREFECTURE
        and imported_by.prefecture_code != code
    ):
        return None, [FieldError("prefecture", Msg(MSG_OTHER_PREFECTURE))]
    return code, []


def _check(
    rows: Iterable[Mapping[str, object]], imported_by: User | None, prefecture_code: str | None
) -> tuple[str | None, list[dict[str, object]], list[FieldError]]:
    """Every problem of a list, including addresses that already have an account."""
    code, errors = _prefecture_of(imported_by, prefecture_code)
    cleaned, row_errors = importing.validate_rows(list(rows), load_vocabulary())
    errors += row_errors
    emails = [str(c["email"]) for c in cleaned if c.get("email")]
    existing: set[str] = set()
    for start in range(0, len(emails), 500):
        existing.update(
            db.session.scalars(
                select(User.email).where(User.email.in_(emails[start : start + 500]))
            )
        )
    errors += [
        FieldError("email", Msg(MSG_EXISTS), int(c[ROW_KEY]))  # type: ignore[arg-type]
        for c in cleaned
        if c.get("email") in existing
    ]
    return code, cleaned, errors


def talent_list_errors(
    rows: Iterable[Mapping[str, object]], imported_by: User | None, prefecture_code: str | None
) -> list[FieldError]:
    """Every problem ``import_talent_list`` would refuse the rows for, without saving."""
    return _check(list(rows), imported_by, prefecture_code)[2]


def import_talent_list(
    rows: Iterable[Mapping[str, object]],
    imported_by: User | None,
    prefecture_code: str | None,
    consent_obtained: bool,
) -> ImportReport:
    """Create every person of the list, or none (raises ImportRefused with all errors).

    `rows` are `importing.parse_csv(...).rows` (or dicts of the same column keys, e.g. from an
    upload form). `imported_by` is the coordinator (or ministry user) responsible, None for
    an operator's command line run. Raises PermissionError for other roles.
    """
    if imported_by is not None and imported_by.role not in (PREFECTURE, MINISTRY):
        raise PermissionError("only prefecture coordinators and the ministry import talent lists")
    with transaction():
        code, cleaned, errors = _check(rows, imported_by, prefecture_code)
        if errors or code is None:
            raise ImportRefused(errors)
        now = utcnow()
        users = [
            User(
                email=c["email"],
                display_name=c["display_name"],
                role=PROFESSIONAL,
                password_hash="",
                locale=c["locale"],
                active=True,
            )
            for c in cleaned
        ]
        db.session.add_all(users)
        db.session.flush()
        report = ImportReport(prefecture_code=code)
        profs = []
        for user, c in zip(users, cleaned, strict=True):
            wish = bool(c["discoverable"])
            profs.append(
                Professional(
                    user_id=user.id,
                    **{k: c[k] for k in PROFILE_KEYS},
                    discoverable=wish and consent_obtained,
                    discoverable_on_confirm=wish,
                    source="imported",
                    imported_by_id=imported_by.id if imported_by is not None else None,
                    imported_prefecture_code=code,
                    import_consent_obtained=consent_obtained,
                )
            )
            report.discoverable += wish and consent_obtained
            report.hidden_until_confirmed += wish and not consent_obtained
        db.session.add_all(profs)
        db.session.flush()
        prefecture = db.session.get(Prefecture, code)
        for user, prof in zip(users, profs, strict=True):
            raw, digest = tokens.new_token()
            db.session.add(
                OneTimeToken(
                    purpose=PURPOSE,
                    user_id=user.id,
                    token_hash=digest,
                    expires_at=now + timedelta(seconds=CONFIRM_MAX_AGE),
                )
            )
            enqueue_mail(
                to_email=user.email,
                to_name=user.display_name,
                template=MAIL_TEMPLATE,
                locale=user.locale,
                link=_link("professionals.confirm_import", token=tokens.sign(PURPOSE, raw)),
                days=CONFIRM_MAX_AGE // 86400,
                prefecture=prefecture,
                consent_obtained=consent_obtained,
                discoverable=prof.discoverable,
                user=user,
            )
            report.professional_ids.append(prof.id)
        report.created = len(users)
        record(
            "professionals.imported",
            actor=imported_by,
            object_type="prefecture",
            object_id=code,
            detail={
                "people": report.created,
                "consent_obtained": consent_obtained,
                "discoverable": report.discoverable,
                "hidden_until_confirmed": report.hidden_until_confirmed,
            },
        )
    return report


MSG_NO_SUCH_COORDINATOR = N_(
    "--by: no prefecture coordinator or ministry account has this email address."
)


def import_csv(
    data: bytes,
    *,
    consent_obtained: bool,
    prefecture: str | None,
    by_email: str | None,
) -> tuple[ImportReport | None, list[str]]:
    """The command line's import: (report, []) or (None, error lines naming row and column)."""
    from talentmatch.accounts.services import find_user

    imported_by = find_user(by_email) if by_email else None
    if by_email and (imported_by is None or imported_by.role not in (PREFECTURE, MINISTRY)):
        return None, [Msg(MSG_NO_SUCH_COORDINATOR).render()]
    parsed = importing.parse_csv(data)
    if parsed.errors:
        # Report the cell problems of readable rows too, so one run lists everything to fix.
        _, _, row_errors = _check(parsed.rows, imported_by, prefecture)
        db.session.rollback()
        missing = {e.field for e in parsed.errors if e.row == 1}
        seen = {(e.row, e.field) for e in parsed.errors}
        errors = parsed.errors + [
            e for e in row_errors if e.field not in missing and (e.row, e.field) not in seen
        ]
        errors.sort(key=lambda e: e.row or 0)
        return None, [importing.render_error(e, parsed.headers) for e in errors]
    try:
        return import_talent_list(parsed.rows, imported_by, prefecture, consent_obtained), []
    except ImportRefused as exc:
        return None, [importing.render_error(e, parsed.headers) for e in exc.errors]


# --- the imported person's link -------------------------------------------------------------------


def _token_row(signed: str) -> OneTimeToken | None:
    raw = tokens.unsign(PURPOSE, signed, CONFIRM_MAX_AGE)
    if raw is None:
        return None
    row = db.session.scalar(
        select(OneTimeToken).where(
            OneTimeToken.token_hash == tokens.token_hash(raw), OneTimeToken.purpose == PURPOSE
        )
    )
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        return None
    return row


def find_import_token(signed: str) -> tuple[User, Professional] | None:
    """The person a confirmation link belongs to, without using the link up."""
    row = _token_row(signed)
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    prof = db.session.scalar(select(Professional).where(Professional.user_id == row.user_id))
    if user is None or prof is None:
        return None
    return user, prof


def confirm_import(signed: str, *, password: str, consent: bool, discoverable: bool) -> User | None:
    """The person sets a password, agrees to the purposes of use and chooses whether to be
    discoverable. None when the link is not usable; ProfileError for field problems."""
    from talentmatch.accounts.services import CONSENT_VERSION, hash_password

    with transaction():
        row = _token_row(signed)
        if row is None:
            return None
        user = db.session.get(User, row.user_id)
        errors = []
        if not consent:
            errors.append(FieldError("consent", Msg(MSG_CONSENT)))
        problem = passwords.check(password, email=user.email)
        if problem:
            errors.append(FieldError("password", problem))
        if errors:
            raise ProfileError(errors)
        now = utcnow()
        row.used_at = now
        user.password_hash = hash_password(password)
        user.password_changed_at = now
        user.email_confirmed_at = user.email_confirmed_at or now  # the link proves the address
        user.consent_version, user.consent_at = CONSENT_VERSION, now
        prof = db.session.scalar(select(Professional).where(Professional.user_id == user.id))
        prof.confirmed_at = now
        prof.discoverable = bool(discoverable)
        record(
            "profile.import_confirmed",
            actor=user,
            object_type="professional",
            object_id=prof.id,
            detail={"discoverable": prof.discoverable, "consent_version": CONSENT_VERSION},
        )
    return user


def decline_import(signed: str) -> bool:
    """The person does not want to be listed: everything about them is removed."""
    from talentmatch.professionals.privacy import erase_person

    with transaction():
        row = _token_row(signed)
        if row is None:
            return False
        user = db.session.get(User, row.user_id)
        if user.password_hash:  # they confirmed and have an account: deletion is theirs to do
            return False
        erase_person(user, reason="declined_import")
    return True
