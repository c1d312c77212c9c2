"""Domain errors the API's services raise; ``api/errors.py`` maps them to HTTP problems."""

from __future__ import annotations


class DomainError(Exception):
    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title


class NotFoundError(DomainError):
    status, code, title = 404, "not_found", "Not found"


class EmailTakenError(DomainError):
    status, code, title = 409, "email_taken", "An account with this e-mail already exists"


class InvalidCredentialsError(DomainError):
    status, code, title = 401, "invalid_credentials", "Wrong e-mail or password"


class NotAuthenticatedError(DomainError):
    status, code, title = 401, "not_authenticated", "A valid bearer token is required"


class InvalidRefreshTokenError(DomainError):
    status, code, title = (
        401,
        "invalid_refresh_token",
        "The refresh token is invalid or was revoked",
    )


class CvNotReadyError(DomainError):
    status, code, title = 409, "cv_not_ready", "The CV has not been analysed yet"


class UnsupportedFileTypeError(DomainError):
    status, code, title = 415, "unsupported_file_type", "Only PDF, DOCX and TXT files are accepted"


class FileTooLargeError(DomainError):
    status, code, title = 413, "file_too_large", "The file is larger than the limit"


class EmptyFileError(DomainError):
    status, code, title = 422, "empty_file", "The file is empty"


class UnreadableFileError(DomainError):
    status, code, title = 422, "unreadable_file", "The file is damaged or cannot be read"


class InvalidFormError(DomainError):
    status, code, title = 422, "validation_error", "The request is not valid"


class InvalidLastEventIdError(DomainError):
    status, code, title = 422, "invalid_last_event_id", "Last-Event-ID is not an event id"


class PasswordConfirmationError(DomainError):
    status, code, title = (
        403,
        "invalid_password",
        "The password (or code) does not confirm it is you",
    )


class ExportNotReadyError(DomainError):
    status, code, title = 409, "export_not_ready", "The export is not ready to download"


class ExportExpiredError(DomainError):
    status, code, title = 410, "export_expired", "The export has expired; request a new one"


class ReportNotReadyError(DomainError):
    status, code, title = 404, "report_not_ready", "The PDF report is not ready yet"
