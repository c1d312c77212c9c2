from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import ResourcesDep, SessionDep
from api.errors import PROBLEM
from api.schemas import RefreshIn, RegisterIn, TokenOut, UserOut
from api.services import auth

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses={409: PROBLEM, 422: PROBLEM},
)
async def register(body: RegisterIn, session: SessionDep, resources: ResourcesDep) -> UserOut:
    user = await auth.register(session, resources.hashing, body.email, body.password)
    return UserOut(id=user.id, email=user.email, created_at=user.created_at)


@router.post("/token", response_model=TokenOut, responses={401: PROBLEM, 422: PROBLEM})
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    resources: ResourcesDep,
) -> TokenOut:
    settings = resources.settings
    pair = await auth.log_in(
        session, settings.auth, resources.hashing, form.username, form.password
    )
    return TokenOut(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@router.post("/refresh", response_model=TokenOut, responses={401: PROBLEM, 422: PROBLEM})
async def refresh(body: RefreshIn, session: SessionDep, resources: ResourcesDep) -> TokenOut:
    pair = await auth.refresh(
        session, resources.settings.auth, resources.sessions, body.refresh_token
    )
    return TokenOut(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )
