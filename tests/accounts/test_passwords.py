import pytest
from werkzeug.security import check_password_hash

from talentmatch.accounts import passwords
from talentmatch.accounts.services import hash_password


@pytest.mark.parametrize("pw", ["password", "12345678", "aaaaaaaa", "abcdefgh", "short"])
def test_weak_passwords_are_refused(pw):
    assert passwords.check(pw) is not None


@pytest.mark.parametrize("pw", ["correct horse battery staple", "とても長い日本語のパスフレーズ", "ｐａｓｓｗｏｒｄは使わない"])
def test_long_and_japanese_passphrases_are_accepted(pw):
    assert passwords.check(pw) is None


def test_no_truncation_and_scrypt():
    long_pw = "x" * 100 + "end-of-a-long-passphrase"
    h = hash_password(long_pw)
    assert h.startswith("scrypt:")
    assert check_password_hash(h, long_pw)
    assert not check_password_hash(h, long_pw[:-1])


def test_email_as_password_refused():
    assert passwords.check("hanako.yamada", email="hanako.yamada@example.jp") is not None
