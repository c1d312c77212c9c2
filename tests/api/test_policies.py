"""Who may call what, decided without I/O."""

from __future__ import annotations

import uuid

import pytest

from api.policies import (
    ADMIN,
    COACH,
    CVS_READ,
    CVS_WRITE,
    OPERATOR,
    PUBLIC,
    USER,
    Policy,
    Principal,
    Role,
    authorize,
    visible_events,
)
from api.services.api_keys import new_key, split_key
from api.services.errors import ApiKeyNotAllowedError, ForbiddenError, InsufficientScopeError


def _session(role: Role) -> Principal:
    return Principal(user_id=uuid.uuid4(), role=role)


def _key(*scopes: str, role: Role = Role.ADMIN) -> Principal:
    return Principal(
        user_id=uuid.uuid4(), role=role, api_key_id=uuid.uuid4(), scopes=frozenset(scopes)
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.USER, {PUBLIC, USER, CVS_READ, CVS_WRITE, COACH}),
        (Role.OPERATOR, {PUBLIC, USER, CVS_READ, CVS_WRITE, COACH, OPERATOR}),
        (Role.ADMIN, {PUBLIC, USER, CVS_READ, CVS_WRITE, COACH, OPERATOR, ADMIN}),
    ],
)
def test_each_role_may_do_what_the_roles_below_it_may(role: Role, allowed: set[Policy]) -> None:
    for policy in (PUBLIC, USER, CVS_READ, CVS_WRITE, COACH, OPERATOR, ADMIN):
        if policy in allowed:
            authorize(policy, _session(role))
        else:
            with pytest.raises(ForbiddenError):
                authorize(policy, _session(role))


def test_a_key_acts_only_within_its_scopes_whatever_its_owners_role() -> None:
    key = _key("cvs:read")
    authorize(CVS_READ, key)
    with pytest.raises(InsufficientScopeError):
        authorize(CVS_WRITE, key)
    with pytest.raises(InsufficientScopeError):
        authorize(COACH, key)
    for session_only in (USER, OPERATOR, ADMIN):
        with pytest.raises(ApiKeyNotAllowedError):
            authorize(session_only, key)
    authorize(PUBLIC, key)


def test_keys_are_unique_and_split_back_into_prefix_and_secret() -> None:
    keys = [new_key() for _ in range(100)]
    assert len({token for token, _, _ in keys}) == 100
    for token, prefix, _ in keys:
        assert token.startswith("rk_live_")
        assert split_key(token) == (prefix, token.removeprefix(f"rk_live_{prefix}_"))
    assert split_key("rk_live_short_secret") is None
    assert split_key("rk_live_0123456789ab") is None
    assert split_key("rk_live_" + "0123456789ab_" + "x" * 200) is None
    assert split_key("Bearer rk_live_0123456789ab_x") is None


def test_an_api_key_receives_the_events_of_its_scopes_only() -> None:
    def key(*scopes: str) -> Principal:
        return Principal(
            user_id=uuid.uuid4(), role=Role.USER, api_key_id=uuid.uuid4(), scopes=frozenset(scopes)
        )

    types = ["cv.scored", "report.ready", "coach.reply.completed", "coach.reply.delta"]
    user = Principal(user_id=uuid.uuid4(), role=Role.USER)
    assert visible_events(user) is None
    coach = visible_events(key("coach"))
    reader = visible_events(key("cvs:read"))
    both = visible_events(key("cvs:read", "coach"))
    assert coach is not None
    assert reader is not None
    assert both is not None
    assert [t for t in types if coach(t)] == ["coach.reply.completed", "coach.reply.delta"]
    assert [t for t in types if reader(t)] == ["cv.scored", "report.ready"]
    assert [t for t in types if both(t)] == types
    writer = visible_events(key("cvs:write"))
    assert writer is not None
    assert not writer("cv.scored")
