"""Professional profiles: editing one's own profile, and staff viewing a profile (audited,
SECURITY.md 18). Export and deletion live in `privacy`, the talent-list import in
`import_service`; their entry points are re-exported here so other domains find every
professionals use case in this one module."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from talentmatch import signals
from talentmatch.accounts.models import MINISTRY, MUNICIPALITY, PREFECTURE, PROFESSIONAL, User
from talentmatch.audit.services import record
from talentmatch.db import transaction
from talentmatch.extensions import db
from talentmatch.professionals import profile as rules
from talentmatch.professionals.models import Professional
from talentmatch.professionals.profile import PROFILE_FIELDS, ProfileError
from talentmatch.professionals.vocabulary import load_vocabulary

VIEWER_ROLES = (MINISTRY, PREFECTURE, MUNICIPALITY)


class NotVisible(Exception):
    """The viewer may not see this profile (or it does not exist): shown as 404."""


# --- one's own profile -----------------------------------------------------------------------


def find_profile(user: User) -> Professional | None:
    return db.session.scalar(select(Professional).where(Professional.user_id == user.id))


def profile_of(user: User) -> Professional:
    """The professional's profile. Accounts without one (created before profiles existed)
    get an unsaved empty, hidden profile: it is stored when they first save it."""
    if user.role != PROFESSIONAL:
        raise PermissionError("only professionals have a profile")
    prof = find_profile(user)
    if prof is None:
        prof = Professional(
            user_id=user.id,
            kind="individual",
            headline="",
            skills=[],
            free_skills=[],
            focus_areas=[],
            experience="",
            qualifications=[],
            public_sector_experience=False,
            preferred_prefectures=[],
            remote_preference="hybrid",
            available_days_per_month=0,
            accepted_employment_types=[],
            discoverable=False,
            source="self",
            import_consent_obtained=False,
            discoverable_on_confirm=False,
            confirmed_at=user.email_confirmed_at,
        )
    return prof


def profile_values(prof: Professional) -> dict[str, object]:
    return {name: getattr(prof, name) for name in PROFILE_FIELDS}


def update_profile(user: User, raw: Mapping[str, object]) -> Professional:
    """Validate every field and save all of them, or raise ProfileError and change nothing."""
    with transaction():
        prof = profile_of(user)
        cleaned, errors = rules.clean_profile(raw, load_vocabulary())
        if errors:
            raise ProfileError(errors)
        if prof.id is None:
            db.session.add(prof)
        was_discoverable = prof.discoverable
        for name in PROFILE_FIELDS:
            setattr(prof, name, cleaned[name])
        if prof.confirmed_at is None and prof.source == "self":
            prof.confirmed_at = user.email_confirmed_at
        detail = {"fields": sorted(PROFILE_FIELDS)}
        if was_discoverable != prof.discoverable:
            detail["discoverable"] = prof.discoverable
        db.session.flush()
        record("profile.updated", actor=user, object_type="professional", object_id=prof.id,
               detail=detail)
    return prof


def completeness(prof: Professional) -> tuple[int, list[tuple[str, str]]]:
    return rules.completeness(profile_values(prof))


def skill_items(prof: Professional) -> list[dict[str, str]]:
    """Each skill with both labels, then the free entries as typed (normalised)."""
    vocab = load_vocabulary()
    items = [
        {"key": k, "ja": vocab.skills[k].ja, "en": vocab.skills[k].en}
        for k in prof.skills or []
        if k in vocab.skills
    ]
    items += [{"key": "", "ja": s, "en": s} for s in prof.free_skills or []]
    return items


def qualification_items(prof: Professional) -> list[dict[str, object]]:
    vocab = load_vocabulary()
    out: list[dict[str, object]] = []
    for entry in prof.qualifications or []:
        q = vocab.qualifications.get(entry)
        if q is not None:
            out.append({"key": q.key, "ja": q.ja, "en": q.en, "scarce": q.scarce})
        else:
            out.append({"key": "", "ja": entry, "en": entry, "scarce": False})
    return out


def tags_text(prof: Professional, field: str, lang: str) -> str:
    """The profile's skills or qualifications as the text the form shows back: each known
    entry by its label in the user's language, free entries as saved."""
    items = skill_items(prof) if field == "skills" else qualification_items(prof)
    sep = "、" if lang == "ja" else "; "
    return sep.join(str(i["en"] if lang == "en" else i["ja"]) for i in items)


# --- staff viewing a profile -------------------------------------------------------------------

def can_view(viewer: User, prof: Professional, allowed_by_application: bool = False) -> bool:
    if not getattr(viewer, "is_authenticated", False) or not viewer.active:
        return False
    if viewer.role == PROFESSIONAL:
        return prof.user_id == viewer.id
    if viewer.role not in VIEWER_ROLES:
        return False
    if prof.discoverable or allowed_by_application:
        return True
    # The prefecture that imported a talent list already holds what it uploaded.
    if viewer.role == PREFECTURE and prof.imported_prefecture_code == viewer.prefecture_code:
        return True
    # Other domains may grant sight (signals.profile_access; e.g. applications: the person
    # applied to that municipality). They only ever add permission.
    return any(granted for _receiver, granted in
               signals.profile_access.send(viewer, professional=prof))


def view_profile(
    staff_user: User, professional_id: int, allowed_by_application: bool = False
) -> Professional:
    """A profile for a staff member who may see it, with an audit record of the viewing.

    Raises NotVisible for profiles that do not exist or that the viewer may not see, so a
    caller cannot tell the two apart.
    """
    if staff_user.role not in VIEWER_ROLES:
        raise NotVisible(professional_id)
    with transaction():
        prof = db.session.get(Professional, professional_id)
        if prof is None or not can_view(staff_user, prof, allowed_by_application):
            raise NotVisible(professional_id)
        if prof.discoverable:
            via = "discoverable"
        elif allowed_by_application:
            via = "application"
        elif (
            staff_user.role == PREFECTURE
            and prof.imported_prefecture_code == staff_user.prefecture_code
        ):
            via = "imported_list"
        else:
            via = "registered_check"
        record(
            "profile.viewed",
            actor=staff_user,
            object_type="professional",
            object_id=prof.id,
            detail={"via": via, "role": staff_user.role},
        )
    return prof


# Re-exported entry points (see the module docstring).
from talentmatch.professionals.import_service import (  # noqa: E402
    ImportRefused,
    ImportReport,
    confirm_import,
    decline_import,
    find_import_token,
    import_talent_list,
    talent_list_errors,
)
from talentmatch.professionals.privacy import (  # noqa: E402
    delete_account,
    erase_person,
    export_data,
)

__all__ = [
    "ProfileError",
    "NotVisible",
    "profile_of",
    "find_profile",
    "update_profile",
    "completeness",
    "view_profile",
    "can_view",
    "ImportRefused",
    "ImportReport",
    "import_talent_list",
    "talent_list_errors",
    "confirm_import",
    "decline_import",
    "find_import_token",
    "delete_account",
    "erase_person",
    "export_data",
]
