"""Small secrets at rest (TOTP seeds): AES-256-GCM under a key derived from a setting.

Self-contained on purpose, so it can be swapped for per-user data keys later: a sealed
value starts with a version byte, and the associated data (e.g. the owner's id) binds a
ciphertext to its row, so one copied onto another user's row does not open.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = b"\x01"
_NONCE_BYTES = 12


class SealedValueError(Exception):
    """The value was not sealed with this key and associated data, or was altered."""


def derive_key(secret: str, purpose: str) -> bytes:
    """A 256-bit key for one purpose: one configured secret never serves two uses as is."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"recoloca:{purpose}".encode()
    ).derive(secret.encode())


class SecretBox:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @classmethod
    def from_secret(cls, secret: str, purpose: str) -> SecretBox:
        return cls(derive_key(secret, purpose))

    def seal(self, plaintext: bytes, associated_data: bytes) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, _VERSION + associated_data)

    def open(self, sealed: bytes, associated_data: bytes) -> bytes:
        if len(sealed) < 1 + _NONCE_BYTES or sealed[:1] != _VERSION:
            raise SealedValueError("unknown format")
        nonce, ciphertext = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, ciphertext, _VERSION + associated_data)
        except InvalidTag as exc:
            raise SealedValueError("does not open") from exc
