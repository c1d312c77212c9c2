"""The signed-in user's API keys for integrations."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, status

from api.deps import RequestMetaDep, SessionDep
from api.errors import PROBLEM
from api.policies import USER, CurrentUserId, requires
from api.schemas import ApiKeyCreated, ApiKeyIn, ApiKeyOut
from api.services import api_keys

router = APIRouter(prefix="/v1/me/api-keys", tags=["me"])
_AUTH: dict[int | str, dict[str, Any]] = {401: PROBLEM, 403: PROBLEM}


@router.post(
    "",
    dependencies=[requires(USER)],
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses={**_AUTH, 409: PROBLEM, 422: PROBLEM},
)
async def create_api_key(
    body: ApiKeyIn, user_id: CurrentUserId, session: SessionDep, meta: RequestMetaDep
) -> ApiKeyCreated:
    """A key to send as ``Authorization: Bearer <key>``, limited to its scopes. Only a
    signed-in session may create keys (a key cannot mint another)."""
    key, token = await api_keys.create(session, user_id, body.name, body.scopes, meta)
    return ApiKeyCreated(
        **ApiKeyOut.model_validate(key, from_attributes=True).model_dump(), key=token
    )


@router.get("", dependencies=[requires(USER)], response_model=list[ApiKeyOut], responses=_AUTH)
async def list_api_keys(user_id: CurrentUserId, session: SessionDep) -> list[ApiKeyOut]:
    keys = await api_keys.list_active(session, user_id)
    return [ApiKeyOut.model_validate(key, from_attributes=True) for key in keys]


@router.delete(
    "/{key_id}",
    dependencies=[requires(USER)],
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**_AUTH, 404: PROBLEM},
)
async def revoke_api_key(
    key_id: uuid.UUID, user_id: CurrentUserId, session: SessionDep, meta: RequestMetaDep
) -> None:
    """The key is refused from its next request on."""
    await api_keys.revoke(session, user_id, key_id, meta)
