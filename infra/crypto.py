"""Envelope encryption of personal data (AES-256-GCM), with no I/O.

Each user has a random 256-bit data key; it is stored only wrapped (encrypted) by a
master key from the settings. Master keys carry an id, so a rotation can re-wrap every
data key under a new master key while the old one still opens what is not re-wrapped yet.
Destroying a user's wrapped data key makes every ciphertext of that user unreadable,
wherever a copy of it lives (crypto-shredding).

Every ciphertext is bound by associated data to its owner and to the row and field it
belongs to: moving it to another user or another row makes it fail to open.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE_BYTES = 12
_KEY_BYTES = 32
# Sealed values start with a version byte, so the format can change without guessing.
_FORMAT_V1 = b"\x01"
# Sealed files start with this marker; a CV stored before encryption (PDF, DOCX or text,
# none of which starts with a NUL byte) is told apart by its absence.
FILE_MAGIC = b"\x00RCENC1\x00"


class DecryptionError(Exception):
    """The ciphertext was tampered with, belongs elsewhere, or the key is not the right one."""


class UnknownMasterKeyError(DecryptionError):
    """A data key was wrapped by a master key that is not configured any more."""


def associated_data(user_id: uuid.UUID, *parts: object) -> bytes:
    """What binds a ciphertext to its owner and place, e.g. ``(user, "cvs", cv_id, "parsed")``."""
    return "/".join([str(user_id), *(str(part) for part in parts)]).encode()


@dataclass(frozen=True, slots=True)
class DataKey:
    """A user's plaintext data key; lives in memory only while a service needs it."""

    user_id: uuid.UUID
    material: bytes

    def seal(self, plaintext: bytes, *place: object) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        aad = associated_data(self.user_id, *place)
        return _FORMAT_V1 + nonce + AESGCM(self.material).encrypt(nonce, plaintext, aad)

    def open(self, sealed: bytes, *place: object) -> bytes:
        if len(sealed) < 1 + _NONCE_BYTES + 16 or sealed[:1] != _FORMAT_V1:
            raise DecryptionError("not a sealed value")
        nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        try:
            return AESGCM(self.material).decrypt(nonce, body, associated_data(self.user_id, *place))
        except InvalidTag as exc:
            raise DecryptionError("the ciphertext does not open with this key and place") from exc

    def seal_file(self, data: bytes, *place: object) -> bytes:
        return FILE_MAGIC + self.seal(data, *place)

    def open_file(self, stored: bytes, *place: object) -> bytes:
        """The original bytes; a file stored before encryption is returned as it is."""
        if not is_sealed_file(stored):
            return stored
        return self.open(stored[len(FILE_MAGIC) :], *place)


def is_sealed_file(stored: bytes) -> bool:
    return stored.startswith(FILE_MAGIC)


@dataclass(frozen=True, slots=True)
class WrappedKey:
    key_id: str
    wrapped: bytes


class MasterKeys:
    """The configured master keys: the current one wraps, any of them unwraps.

    A master key is a secret string from the settings; the AES key is derived from it
    with HKDF, so an operator can paste any long random value."""

    def __init__(self, current_id: str, secrets: Mapping[str, str]) -> None:
        if current_id not in secrets:
            raise ValueError("the current master key id has no key")
        self.current_id = current_id
        self._keys = {key_id: _derive(secret) for key_id, secret in secrets.items()}
        # An erasure pseudonymises all of a user's entries at once, so a pseudonym only
        # needs to be stable within one key's lifetime.
        self._pseudonym_key = _derive(secrets[current_id], b"recoloca pseudonyms")

    def new_data_key(self, user_id: uuid.UUID) -> tuple[DataKey, WrappedKey]:
        key = DataKey(user_id, AESGCM.generate_key(bit_length=_KEY_BYTES * 8))
        return key, self.wrap(key)

    def wrap(self, key: DataKey) -> WrappedKey:
        nonce = os.urandom(_NONCE_BYTES)
        kek = AESGCM(self._keys[self.current_id])
        aad = associated_data(key.user_id, "data-key", self.current_id)
        return WrappedKey(self.current_id, nonce + kek.encrypt(nonce, key.material, aad))

    def unwrap(self, user_id: uuid.UUID, wrapped: WrappedKey) -> DataKey:
        kek_material = self._keys.get(wrapped.key_id)
        if kek_material is None:
            raise UnknownMasterKeyError(f"master key {wrapped.key_id!r} is not configured")
        nonce, body = wrapped.wrapped[:_NONCE_BYTES], wrapped.wrapped[_NONCE_BYTES:]
        aad = associated_data(user_id, "data-key", wrapped.key_id)
        try:
            material = AESGCM(kek_material).decrypt(nonce, body, aad)
        except InvalidTag as exc:
            raise DecryptionError("the data key does not unwrap with its master key") from exc
        return DataKey(user_id, material)

    def rewrap(self, user_id: uuid.UUID, wrapped: WrappedKey) -> WrappedKey:
        """The same data key wrapped by the current master key (what rotation does)."""
        return self.wrap(self.unwrap(user_id, wrapped))

    def pseudonym(self, user_id: uuid.UUID) -> uuid.UUID:
        """A keyed, stable stand-in for an erased user's id: the same user gives the same
        pseudonym (the trail stays linkable), and without the key it leads nowhere."""
        digest = hmac.new(self._pseudonym_key, user_id.bytes, hashlib.sha256).digest()
        return uuid.UUID(bytes=digest[:16], version=4)


def _derive(secret: str, info: bytes = b"recoloca master key") -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=None, info=info).derive(
        secret.encode()
    )
