"""The one settings object. Every variable is ``RECOLOCA_<GROUP>_<NAME>`` (e.g.
``RECOLOCA_KAFKA_BOOTSTRAP_SERVERS`` is ``settings.kafka.bootstrap_servers``).

A service whose URL is left unset is started embedded by ``recoloca dev`` and the
test suite; the long-running production commands refuse to start without it.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Self

from limits import parse_many
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from infra.crypto import MasterKeys

_DEV_SECRET = "dev-only-insecure-secret-change-me-0123456789"
_DEV_CONTROL_KEY = "dev-only-insecure-control-key-change-me-0123"
_DEV_MASTER_KEY = "dev-only-insecure-master-key-change-me-01234"
_DEV_MFA_KEY = "dev-only-insecure-mfa-key-change-me-0123456789"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class DatabaseSettings(BaseModel):
    url: str | None = Field(default=None, description="postgresql+asyncpg://user:pass@host/db")
    pool_size: int = Field(default=10, ge=1)
    # Connections opened beyond the pool under a burst, closed again when returned.
    max_overflow: int = Field(default=10, ge=0)
    # How long a request or message waits for a connection before it fails (a 503
    # database_unavailable in the API, a retry in a worker).
    pool_timeout_seconds: float = Field(default=30.0, gt=0)


class RedisSettings(BaseModel):
    url: str | None = Field(default=None, description="redis://host:6379/0")


class KafkaSettings(BaseModel):
    bootstrap_servers: str | None = None
    # Apache Kafka supports the idempotent producer; the embedded broker does not.
    enable_idempotence: bool = False
    partitions: int = Field(default=3, ge=1)
    replication_factor: int = Field(default=1, ge=1)
    # Short group timeouts make a restarted worker rejoin quickly; production may raise them.
    session_timeout_ms: int = 10_000
    heartbeat_interval_ms: int = 3_000
    # How long an idle fetch waits before it returns. The broker's work grows with the
    # partitions polled, so only the hops a user waits on poll often.
    fetch_max_wait_ms: int = Field(default=100, ge=0)
    background_fetch_max_wait_ms: int = Field(default=500, ge=0)


class S3Settings(BaseModel):
    bucket: str | None = Field(
        default=None, description="Set to store files in S3 instead of a local directory"
    )
    endpoint_url: str | None = None
    region: str = "us-east-1"
    access_key_id: str | None = None
    secret_access_key: SecretStr | None = None


class AuthSettings(BaseModel):
    secret_key: SecretStr = SecretStr(_DEV_SECRET)
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    # How long a request may trust an earlier check that the token's user exists and its
    # session was not revoked (revocations in the same process apply at once).
    session_check_seconds: float = Field(default=5.0, ge=0)
    # Password hashes computed at the same time (each ~20 ms of one core and 19 MiB).
    hash_concurrency: int = Field(default=2, ge=1)


class MfaSettings(BaseModel):
    """Second factor (TOTP, RFC 6238) and the two-step log-in."""

    # TOTP seeds are stored encrypted with a key derived from this (32+ random characters
    # in production; changing it makes every enrolled authenticator invalid).
    encryption_key: SecretStr = SecretStr(_DEV_MFA_KEY)
    issuer: str = "Recoloca"
    # How long the mfa_token of a log-in's first step is good for, and how many wrong
    # codes it takes before it is spent (the 6-digit space must not be walked).
    challenge_seconds: int = Field(default=300, ge=30, le=3600)
    challenge_attempts: int = Field(default=5, ge=1, le=20)


class ApiSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000
    # Serve on this inherited listening socket instead of binding host:port (several API
    # processes of ``recoloca dev`` share one).
    fd: int | None = Field(default=None, ge=0)
    max_upload_bytes: int = 10 * 1024 * 1024
    sse_keepalive_seconds: float = 15.0
    # A request body must keep coming: each chunk within the idle time, the whole within
    # the grace time plus its length at the minimum rate (slowloris).
    # The request line and headers must be complete this long after their first byte.
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    body_idle_seconds: float = Field(default=5.0, gt=0)
    body_grace_seconds: float = Field(default=5.0, ge=0)
    body_min_bytes_per_second: int = Field(default=16 * 1024, gt=0)
    # How often an open SSE stream re-checks that its token and session are still valid.
    sse_reauth_seconds: float = Field(default=30.0, gt=0)
    # Origins allowed to call the API from a browser (JSON list); empty: same origin only.
    cors_origins: list[str] = Field(default_factory=list)
    # Host headers answered (JSON list; "*.example.com" for subdomains). Health probes
    # are answered whatever the host, since orchestrators probe by address.
    trusted_hosts: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost", "testserver"]
    )
    # Proxies whose X-Forwarded-For names the client (JSON list of addresses and networks,
    # or ["*"]): the address per-IP budgets, sessions and the audit trail record.
    forwarded_allow_ips: list[str] = Field(default_factory=lambda: ["127.0.0.1"])

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        # A typo would otherwise be taken for a host name no peer ever has, silently.
        for entry in value:
            if entry != "*":
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError as exc:
                    raise ValueError(f"{entry!r} is not an IP address or network") from exc
        return value


class RateLimitSettings(BaseModel):
    """Request budgets, in the ``limits`` notation ("10 per 15 minutes", or several
    joined by ";"). Shared by every API process through Redis (see infra/ratelimit.py)."""

    # Off only for load tests: never in production.
    enabled: bool = True
    # Log-in attempts, right or wrong, per normalised e-mail: the 11th guess is refused.
    login_account: str = "10 per 15 minutes"
    # Log-in attempts per client address (room for an office or a carrier's NAT).
    login_ip: str = "60 per 15 minutes"
    registration: str = "10 per hour"
    password_reset: str = "5 per hour"
    # Per user or API key.
    uploads: str = "30 per hour"
    coach: str = "60 per hour"
    # Every authenticated request, per user or API key.
    general: str = "300 per minute"
    # Event streams (GET /v1/events) open at once per user, counted across processes.
    sse_streams: int = Field(default=5, ge=1)
    # A stream's slot expires this long after its process last renewed it (a crashed
    # process frees its slots by then).
    sse_slot_seconds: float = Field(default=60.0, ge=1)
    key_prefix: str = Field(default="recoloca-limits", min_length=1)
    # A Redis answer slower than this counts as Redis down; the process then counts in
    # memory, and tries Redis again after ``redis_retry_seconds``.
    redis_timeout_seconds: float = Field(default=0.5, gt=0)
    redis_retry_seconds: float = Field(default=5.0, ge=0)

    @field_validator(
        "login_account", "login_ip", "registration", "password_reset", "uploads", "coach", "general"
    )
    @classmethod
    def _parses(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(f"not a rate limit such as '10 per minute': {value!r}") from exc
        return value


class ParsingSettings(BaseModel):
    """Limits of the parsing worker's child processes (see consumers/parsing/sandbox.py)."""

    # Past this, the child parsing a document is killed and the CV fails `file_too_complex`.
    timeout_seconds: float = Field(default=15.0, gt=0)
    # Address-space limit of each child; 0 turns it off.
    memory_mb: int = Field(default=1536, ge=0)
    # Documents parsed at the same time by one worker process.
    processes: int = Field(default=1, ge=1, le=64)
    # Deliveries of one CV whose parse never finished (the worker itself died) before it
    # fails `file_too_complex`: a file that kills workers must not come back forever.
    max_attempts: int = Field(default=3, ge=1)


class LogSettings(BaseModel):
    level: str = "INFO"
    json_format: bool | None = Field(
        default=None, description="Default: JSON in production, console otherwise"
    )


class OutboxSettings(BaseModel):
    # The relay is woken by NOTIFY on commit; this is only the safety-net poll.
    poll_seconds: float = 2.0
    batch_size: int = 500
    # How often to look for CVs stuck before scoring, and how long counts as stuck.
    recovery_seconds: float = 30.0
    stalled_seconds: float = 120.0
    # Re-publish every unfinished CV command at start (for brokers that keep nothing).
    requeue_on_start: bool = False


class ConsumerSettings(BaseModel):
    # A failing message is retried this many times in all (via its retry topic), then dead-lettered.
    max_attempts: int = Field(default=4, ge=1)
    retry_backoff_seconds: float = 1.0
    retry_backoff_max_seconds: float = 30.0
    # A commit slower than this means the broker lost the group: the worker reconnects.
    commit_timeout_seconds: float = 10.0
    # A worker whose group has not given it its partitions by then starts over, rather
    # than wait (unready) for a rebalance that may never settle.
    join_timeout_seconds: float = Field(default=60.0, gt=0)


class ControlSettings(BaseModel):
    """Operator commands to running workers (replay) over Redis pub/sub."""

    # Commands and replies are signed with it: Redis access alone cannot seek a group.
    signing_key: SecretStr = SecretStr(_DEV_CONTROL_KEY)
    # A signed command older than this is refused (and one seen before is ignored).
    max_age_seconds: float = Field(default=60.0, gt=0)

    def key(self) -> bytes:
        return self.signing_key.get_secret_value().encode()


class CryptoSettings(BaseModel):
    """Encryption at rest of personal data (see infra/crypto.py)."""

    # Wraps every user's data key; 32+ random characters in production.
    master_key: SecretStr = SecretStr(_DEV_MASTER_KEY)
    # Stored beside each wrapped data key, so a rotation knows what is left to re-wrap.
    master_key_id: str = Field(default="dev", min_length=1, max_length=32)
    # Keys being rotated away from, by id (JSON: {"k1": "..."}): they still unwrap.
    previous_keys: dict[str, SecretStr] = Field(default_factory=dict)
    # How long an export stays downloadable before it is deleted.
    export_ttl_hours: float = Field(default=24.0, gt=0)

    def master_keys(self) -> MasterKeys:
        secrets = {key_id: key.get_secret_value() for key_id, key in self.previous_keys.items()}
        secrets[self.master_key_id] = self.master_key.get_secret_value()
        return MasterKeys(self.master_key_id, secrets)


class MetricsSettings(BaseModel):
    # Workers serve Prometheus metrics on this port when set (the API serves /metrics itself).
    port: int | None = None


class HealthSettings(BaseModel):
    # The relay and workers answer GET /healthz (alive) and GET /readyz (ready: the relay
    # active, each worker in its group with partitions) on this port when set; the API
    # answers both on its own port.
    port: int | None = Field(default=None, ge=1, le=65535)
    host: str = "127.0.0.1"
    # Other processes of one deployment whose readiness the API's /readyz includes, by
    # name (JSON: {"parsing-1": "http://127.0.0.1:8101"}); set by ``recoloca dev``.
    peers: dict[str, str] = Field(default_factory=dict)


class ProcessSettings(BaseModel):
    """How many processes ``recoloca dev`` runs; unset means one per CPU."""

    api: int | None = Field(default=None, ge=1, le=64)
    parsing: int | None = Field(default=None, ge=1, le=64)
    scoring: int | None = Field(default=None, ge=1, le=64)


class FaultSettings(BaseModel):
    """Fault injection for resilience tests; never set in production."""

    # Name of a consumer that kills its own process right after committing an effect,
    # before committing the offset: the crash window at-least-once delivery must survive.
    kill_after_effect: str | None = None
    # The parsing worker kills its own process in the middle of a parse.
    kill_during_parse: bool = False


class GeminiSettings(BaseModel):
    """The optional LLM refinement of the offline analysis; unset ``api_key`` = offline only."""

    api_key: SecretStr | None = None
    model: str = "gemini-2.5-flash"
    # Point the SDK at a proxy or a local fake (tests); None is Google's endpoint.
    base_url: str | None = None
    api_version: str = "v1beta"
    # The whole refinement's budget, retries included; each HTTP attempt has it as well.
    timeout_seconds: float = Field(default=8.0, gt=0)
    # HTTP attempts in all (429/408/5xx are retried with exponential backoff and jitter).
    attempts: int = Field(default=3, ge=1)
    backoff_seconds: float = Field(default=0.5, ge=0)
    backoff_max_seconds: float = Field(default=4.0, ge=0)
    # Consecutive failed refinements that open the circuit, and how long it stays open.
    breaker_failures: int = Field(default=5, ge=1)
    breaker_reset_seconds: float = Field(default=30.0, gt=0)


class CoachSettings(BaseModel):
    """The coaching worker and the coach's API limits."""

    # How long a streaming reply counts as alive without its worker renewing the lease;
    # past it, a redelivered message takes the reply over.
    lease_seconds: float = Field(default=20.0, gt=0)
    # How often a streaming reply looks for a cancellation.
    cancel_poll_seconds: float = Field(default=0.1, gt=0)
    # Pause between the offline coach's deltas (0: as fast as they are written).
    offline_delta_seconds: float = Field(default=0.0, ge=0)
    # Turns of the session sent with each message; older ones are summarised.
    history_turns: int = Field(default=12, ge=0)
    # The CV facts cached in Redis between turns.
    context_ttl_seconds: int = Field(default=3600, ge=1)
    # Gemini's streamed reply: first token (each attempt), gap between chunks, whole reply.
    gemini_first_token_seconds: float = Field(default=6.0, gt=0)
    gemini_idle_seconds: float = Field(default=6.0, gt=0)
    gemini_total_seconds: float = Field(default=45.0, gt=0)


class StripeSettings(BaseModel):
    """Stripe: the API (checkout, portal, invoices, re-fetching state) and its webhooks.

    Without ``api_key`` the billing routes that call Stripe answer 503; without
    ``webhook_secret`` every webhook is refused."""

    api_key: SecretStr | None = None
    # The endpoint's signing secret; during a rotation, the old ones go in
    # ``previous_webhook_secrets`` (JSON list) until Stripe stops signing with them.
    webhook_secret: SecretStr | None = None
    previous_webhook_secrets: list[SecretStr] = Field(default_factory=list)
    # Older (or further in the future) signature timestamps are refused: a replay window.
    webhook_tolerance_seconds: int = Field(default=300, ge=1)
    # Multi-currency prices (BRL and USD) of the pro plan.
    price_pro_monthly: str | None = None
    price_pro_yearly: str | None = None
    # A proxy or a local fake; None is Stripe's own address.
    api_base: str | None = None
    timeout_seconds: float = Field(default=10.0, gt=0)
    # Where Checkout and the Customer Portal send the user back.
    success_url: str = "http://127.0.0.1:8000/billing?checkout=success"
    cancel_url: str = "http://127.0.0.1:8000/billing?checkout=cancelled"
    portal_return_url: str = "http://127.0.0.1:8000/billing"
    # Payment methods offered at checkout per currency; boleto settles days later.
    payment_methods_brl: list[str] = Field(default_factory=lambda: ["card", "boleto"])
    payment_methods_usd: list[str] = Field(default_factory=lambda: ["card"])

    @field_validator(
        "api_key", "webhook_secret", "price_pro_monthly", "price_pro_yearly", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # Compose passes an unset variable as "": that means "not configured".
        return None if value == "" else value

    def webhook_secrets(self) -> list[str]:
        current = [self.webhook_secret] if self.webhook_secret else []
        return [secret.get_secret_value() for secret in [*current, *self.previous_webhook_secrets]]


class BillingSettings(BaseModel):
    """Plans and what each allows (see api/services/entitlements.py)."""

    free_analyses_per_month: int = Field(default=3, ge=0)
    free_coach_messages_per_day: int = Field(default=20, ge=0)
    pro_analyses_per_month: int = Field(default=100, ge=0)
    pro_coach_messages_per_day: int = Field(default=500, ge=0)
    # A past-due subscription keeps pro this long after its first failed payment.
    grace_days: float = Field(default=7.0, ge=0)
    # Prices shown on the plans page, in minor units (they must match Stripe's prices).
    pro_monthly_brl: int = 2990
    pro_yearly_brl: int = 29900
    pro_monthly_usd: int = 999
    pro_yearly_usd: int = 9900


class SmtpSettings(BaseModel):
    """Outgoing mail. Without a host, ``recoloca dev`` starts a local sink that keeps each
    message as an .eml file under ``RECOLOCA_DATA_DIR/mail/``."""

    model_config = ConfigDict(populate_by_name=True)

    host: str | None = None
    port: int = 587
    username: str | None = None
    password: SecretStr | None = None
    starttls: bool = False
    # RECOLOCA_SMTP_FROM
    from_address: str = Field(default="Recoloca <no-reply@recoloca.local>", alias="from")
    timeout_seconds: float = Field(default=10.0, gt=0)
    # Transient failures (4xx, refused, timeouts) are retried this many times in the
    # handler, with exponential backoff and jitter, before the message goes to the
    # consumer's retry topic for a later try.
    send_attempts: int = Field(default=3, ge=1)
    backoff_seconds: float = Field(default=0.5, ge=0)


class NotificationSettings(BaseModel):
    # Where the links in mails point (the web application's origin).
    public_url: str = "http://127.0.0.1:8000"
    # How long the e-mail verification link of the welcome mail works.
    verify_link_hours: int = Field(default=72, ge=1, le=24 * 30)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RECOLOCA_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="ignore",
    )

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path(".recoloca")
    database: DatabaseSettings = DatabaseSettings()
    redis: RedisSettings = RedisSettings()
    kafka: KafkaSettings = KafkaSettings()
    s3: S3Settings = S3Settings()
    auth: AuthSettings = AuthSettings()
    mfa: MfaSettings = MfaSettings()
    api: ApiSettings = ApiSettings()
    ratelimit: RateLimitSettings = RateLimitSettings()
    log: LogSettings = LogSettings()
    parsing: ParsingSettings = ParsingSettings()
    outbox: OutboxSettings = OutboxSettings()
    consumer: ConsumerSettings = ConsumerSettings()
    metrics: MetricsSettings = MetricsSettings()
    health: HealthSettings = HealthSettings()
    processes: ProcessSettings = ProcessSettings()
    control: ControlSettings = ControlSettings()
    crypto: CryptoSettings = CryptoSettings()
    fault: FaultSettings = FaultSettings()
    gemini: GeminiSettings = GeminiSettings()
    coach: CoachSettings = CoachSettings()
    stripe: StripeSettings = StripeSettings()
    billing: BillingSettings = BillingSettings()
    smtp: SmtpSettings = SmtpSettings()
    notifications: NotificationSettings = NotificationSettings()

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Self:
        if self.env is Environment.PRODUCTION:
            secret = self.auth.secret_key.get_secret_value()
            if secret == _DEV_SECRET or len(secret) < 32:
                raise ValueError(
                    "RECOLOCA_AUTH_SECRET_KEY must be set to a random value of 32+ characters"
                )
            control_key = self.control.signing_key.get_secret_value()
            if control_key == _DEV_CONTROL_KEY or len(control_key) < 32:
                raise ValueError(
                    "RECOLOCA_CONTROL_SIGNING_KEY must be set to a random value of 32+ characters"
                )
            master_key = self.crypto.master_key.get_secret_value()
            if master_key == _DEV_MASTER_KEY or len(master_key) < 32:
                raise ValueError(
                    "RECOLOCA_CRYPTO_MASTER_KEY must be set to a random value of 32+ characters"
                )
            mfa_key = self.mfa.encryption_key.get_secret_value()
            if mfa_key == _DEV_MFA_KEY or len(mfa_key) < 32:
                raise ValueError(
                    "RECOLOCA_MFA_ENCRYPTION_KEY must be set to a random value of 32+ characters"
                )
            if not self.ratelimit.enabled:
                raise ValueError("RECOLOCA_RATELIMIT_ENABLED=false is for load tests only")
        return self

    @property
    def json_logs(self) -> bool:
        if self.log.json_format is not None:
            return self.log.json_format
        return self.env is Environment.PRODUCTION


@cache
def get_settings() -> Settings:
    return Settings()
