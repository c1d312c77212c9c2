"""Reading and writing the sealed columns of CVs and analyses.

Each reader accepts a row written before encryption (plaintext columns, nothing sealed):
the migration could not encrypt them without the key, and they are re-written sealed
whenever they are written again.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from infra.crypto import DataKey, DecryptionError
from infra.db.models import Analysis, CoachMessage, CoachSession, CoachSuggestion, Cv
from schemas.personal import join, split_analysis, split_parsed


def seal_json(key: DataKey, value: dict[str, Any], *place: object) -> bytes:
    return key.seal(json.dumps(value, separators=(",", ":")).encode(), *place)


def open_json(key: DataKey | None, sealed: bytes, *place: object) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(_need(key).open(sealed, *place))
    return value


def _need(key: DataKey | None) -> DataKey:
    # No key but a sealed value: the user's key was destroyed (erased) or never stored.
    if key is None:
        raise DecryptionError("the user has no data key")
    return key


def file_place(storage_key: str) -> tuple[str, str]:
    return ("file", storage_key)


def set_parsed(key: DataKey, cv: Cv, parsed: dict[str, Any]) -> None:
    public, private = split_parsed(parsed)
    cv.parsed = public
    cv.parsed_sealed = seal_json(key, private, "cvs", cv.id, "parsed")


def parsed_of(key: DataKey | None, cv: Cv) -> dict[str, Any] | None:
    """The whole ``ParsedCv`` dump of the CV, or None before parsing."""
    if cv.parsed is None:
        return None
    if cv.parsed_sealed is None:
        return cv.parsed
    return join(cv.parsed, open_json(key, cv.parsed_sealed, "cvs", cv.id, "parsed"))


def set_filename(key: DataKey, cv: Cv, filename: str) -> None:
    cv.filename = f"cv.{cv.file_kind}"
    cv.filename_sealed = key.seal(filename.encode(), "cvs", cv.id, "filename")


def filename_of(key: DataKey | None, cv: Cv) -> str:
    if cv.filename_sealed is None:
        return cv.filename
    return _need(key).open(cv.filename_sealed, "cvs", cv.id, "filename").decode()


def has_job_description(cv: Cv) -> bool:
    return cv.job_description_sealed is not None or cv.job_description is not None


def set_job_description(key: DataKey, cv: Cv, text: str | None) -> None:
    cv.job_description = None
    cv.job_description_sealed = (
        None if text is None else key.seal(text.encode(), "cvs", cv.id, "job_description")
    )


def job_description_of(key: DataKey | None, cv: Cv) -> str | None:
    if cv.job_description_sealed is None:
        return cv.job_description
    return _need(key).open(cv.job_description_sealed, "cvs", cv.id, "job_description").decode()


def sealed_analysis(
    key: DataKey, analysis_id: uuid.UUID, body: dict[str, Any]
) -> tuple[dict[str, Any], bytes]:
    public, private = split_analysis(body)
    return public, seal_json(key, private, "analyses", analysis_id, "body")


def analysis_body(key: DataKey | None, analysis: Analysis) -> dict[str, Any]:
    if analysis.body_sealed is None:
        return analysis.body
    return join(
        analysis.body, open_json(key, analysis.body_sealed, "analyses", analysis.id, "body")
    )


def set_coach_text(key: DataKey, message: CoachMessage, text: str) -> None:
    message.text_sealed = key.seal(text.encode(), "coach_messages", message.id, "text")


def coach_text_of(key: DataKey | None, message: CoachMessage) -> str:
    if message.text_sealed is None:
        return ""
    return _need(key).open(message.text_sealed, "coach_messages", message.id, "text").decode()


def set_session_job_description(
    key: DataKey, coach_session: CoachSession, text: str | None
) -> None:
    coach_session.job_description_sealed = (
        None
        if text is None
        else key.seal(text.encode(), "coach_sessions", coach_session.id, "job_description")
    )


def session_job_description_of(key: DataKey | None, coach_session: CoachSession) -> str | None:
    if coach_session.job_description_sealed is None:
        return None
    place = ("coach_sessions", coach_session.id, "job_description")
    return _need(key).open(coach_session.job_description_sealed, *place).decode()


def seal_feedback_comment(key: DataKey, message_id: uuid.UUID, comment: str | None) -> bytes | None:
    if comment is None:
        return None
    return key.seal(comment.encode(), "coach_feedback", message_id, "comment")


def feedback_comment_of(
    key: DataKey | None, message_id: uuid.UUID, sealed: bytes | None
) -> str | None:
    if sealed is None:
        return None
    return _need(key).open(sealed, "coach_feedback", message_id, "comment").decode()


def set_suggestion_change(key: DataKey, row: CoachSuggestion, before: str, after: str) -> None:
    row.change_sealed = seal_json(
        key, {"before": before, "after": after}, "coach_suggestions", row.id, "change"
    )


def suggestion_change_of(key: DataKey | None, row: CoachSuggestion) -> tuple[str, str]:
    change = open_json(key, row.change_sealed, "coach_suggestions", row.id, "change")
    return str(change["before"]), str(change["after"])
