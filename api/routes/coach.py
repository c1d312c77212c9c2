"""The AI career coach: sessions, messages (answered by the coaching worker and streamed
on ``GET /v1/events``), cancellation and ratings."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from api.deps import RequestIdDep, ResourcesDep, SessionDep
from api.errors import PROBLEM
from api.policies import COACH, CurrentUserId, requires
from api.schemas import (
    CoachCancelOut,
    CoachFeedbackIn,
    CoachMessageAccepted,
    CoachMessageIn,
    CoachMessageOut,
    CoachMessagePage,
    CoachSessionIn,
    CoachSessionOut,
    CoachSessionPage,
    CoachSuggestionOut,
)
from api.services import coach
from api.validation import MAX_BIGINT
from infra.db.models import CoachSession
from infra.ratelimit import Bucket
from schemas.coach import (
    CoachMode,
    CoachRole,
    FailureReason,
    Rating,
    ReplyMetadata,
    ReplyStatus,
    SuggestionStatus,
)

router = APIRouter(prefix="/v1/coach", tags=["coach"])


def _session_out(row: CoachSession) -> CoachSessionOut:
    return CoachSessionOut(
        id=row.id,
        cv_id=row.cv_id,
        mode=CoachMode(row.mode) if row.mode else None,
        has_job_description=row.job_description_sealed is not None,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _failure_reason(meta: dict[str, Any]) -> FailureReason | None:
    reason = (meta.get("failure") or {}).get("reason")
    return FailureReason(reason) if reason in set(FailureReason) else None


@router.post(
    "/sessions",
    dependencies=[requires(COACH)],
    status_code=status.HTTP_201_CREATED,
    response_model=CoachSessionOut,
    responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM},
)
async def create_session(
    body: CoachSessionIn, user_id: CurrentUserId, session: SessionDep, resources: ResourcesDep
) -> CoachSessionOut:
    """Start a conversation about a CV (default: your latest scored one) and, optionally,
    a job description; ``mode`` fixes the coach's mode (default: read from each message)."""
    row = await coach.create_session(
        session,
        resources.vault,
        user_id=user_id,
        cv_id=body.cv_id,
        mode=body.mode,
        job_description=body.job_description,
    )
    return _session_out(row)


@router.get(
    "/sessions",
    dependencies=[requires(COACH)],
    response_model=CoachSessionPage,
    responses={401: PROBLEM, 403: PROBLEM, 422: PROBLEM},
)
async def list_sessions(
    user_id: CurrentUserId,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_BIGINT)] = 0,
) -> CoachSessionPage:
    """Your coach sessions, most recent first."""
    rows, total = await coach.list_sessions(session, user_id, limit=limit, offset=offset)
    return CoachSessionPage(
        items=[_session_out(r) for r in rows], total=total, limit=limit, offset=offset
    )


@router.get(
    "/sessions/{coach_session_id}",
    dependencies=[requires(COACH)],
    response_model=CoachSessionOut,
    responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM},
)
async def get_session(
    coach_session_id: uuid.UUID, user_id: CurrentUserId, session: SessionDep
) -> CoachSessionOut:
    return _session_out(await coach.get_session(session, user_id, coach_session_id))


@router.delete(
    "/sessions/{coach_session_id}",
    dependencies=[requires(COACH)],
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM},
)
async def delete_session(
    coach_session_id: uuid.UUID, user_id: CurrentUserId, session: SessionDep
) -> Response:
    """Delete the session with all its messages and ratings."""
    await coach.delete_session(session, user_id, coach_session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/sessions/{coach_session_id}/messages",
    dependencies=[requires(COACH)],
    response_model=CoachMessagePage,
    responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM},
)
async def list_messages(
    coach_session_id: uuid.UUID,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_BIGINT)] = 0,
) -> CoachMessagePage:
    """The conversation, oldest first: your messages and the coach's replies."""
    views, total = await coach.list_messages(
        session, resources.vault, user_id, coach_session_id, limit=limit, offset=offset
    )
    items = [
        CoachMessageOut(
            id=v.message.id,
            role=CoachRole(v.message.role),
            status=ReplyStatus(v.message.status),
            text=v.text,
            reply_to=v.message.reply_to,
            metadata=ReplyMetadata.model_validate(v.message.meta)
            if v.message.role == CoachRole.ASSISTANT and v.message.meta.get("provider")
            else None,
            failure_reason=_failure_reason(v.message.meta),
            rating=Rating(v.rating) if v.rating else None,
            created_at=v.message.created_at,
            completed_at=v.message.completed_at,
        )
        for v in views
    ]
    return CoachMessagePage(items=items, total=total, limit=limit, offset=offset)


@router.post(
    "/sessions/{coach_session_id}/messages",
    dependencies=[requires(COACH, limit=Bucket.COACH)],
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CoachMessageAccepted,
    responses={401: PROBLEM, 402: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM, 429: PROBLEM},
)
async def send_message(
    coach_session_id: uuid.UUID,
    body: CoachMessageIn,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
    request_id: RequestIdDep,
) -> CoachMessageAccepted:
    """Send a message; the reply streams on ``GET /v1/events`` as ``coach.reply.delta``
    events, then ``coach.reply.completed`` with the whole text. 422 ``message_too_long``
    past the limit; 402 ``plan_limit_reached`` past the plan's messages today; 429
    ``rate_limited`` past the coach budget
    (``RECOLOCA_RATELIMIT_COACH``)."""
    message = await coach.send_message(
        session,
        resources.vault,
        user_id=user_id,
        session_id=coach_session_id,
        text=body.text,
        correlation_id=request_id,
        billing=resources.settings.billing,
    )
    return CoachMessageAccepted(message_id=message.id, reply_id=coach.reply_id_for(message.id))


@router.post(
    "/sessions/{coach_session_id}/messages/{message_id}/cancel",
    dependencies=[requires(COACH)],
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CoachCancelOut,
    responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM},
)
async def cancel_reply(
    coach_session_id: uuid.UUID, message_id: uuid.UUID, user_id: CurrentUserId, session: SessionDep
) -> CoachCancelOut:
    """Stop the reply to a message (give the message's id or the reply's). A reply that
    already finished is left as it is and its status is returned."""
    reply_id, state = await coach.cancel(session, user_id, coach_session_id, message_id)
    return CoachCancelOut(message_id=reply_id, status=state)


@router.post(
    "/sessions/{coach_session_id}/messages/{message_id}/feedback",
    dependencies=[requires(COACH)],
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM},
)
async def rate_reply(
    coach_session_id: uuid.UUID,
    message_id: uuid.UUID,
    body: CoachFeedbackIn,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
) -> Response:
    """Rate a reply of the coach (up or down, with an optional comment); a new rating
    replaces the previous one."""
    await coach.rate(
        session, resources.vault, user_id, coach_session_id, message_id, body.rating, body.comment
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _suggestion_out(view: coach.SuggestionView) -> CoachSuggestionOut:
    return CoachSuggestionOut(
        id=view.row.id,
        reply_id=view.row.reply_id,
        section=view.row.section,
        before=view.before,
        after=view.after,
        status=SuggestionStatus(view.row.status),
        decided_at=view.row.decided_at,
    )


@router.get(
    "/sessions/{coach_session_id}/messages/{message_id}/suggestions",
    dependencies=[requires(COACH)],
    response_model=list[CoachSuggestionOut],
    responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 422: PROBLEM},
)
async def list_suggestions(
    coach_session_id: uuid.UUID,
    message_id: uuid.UUID,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
) -> list[CoachSuggestionOut]:
    """The CV changes a tailor reply proposed, as a diff (``before`` → ``after``), with
    what you decided about each; 422 ``not_a_reply`` for one of your own messages."""
    views = await coach.suggestions(session, resources.vault, user_id, coach_session_id, message_id)
    return [_suggestion_out(v) for v in views]


async def _decide(
    decision: SuggestionStatus,
    coach_session_id: uuid.UUID,
    message_id: uuid.UUID,
    suggestion_id: uuid.UUID,
    user_id: uuid.UUID,
    session: SessionDep,
    resources: ResourcesDep,
) -> CoachSuggestionOut:
    view = await coach.decide(
        session,
        resources.vault,
        user_id,
        coach_session_id,
        message_id,
        suggestion_id,
        decision,
    )
    return _suggestion_out(view)


@router.post(
    "/sessions/{coach_session_id}/messages/{message_id}/suggestions/{suggestion_id}/accept",
    dependencies=[requires(COACH)],
    response_model=CoachSuggestionOut,
    responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
)
async def accept_suggestion(
    coach_session_id: uuid.UUID,
    message_id: uuid.UUID,
    suggestion_id: uuid.UUID,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
) -> CoachSuggestionOut:
    """Accept a proposed change (again: nothing changes); 409
    ``suggestion_already_decided`` when it was rejected."""
    return await _decide(
        SuggestionStatus.ACCEPTED,
        coach_session_id,
        message_id,
        suggestion_id,
        user_id,
        session,
        resources,
    )


@router.post(
    "/sessions/{coach_session_id}/messages/{message_id}/suggestions/{suggestion_id}/reject",
    dependencies=[requires(COACH)],
    response_model=CoachSuggestionOut,
    responses={401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
)
async def reject_suggestion(
    coach_session_id: uuid.UUID,
    message_id: uuid.UUID,
    suggestion_id: uuid.UUID,
    user_id: CurrentUserId,
    session: SessionDep,
    resources: ResourcesDep,
) -> CoachSuggestionOut:
    """Reject a proposed change (again: nothing changes); 409
    ``suggestion_already_decided`` when it was accepted."""
    return await _decide(
        SuggestionStatus.REJECTED,
        coach_session_id,
        message_id,
        suggestion_id,
        user_id,
        session,
        resources,
    )
