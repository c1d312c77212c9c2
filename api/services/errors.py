"""Domain errors the API's services raise; ``api/errors.py`` maps them to HTTP problems."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        # Machine-readable members added to the problem body (e.g. a limit and its usage).
        self.extra: dict[str, Any] = extra


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
    status, code, title = (
        415,
        "unsupported_file_type",
        "Only PDF, DOCX, ODT, RTF and TXT files are accepted",
    )


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


class ExportNotReadyError(DomainError):
    status, code, title = 409, "export_not_ready", "The export is not ready to download"


class ExportExpiredError(DomainError):
    status, code, title = 410, "export_expired", "The export has expired; request a new one"


# --- identity: passwords, profile, second factor ------------------------------------


class PasswordTooShortError(DomainError):
    status, code, title = 422, "password_too_short", "The password needs at least 8 characters"


class PasswordTooLongError(DomainError):
    status, code, title = 422, "password_too_long", "The password may have at most 128 characters"


class PasswordTooCommonError(DomainError):
    status, code, title = (
        422,
        "password_too_common",
        "This password is among the most common ones; choose another",
    )


class InvalidPasswordError(DomainError):
    """A signed-in user's re-entered password is wrong (403: the token itself is fine)."""

    status, code, title = 403, "invalid_password", "The password is wrong"


class MfaRequiredError(DomainError):
    """First step of a log-in with MFA on; the route adds the ``mfa_token`` to the body."""

    status, code, title = 401, "mfa_required", "A second factor is required"

    def __init__(self, mfa_token: str) -> None:
        super().__init__("Send a code from the authenticator app to /v1/auth/mfa.")
        self.mfa_token = mfa_token


class InvalidMfaTokenError(DomainError):
    status, code, title = 401, "invalid_mfa_token", "The mfa_token is invalid, used or expired"


class MfaAttemptsExceededError(DomainError):
    status, code, title = (
        401,
        "mfa_attempts_exceeded",
        "Too many wrong codes for this log-in; log in again",
    )


class InvalidMfaCodeError(DomainError):
    status, code, title = 401, "invalid_mfa_code", "The code is wrong or expired"


class MfaCodeReusedError(DomainError):
    status, code, title = 401, "mfa_code_reused", "This code was already used; wait for the next"


# A signed-in user confirming an action: a wrong factor is a 403, not a 401 (the bearer
# token is fine, and clients log out on 401).
class StepUpMfaCodeError(InvalidMfaCodeError):
    status = 403


class StepUpMfaCodeReusedError(MfaCodeReusedError):
    status = 403


class MfaCodeRequiredError(DomainError):
    status, code, title = 403, "mfa_code_required", "A code from the authenticator is required"


class MfaAlreadyEnabledError(DomainError):
    status, code, title = 409, "mfa_already_enabled", "Two-factor authentication is already on"


class MfaNotEnabledError(DomainError):
    status, code, title = 409, "mfa_not_enabled", "Two-factor authentication is not on"


class MfaNotPendingError(DomainError):
    status, code, title = (
        409,
        "mfa_enrolment_not_started",
        "Start the enrolment with POST /v1/me/mfa/totp first",
    )


class ReportNotReadyError(DomainError):
    status, code, title = 404, "report_not_ready", "The PDF report is not ready yet"


class ForbiddenError(DomainError):
    status, code, title = 403, "forbidden", "Your role may not do this"


class ApiKeyNotAllowedError(DomainError):
    status, code, title = 403, "api_key_not_allowed", "This route needs a signed-in session"


class InsufficientScopeError(DomainError):
    status, code, title = 403, "insufficient_scope", "The API key lacks the scope for this"


class TooManyApiKeysError(DomainError):
    status, code, title = 409, "too_many_api_keys", "Revoke an API key before creating another"


# --- the coach ------------------------------------------------------------------------


class MessageTooLongError(DomainError):
    status, code, title = 422, "message_too_long", "The message is longer than the limit"


class NotAReplyError(DomainError):
    status, code, title = 422, "not_a_reply", "Only the coach's replies can be rated"


class SuggestionDecidedError(DomainError):
    status, code, title = (
        409,
        "suggestion_already_decided",
        "This change was already decided the other way",
    )


class AccountDisabledError(DomainError):
    """The password was right, but an administrator disabled the account."""

    status, code, title = 403, "account_disabled", "This account is disabled"


# --- administration: users and roles ---------------------------------------------------


class UserNotFoundError(NotFoundError):
    code, title = "user_not_found", "No user with this id"


class LastAdminError(DomainError):
    status, code, title = (
        409,
        "last_admin",
        "This is the last administrator: promote another account first",
    )


# --- operations: the bus ---------------------------------------------------------------


class TopicNotFoundError(NotFoundError):
    code, title = "topic_not_found", "No such topic"


class DeadLetterNotFoundError(NotFoundError):
    code, title = "dead_letter_not_found", "No dead letter with this id"


class ConsumerGroupNotFoundError(NotFoundError):
    code, title = "consumer_group_not_found", "No worker's consumer group has this name"


class TopicNotReadError(NotFoundError):
    code, title = "topic_not_read_by_group", "The consumer group does not read this topic"


class InvalidReplayError(DomainError):
    status, code, title = 422, "invalid_replay", "The replay cannot be planned as asked"


class NoRunningWorkerError(DomainError):
    status, code, title = (
        409,
        "no_running_worker",
        "A reprocess needs the group's workers running",
    )


class BrokerUnavailableError(DomainError):
    status, code, title = 503, "broker_unavailable", "The message broker cannot be reached"


class ControlChannelUnavailableError(DomainError):
    status, code, title = (
        503,
        "control_channel_unavailable",
        "The workers' control channel (Redis) cannot be reached",
    )


class PlanLimitReachedError(DomainError):
    status, code, title = 402, "plan_limit_reached", "The plan's limit is reached"


class BillingUnavailableError(DomainError):
    status, code, title = 503, "billing_unavailable", "Billing is not available right now"


class BillingRejectedError(DomainError):
    status, code, title = 502, "billing_rejected", "The payment provider refused the request"


class NoBillingAccountError(DomainError):
    status, code, title = 409, "no_billing_account", "There is no billing account yet"


class AlreadySubscribedError(DomainError):
    status, code, title = 409, "already_subscribed", "The account already has a paid plan"


class PaymentPendingError(DomainError):
    status, code, title = 409, "payment_pending", "A payment for the plan is still pending"


class PriceNotOfferedError(DomainError):
    status, code, title = 422, "price_not_offered", "This plan is not offered with these options"


class InvalidSignatureError(DomainError):
    status, code, title = 400, "invalid_signature", "The Stripe-Signature header does not verify"


class InvalidWebhookEventError(DomainError):
    status, code, title = 400, "invalid_event", "The body is not a Stripe event"


class InboxUnavailableError(DomainError):
    status, code, title = 503, "inbox_unavailable", "The event could not be stored; retry later"


class InvalidUnsubscribeLinkError(DomainError):
    status, code, title = 400, "invalid_unsubscribe_link", "This unsubscribe link is not valid"


class UsedUnsubscribeLinkError(DomainError):
    status, code, title = 410, "unsubscribe_link_used", "This unsubscribe link was used already"


class InvalidVerificationLinkError(DomainError):
    status, code, title = 400, "invalid_verification_link", "This verification link is not valid"


class ExpiredVerificationLinkError(DomainError):
    status, code, title = 410, "verification_link_expired", "This verification link has expired"


class UnknownNotificationChoiceError(DomainError):
    status, code, title = (
        422,
        "unknown_notification_choice",
        "No such notification category or channel",
    )


class NotificationNotOptionalError(DomainError):
    status, code, title = (
        409,
        "notification_not_optional",
        "Account, billing, privacy and security messages cannot be turned off",
    )


class CsrfFailedError(DomainError):
    status, code, title = (
        403,
        "csrf_failed",
        "A signed-in browser request needs its CSRF token and a same-site Origin",
    )
