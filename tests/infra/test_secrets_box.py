"""Sealed secrets open only with their key and their associated data."""

from __future__ import annotations

import pytest

from infra.secrets_box import SealedValueError, SecretBox, derive_key


def test_seal_and_open() -> None:
    box = SecretBox.from_secret("a setting of some length", "totp-secret")
    sealed = box.seal(b"JBSWY3DPEHPK3PXP", b"user-1")
    assert b"JBSWY3DPEHPK3PXP" not in sealed
    assert box.seal(b"JBSWY3DPEHPK3PXP", b"user-1") != sealed  # a fresh nonce each time
    assert box.open(sealed, b"user-1") == b"JBSWY3DPEHPK3PXP"


def test_another_key_owner_or_a_flipped_bit_does_not_open() -> None:
    box = SecretBox.from_secret("a setting of some length", "totp-secret")
    sealed = box.seal(b"seed", b"user-1")
    with pytest.raises(SealedValueError):
        SecretBox.from_secret("another setting", "totp-secret").open(sealed, b"user-1")
    with pytest.raises(SealedValueError):
        box.open(sealed, b"user-2")
    with pytest.raises(SealedValueError):
        box.open(sealed[:-1] + bytes([sealed[-1] ^ 1]), b"user-1")
    with pytest.raises(SealedValueError):
        box.open(b"\x02" + sealed[1:], b"user-1")


def test_keys_are_per_purpose() -> None:
    assert derive_key("s", "totp-secret") != derive_key("s", "mfa-token")
    assert len(derive_key("s", "totp-secret")) == 32
