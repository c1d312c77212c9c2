"""TOTP codes against explicit times: ±1 step of skew accepted, ±2 refused."""

from __future__ import annotations

import uuid

import pyotp
import pytest

from api.services.mfa import (
    STEP_SECONDS,
    matching_step,
    new_recovery_code,
    recovery_code_hash,
)

SECRET = pyotp.random_base32(length=32)
NOW = 1_800_000_015.0  # mid-step
STEP = int(NOW // STEP_SECONDS)


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_codes_within_one_step_match_their_step(offset: int) -> None:
    code = pyotp.TOTP(SECRET).at(NOW + offset * STEP_SECONDS)
    assert matching_step(SECRET, code, NOW) == STEP + offset


@pytest.mark.parametrize("offset", [-2, 2, 10])
def test_codes_two_steps_away_do_not_match(offset: int) -> None:
    code = pyotp.TOTP(SECRET).at(NOW + offset * STEP_SECONDS)
    # A code can collide with a neighbour's by chance (1 in a million); not this one.
    assert code not in {pyotp.TOTP(SECRET).at(NOW + k * STEP_SECONDS) for k in (-1, 0, 1)}
    assert matching_step(SECRET, code, NOW) is None


def test_a_code_of_another_secret_does_not_match() -> None:
    other = pyotp.random_base32(length=32)
    assert matching_step(SECRET, pyotp.TOTP(other).at(NOW), NOW) in (None, STEP)


def test_recovery_codes_are_random_and_hashed_per_user() -> None:
    codes = {new_recovery_code() for _ in range(50)}
    assert len(codes) == 50
    code = codes.pop()
    assert len(code) == 19
    assert code.count("-") == 3
    user, other = uuid.uuid4(), uuid.uuid4()
    assert recovery_code_hash(user, code) == recovery_code_hash(
        user, code.lower().replace("-", " ")
    )
    assert recovery_code_hash(user, code) != recovery_code_hash(other, code)
