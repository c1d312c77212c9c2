"""Envelope encryption: round trips, and every way a ciphertext must refuse to open."""

from __future__ import annotations

import uuid

import pytest

from infra.crypto import (
    DataKey,
    DecryptionError,
    MasterKeys,
    UnknownMasterKeyError,
    WrappedKey,
    is_sealed_file,
)

OLD = "an old master key that is long enough to count"
NEW = "a new master key that is also long enough, surely"


def _keys() -> tuple[uuid.UUID, DataKey]:
    user = uuid.uuid4()
    key, _ = MasterKeys("k1", {"k1": OLD}).new_data_key(user)
    return user, key


def test_a_value_round_trips_bound_to_its_place() -> None:
    _, key = _keys()
    row = uuid.uuid4()
    sealed = key.seal(b"joao.silva@example.com", "cvs", row, "parsed")
    assert b"joao" not in sealed
    assert key.open(sealed, "cvs", row, "parsed") == b"joao.silva@example.com"
    # The same plaintext twice gives two ciphertexts (a fresh nonce each time).
    assert key.seal(b"x", "a") != key.seal(b"x", "a")


def test_another_row_field_or_user_does_not_open_it() -> None:
    _user, key = _keys()
    row = uuid.uuid4()
    sealed = key.seal(b"secret", "cvs", row, "parsed")
    with pytest.raises(DecryptionError):
        key.open(sealed, "cvs", uuid.uuid4(), "parsed")
    with pytest.raises(DecryptionError):
        key.open(sealed, "cvs", row, "job_description")
    # The same key material claimed by another user: the associated data differs.
    with pytest.raises(DecryptionError):
        DataKey(uuid.uuid4(), key.material).open(sealed, "cvs", row, "parsed")


def test_a_wrong_key_or_a_tampered_ciphertext_fails() -> None:
    user, key = _keys()
    sealed = key.seal(b"secret", "f")
    other = DataKey(user, bytes(32))
    with pytest.raises(DecryptionError):
        other.open(sealed, "f")
    for index in (0, 5, len(sealed) - 1):
        tampered = bytearray(sealed)
        tampered[index] ^= 0x01
        with pytest.raises(DecryptionError):
            key.open(bytes(tampered), "f")
    with pytest.raises(DecryptionError):
        key.open(sealed[:10], "f")


def test_files_are_marked_and_legacy_plaintext_passes_through() -> None:
    _, key = _keys()
    pdf = b"%PDF-1.7\n..."
    sealed = key.seal_file(pdf, "file", "cvs/x/original.pdf")
    assert is_sealed_file(sealed)
    assert not is_sealed_file(pdf)
    assert key.open_file(sealed, "file", "cvs/x/original.pdf") == pdf
    assert key.open_file(pdf, "file", "cvs/x/original.pdf") == pdf
    with pytest.raises(DecryptionError):
        key.open_file(sealed, "file", "cvs/y/original.pdf")


def test_wrapped_keys_open_only_with_their_master_key_and_user() -> None:
    user = uuid.uuid4()
    keys = MasterKeys("k1", {"k1": OLD})
    key, wrapped = keys.new_data_key(user)
    assert key.material not in wrapped.wrapped
    assert keys.unwrap(user, wrapped) == key
    with pytest.raises(DecryptionError):
        keys.unwrap(uuid.uuid4(), wrapped)
    with pytest.raises(DecryptionError):
        MasterKeys("k1", {"k1": NEW}).unwrap(user, wrapped)
    with pytest.raises(UnknownMasterKeyError):
        MasterKeys("k2", {"k2": NEW}).unwrap(user, wrapped)
    with pytest.raises(DecryptionError):
        keys.unwrap(user, WrappedKey("k1", wrapped.wrapped[:-1] + b"\x00"))


def test_rotation_rewraps_the_same_data_key() -> None:
    user = uuid.uuid4()
    key, wrapped = MasterKeys("k1", {"k1": OLD}).new_data_key(user)
    sealed = key.seal(b"cv text", "cvs", "1")
    rotating = MasterKeys("k2", {"k1": OLD, "k2": NEW})
    # During the rotation both the old and the re-wrapped key open.
    assert rotating.unwrap(user, wrapped) == key
    rewrapped = rotating.rewrap(user, wrapped)
    assert rewrapped.key_id == "k2"
    after = MasterKeys("k2", {"k2": NEW})
    assert after.unwrap(user, rewrapped).open(sealed, "cvs", "1") == b"cv text"


def test_pseudonyms_are_stable_keyed_and_not_the_id() -> None:
    user = uuid.uuid4()
    keys = MasterKeys("k1", {"k1": OLD})
    assert keys.pseudonym(user) == keys.pseudonym(user) != user
    assert MasterKeys("k1", {"k1": NEW}).pseudonym(user) != keys.pseudonym(user)


def test_the_current_key_must_be_configured() -> None:
    with pytest.raises(ValueError, match="current master key"):
        MasterKeys("k9", {"k1": OLD})
