"""The password policy: lengths after NFKC, the common list compared case-insensitively."""

from __future__ import annotations

import pytest

from api.services.errors import PasswordTooCommonError, PasswordTooLongError, PasswordTooShortError
from api.services.passwords import check_password, common_passwords


@pytest.mark.parametrize(
    "password",
    [
        "password1",
        "Password1",
        "PASSWORD1",
        "ｐａｓｓｗｏｒｄ１",
        "iloveyou",
        "senha123",
        "12345678",
    ],
)
def test_common_passwords_are_refused_whatever_their_case_or_width(password: str) -> None:
    with pytest.raises(PasswordTooCommonError):
        check_password(password)


@pytest.mark.parametrize("password", ["", "short", "1234567", "ａｂｃ"])
def test_under_eight_characters_is_too_short(password: str) -> None:
    with pytest.raises(PasswordTooShortError):
        check_password(password)


def test_the_bounds_are_inclusive() -> None:
    check_password("vR7#kq2!")  # 8
    check_password("x" * 60 + "y" * 68)  # 128
    with pytest.raises(PasswordTooLongError):
        check_password("x" * 129)


def test_length_is_counted_after_normalisation() -> None:
    # "ﬃ" is one code point that NFKC makes three: seven typed characters count as nine.
    check_password("ﬃmqzq7!")
    with pytest.raises(PasswordTooShortError):
        # A decomposed accent is one character, not two.
        check_password("e\u0301" * 4)


def test_the_list_comes_from_the_package_and_is_large() -> None:
    common = common_passwords()
    assert len(common) > 10_000
    assert all(len(word) >= 8 for word in common)
    assert "correct horse battery staple" not in common
