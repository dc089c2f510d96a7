"""PURE: password policy (SECURITY.md 2): length, not common, no class rules, no truncation."""

from __future__ import annotations

import unicodedata

from talentmatch.messages import N_, Msg

MIN_LENGTH = 8
MAX_LENGTH = 1024  # generous; scrypt hashes all of it, nothing is truncated

# The most common passwords in published breach corpora (top of the lists; short on purpose).
COMMON = {
    "password", "password1", "password123", "passw0rd", "12345678", "123456789", "1234567890",
    "qwertyuiop", "qwerty123", "qwertyui", "11111111", "00000000", "iloveyou", "abc12345",
    "abcd1234", "1q2w3e4r", "1qaz2wsx", "zaq12wsx", "sunshine", "princess", "football",
    "baseball", "welcome1", "welcome123", "admin123", "administrator", "letmein1", "trustno1",
    "monkey123", "dragon123", "superman", "starwars", "whatever", "asdfghjkl", "asdf1234",
    "michael1", "charlie1", "jennifer", "computer", "internet", "p@ssw0rd", "p@ssword",
    "changeme", "changeme123", "secret123", "test1234", "testtest", "guest123", "master123",
    "hello123", "loveyou1", "freedom1", "shadow12", "pokemon1", "naruto12", "doraemon",
    "talentmatch", "talentmatch1", "87654321", "12341234", "11223344", "a1b2c3d4", "qazwsxedc",
    "tokyo2020", "sakura123", "password!", "pass1234", "default1", "root1234", "user1234",
}


def normalize(password: str) -> str:
    # NFC keeps full-width and composed Japanese input stable across keyboards.
    return unicodedata.normalize("NFC", password)


def check(password: str, *, email: str = "", name: str = "") -> Msg | None:
    """Return why a password is refused, or None when it is acceptable."""
    pw = normalize(password or "")
    if len(pw) < MIN_LENGTH:
        return Msg(N_("Use at least %(n)s characters."), {"n": MIN_LENGTH})
    if len(pw) > MAX_LENGTH:
        return Msg(N_("Use at most %(n)s characters."), {"n": MAX_LENGTH})
    folded = unicodedata.normalize("NFKC", pw).casefold()
    if folded in COMMON or len(set(folded)) <= 2:
        return Msg(N_("This password is too common. Choose a longer phrase only you would use."))
    if _is_sequence(folded):
        return Msg(N_("This password is too easy to guess. Choose a longer phrase only you would use."))
    local = (email or "").split("@")[0].casefold()
    if local and len(local) >= 4 and folded in {local, local + "123", local + "1"}:
        return Msg(N_("Do not use your email address as your password."))
    return None


def _is_sequence(text: str) -> bool:
    if len(text) < 8:
        return False
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1})
