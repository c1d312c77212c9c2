"""The ``recoloca`` command."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Literal

import click
import typer

from infra.errors import NotConfiguredError, OperatorError
from infra.logging import configure_logging
from infra.settings import Settings, get_settings

if TYPE_CHECKING:
    # Imported where used: `recoloca dev` must refuse a second run before loading it all.
    from infra.db.session import Database

app = typer.Typer(
    no_args_is_help=True,
    help="Recoloca: CV analysis on event-driven workers.",
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error")] = False,
) -> None:
    """Recoloca: CV analysis on event-driven workers."""


def _settings() -> Settings:
    """The settings; unset URLs fall back to a running ``recoloca dev`` in this directory."""
    from entrypoints.dev import attach_to_dev

    settings = get_settings()
    configure_logging(level=settings.log.level, json=settings.json_logs)
    return attach_to_dev(settings)


@app.command()
def dev() -> None:
    """Run everything (API, relay, every worker) on embedded services where no URL is set."""
    from entrypoints.dev import run_dev

    settings = get_settings()
    configure_logging(level=settings.log.level, json=settings.json_logs)
    run_dev(settings)


@app.command()
def api() -> None:
    """Run the HTTP API."""
    from entrypoints.runner import API, run_components

    asyncio.run(run_components(_settings(), [API]))


@app.command()
def relay() -> None:
    """Run the outbox relay (publishes committed events to Kafka)."""
    from entrypoints.runner import RELAY, run_components

    asyncio.run(run_components(_settings(), [RELAY]))


@app.command()
def worker(
    names: Annotated[
        list[str], typer.Argument(help="The worker's name (see `recoloca workers`), or several")
    ],
) -> None:
    """Run a consumer worker (several named: all of them in this process)."""
    from consumers.workers import WORKERS
    from entrypoints.runner import run_components

    unknown = [name for name in names if name not in WORKERS]
    if unknown:
        raise typer.BadParameter(
            f"unknown worker {unknown[0]!r}; choose from: {', '.join(WORKERS)}"
        )
    asyncio.run(run_components(_settings(), list(dict.fromkeys(names))))


@app.command()
def workers() -> None:
    """List the workers and the topics each consumes."""
    from consumers.workers import WORKERS

    for name, spec in WORKERS.items():
        typer.echo(f"{name}: {', '.join(t.name for t in spec.topics)}")


@app.command()
def migrate(
    revision: Annotated[str, typer.Option(help="Target revision")] = "head",
    downgrade: Annotated[bool, typer.Option(help="Downgrade to the revision instead")] = False,
) -> None:
    """Apply database migrations."""
    from infra.db import migrate as migrations

    settings = _settings()
    if not settings.database.url:
        raise NotConfiguredError("DATABASE_URL")
    if downgrade:
        migrations.downgrade(settings.database.url, "base" if revision == "head" else revision)
    else:
        migrations.upgrade(settings.database.url, revision)


topics_app = typer.Typer(no_args_is_help=True, help="Kafka topics.")
app.add_typer(topics_app, name="topics")


@topics_app.command("create")
def topics_create() -> None:
    """Declare every topic (and its dead-letter topic) with the configured partitions."""
    from infra.kafka import ensure_topics

    created = asyncio.run(ensure_topics(_settings().kafka))
    typer.echo(f"created {len(created)} topic(s)" + (f": {', '.join(created)}" if created else ""))


@topics_app.command("list")
def topics_list() -> None:
    """Every topic with its partitions and their beginning and end offsets."""
    from producers.kafka_admin import topic_offsets

    rows = asyncio.run(topic_offsets(_settings().kafka))
    typer.echo(f"{'topic':<36} {'partition':>9} {'beginning':>10} {'end':>10}")
    for row in rows:
        typer.echo(f"{row.topic:<36} {row.partition:>9} {row.beginning:>10} {row.end:>10}")


@app.command()
def groups() -> None:
    """Each worker's consumer group: committed offset and lag per partition."""
    from producers.kafka_admin import worker_groups

    by_group = asyncio.run(worker_groups(_settings().kafka))
    typer.echo(
        f"{'group':<14} {'topic':<32} {'partition':>9} {'committed':>10} {'end':>8} {'lag':>6}"
    )
    for rows in by_group.values():
        for row in rows:
            committed = "-" if row.committed is None else str(row.committed)
            typer.echo(
                f"{row.group:<14} {row.topic:<32} {row.partition:>9} {committed:>10} "
                f"{row.end:>8} {row.lag:>6}"
            )


@app.command()
def replay(
    topic: Annotated[str, typer.Option(help="Topic to replay, e.g. cv.uploaded")],
    group: Annotated[str, typer.Option(help="Consumer group (a worker's name), e.g. parsing")],
    from_beginning: Annotated[bool, typer.Option("--from-beginning")] = False,
    from_offset: Annotated[
        int | None, typer.Option("--from-offset", help="Same offset on every partition")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="ISO time (2026-11-26T10:00:00Z) or a duration ago (30m, 2h, 1d)"),
    ] = None,
    reprocess: Annotated[
        bool,
        typer.Option(
            help="Re-run for real (e.g. re-score: a new analysis version) instead of skipping what was done"
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan, change nothing")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Move a consumer group's position on a topic; running workers pause, seek and resume."""
    from infra.redis import make_redis
    from producers.replay import execute_replay, plan_replay

    settings = _settings()
    when = parse_since(since) if since else None
    try:
        plan = asyncio.run(
            plan_replay(
                settings.kafka,
                group=group,
                topic=topic,
                from_beginning=from_beginning,
                from_offset=from_offset,
                since=when,
                reprocess=reprocess,
            )
        )
    except (ValueError, LookupError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    typer.echo(f"replay {topic} for group {group}" + (" (reprocess)" if reprocess else ""))
    typer.echo(f"{'partition':>9} {'committed':>10} {'target':>8} {'end':>8} {'re-consumed':>12}")
    for p in plan.partitions:
        committed = "-" if p.committed is None else str(p.committed)
        typer.echo(
            f"{p.partition:>9} {committed:>10} {p.target:>8} {p.end:>8} {p.to_reconsume:>12}"
        )
    typer.echo(f"{plan.total} message(s) will be delivered again to {group}.")
    if dry_run:
        typer.echo("dry run: nothing changed.")
        return
    if not yes and not typer.confirm("Proceed?", default=False):
        raise typer.Abort()
    if not settings.redis.url:
        raise NotConfiguredError("REDIS_URL")

    async def run() -> None:
        redis = make_redis(settings.redis.url or "")
        try:
            result = await execute_replay(settings.kafka, redis, plan)
        finally:
            await redis.aclose()
        for member, partitions in result.by_members.items():
            typer.echo(f"moved by running worker {member}: partitions {partitions}")
        if result.committed_directly:
            typer.echo(f"committed for the idle group: partitions {result.committed_directly}")

    asyncio.run(run())


def parse_since(value: str) -> datetime:
    """An ISO timestamp, or a duration ago such as ``30m``, ``2h``, ``1d``."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    if value[:-1].isdigit() and value[-1] in units:
        return datetime.now(UTC) - timedelta(seconds=int(value[:-1]) * units[value[-1]])
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not a time or duration: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


dlq_app = typer.Typer(no_args_is_help=True, help="Dead letters: inspect and redrive.")
app.add_typer(dlq_app, name="dlq")


def _dead_letter_tools() -> tuple[Settings, Database]:
    from infra.db.session import Database

    settings = _settings()
    if not settings.database.url:
        raise NotConfiguredError("DATABASE_URL")
    if not settings.kafka.bootstrap_servers:
        raise NotConfiguredError("KAFKA_BOOTSTRAP_SERVERS")
    return settings, Database(settings.database.url, pool_size=1)


@dlq_app.command("list")
def dlq_list(
    topic: Annotated[str, typer.Option(help="Original topic, e.g. cv.uploaded")],
    state: Annotated[
        Literal["all", "waiting", "redriven"], typer.Option(help="Which letters to list")
    ] = "all",
    limit: Annotated[int, typer.Option(min=1, help="Letters to show, oldest first")] = 100,
    offset: Annotated[int, typer.Option(min=0, help="Letters to skip first")] = 0,
) -> None:
    """Dead letters of a topic with their envelope and failure (no message bodies)."""
    from producers.dead_letters import LetterPage, read_dead_letter_page

    settings, db = _dead_letter_tools()

    async def run() -> LetterPage:
        try:
            return await read_dead_letter_page(
                settings.kafka,
                db,
                topic,
                state=state,
                offset=offset,
                limit=limit,
            )
        finally:
            await db.dispose()

    try:
        page = asyncio.run(run())
    except LookupError as exc:
        raise OperatorError(str(exc), "`recoloca topics list` shows the topics") from exc
    typer.echo(
        f"{'id':<10} {'state':<9} {'type':<14} {'event_id':<37} {'consumer':<10} {'tries':>5}  error"
    )
    for letter in page.letters:
        env, failure = letter.envelope(), letter.failure()
        shown_state = "redriven" if letter.redriven else "waiting"
        typer.echo(
            f"{letter.id:<10} {shown_state:<9} {env.get('type', '-'):<14} {env.get('event_id', '-'):<37} "
            f"{failure.get('consumer', '-'):<10} {failure.get('attempts', '-'):>5}  {failure.get('error', '')[:80]}"
        )
    first = offset + 1 if page.letters else 0
    typer.echo(
        f"{first}–{offset + len(page.letters)} of {page.total} dead letter(s)"
        + (f" ({state})" if state != "all" else "")
    )


@dlq_app.command("show")
def dlq_show(
    topic: Annotated[str, typer.Option(help="Original topic, e.g. cv.uploaded")],
    id: Annotated[list[str], typer.Option("--id", help="partition:offset or event id")],
) -> None:
    """One dead letter in full: envelope, failure headers, body field names."""
    import json

    from producers.dead_letters import describe, find_dead_letters

    settings, db = _dead_letter_tools()

    async def run() -> list[dict[str, object]]:
        try:
            letters = await find_dead_letters(settings.kafka, db, topic, id)
            return [describe(letter) for letter in letters]
        finally:
            await db.dispose()

    try:
        typer.echo(json.dumps(asyncio.run(run()), indent=2))
    except LookupError as exc:
        raise typer.BadParameter(str(exc)) from exc


@dlq_app.command("redrive")
def dlq_redrive(
    topic: Annotated[str, typer.Option(help="Original topic, e.g. cv.uploaded")],
    id: Annotated[
        list[str] | None,
        typer.Option("--id", help="partition:offset or event id; default: all waiting"),
    ] = None,
    force: Annotated[bool, typer.Option(help="Send again even if redriven before")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Send dead letters back to their original topic (consumers skip what they already did)."""
    from producers.dead_letters import find_dead_letters, redrive

    settings, db = _dead_letter_tools()

    async def run() -> None:
        try:
            letters = await find_dead_letters(settings.kafka, db, topic, id or [])
            if not letters:
                typer.echo("nothing to redrive")
                return
            typer.echo(f"{len(letters)} dead letter(s) to send back to their topic")
            if not yes and not typer.confirm("Proceed?", default=False):
                raise typer.Abort()
            sent = await redrive(settings.kafka, db, letters, force=force)
            typer.echo(
                f"redriven: {len(sent)}" + (f" ({', '.join(x.id for x in sent)})" if sent else "")
            )
        finally:
            await db.dispose()

    try:
        asyncio.run(run())
    except LookupError as exc:
        raise typer.BadParameter(str(exc)) from exc


keys_app = typer.Typer(no_args_is_help=True, help="Users' data keys and the master key.")
app.add_typer(keys_app, name="keys")


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Re-wrap every user's data key under the current master key.

    Set the new key as RECOLOCA_CRYPTO_MASTER_KEY (with a new _MASTER_KEY_ID) and keep the
    old one in RECOLOCA_CRYPTO_PREVIOUS_KEYS until this reports nothing left to re-wrap."""
    from infra.crypto import DecryptionError
    from infra.db.session import Database
    from infra.vault import rotate

    settings = _settings()
    if not settings.database.url:
        raise NotConfiguredError("DATABASE_URL")
    keys = settings.crypto.master_keys()

    async def run() -> tuple[int, dict[str, int]]:
        from infra.db.repositories import user_keys as user_keys_repo

        db = Database(settings.database.url or "", pool_size=1)
        try:
            done = await rotate(db, keys)
            async with db.sessions() as session:
                return done, await user_keys_repo.count_by_master_key(session)
        finally:
            await db.dispose()

    try:
        done, counts = asyncio.run(run())
    except DecryptionError as exc:
        raise OperatorError(
            f"a data key does not unwrap: {exc}",
            "keep the old master key in RECOLOCA_CRYPTO_PREVIOUS_KEYS until the rotation ends",
        ) from exc
    left = sum(n for key_id, n in counts.items() if key_id != keys.current_id)
    typer.echo(
        f"re-wrapped {done} data key(s) under master key {keys.current_id!r}; {left} left under other keys"
    )


users_app = typer.Typer(no_args_is_help=True, help="Accounts.")
app.add_typer(users_app, name="users")

ADMIN_PASSWORD_ENV = "RECOLOCA_ADMIN_PASSWORD"


@users_app.command("create-admin")
def users_create_admin(
    email: Annotated[str, typer.Argument(help="The administrator's e-mail address")],
) -> None:
    """Make the account of EMAIL an administrator, creating it if there is none.

    A new account's password is read from RECOLOCA_ADMIN_PASSWORD, else asked for (never
    an option: it would stay in the shell's history). Running it again changes nothing."""
    import os

    from api.services import admin
    from api.services.errors import DomainError
    from api.services.sessions import SessionChecks
    from infra.db.session import Database
    from infra.security import Hashing

    settings = _settings()
    if not settings.database.url:
        raise NotConfiguredError("DATABASE_URL")

    def password() -> str:
        given = os.environ.get(ADMIN_PASSWORD_ENV)
        if given:
            return given
        typed: str = typer.prompt(
            f"No account for {email} yet; its password", hide_input=True, confirmation_prompt=True
        )
        return typed

    async def run() -> admin.AdminBootstrap:
        db = Database(settings.database.url or "", pool_size=1)
        try:
            async with db.sessions() as session:
                return await admin.create_admin(
                    session,
                    Hashing(settings.auth.hash_concurrency),
                    SessionChecks(db, 0),
                    email,
                    password,
                )
        finally:
            await db.dispose()

    try:
        done = asyncio.run(run())
    except DomainError as exc:
        raise OperatorError(exc.detail, f"({exc.code})") from exc
    if done.created:
        typer.echo(f"created administrator {done.user_id}")
    elif done.promoted:
        typer.echo(f"{done.user_id} is now an administrator")
    if done.enabled:
        typer.echo(f"{done.user_id} was disabled and is enabled again")
    if not (done.created or done.promoted or done.enabled):
        typer.echo(f"{done.user_id} is already an administrator; nothing changed")


billing_app = typer.Typer(no_args_is_help=True, help="Subscriptions and Stripe.")
app.add_typer(billing_app, name="billing")


@billing_app.command("reconcile")
def billing_reconcile(
    user: Annotated[
        str | None, typer.Option("--user", help="Only this user's customer (a user id)")
    ] = None,
) -> None:
    """Compare our subscriptions with Stripe's and repair the drift, printing each change.

    Needs RECOLOCA_STRIPE_API_KEY; running it again changes nothing."""
    import uuid

    from consumers.billing.service import reconcile
    from consumers.context import WorkerContext

    settings = _settings()
    try:
        user_id = uuid.UUID(user) if user else None
    except ValueError as exc:
        raise typer.BadParameter(f"not a user id: {user!r}") from exc

    async def run() -> list[str]:
        ctx = WorkerContext.from_settings(settings)
        try:
            if ctx.stripe is None:
                raise OperatorError(
                    "RECOLOCA_STRIPE_API_KEY is not set",
                    "reconcile reads Stripe's own state: set the API key",
                )
            return await reconcile(ctx, ctx.stripe, user_id)
        finally:
            await ctx.close()

    changes = asyncio.run(run())
    for line in changes:
        typer.echo(line)
    typer.echo(f"{len(changes)} subscription(s) repaired")


notifications_app = typer.Typer(no_args_is_help=True, help="Emails and in-app messages.")
app.add_typer(notifications_app, name="notifications")


@notifications_app.command("preview")
def notifications_preview(
    template: Annotated[str, typer.Argument(help="e.g. welcome, cv_scored, cv_failed")],
    locale: Annotated[str, typer.Option(help="pt-BR or en")] = "pt-BR",
    html: Annotated[bool, typer.Option("--html", help="Print the HTML part instead")] = False,
) -> None:
    """Render a template with sample data: subject, then the text (or HTML) part."""
    from consumers.notifications.render import render, sample_data
    from schemas.notifications import LOCALES, TEMPLATES

    if template not in TEMPLATES:
        raise typer.BadParameter(f"unknown template {template!r}; known: {', '.join(TEMPLATES)}")
    if locale not in LOCALES:
        raise typer.BadParameter(f"unknown locale {locale!r}; known: {', '.join(LOCALES)}")
    rendered = render(template, locale, sample_data(template, locale))
    typer.echo(f"Subject: {rendered.subject}\n")
    typer.echo(rendered.html if html else rendered.text)


@notifications_app.command("sent")
def notifications_sent(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, newest first")] = 20,
) -> None:
    """The latest emails: when, which template and locale, status, attempts, SMTP reply."""
    from infra.db.repositories import notifications as repo
    from infra.db.session import Database
    from schemas.notifications import EMAIL

    settings = _settings()
    if not settings.database.url:
        raise NotConfiguredError("DATABASE_URL")

    async def run() -> list[str]:
        assert settings.database.url is not None
        db = Database(settings.database.url, pool_size=1)
        try:
            async with db.sessions() as session:
                rows = await repo.recent(session, EMAIL, limit)
        finally:
            await db.dispose()
        return [
            f"{row.created_at:%Y-%m-%d %H:%M:%S}  {row.status:<10} {row.template:<22} "
            f"{row.locale:<5} attempts={row.attempts}  {row.smtp_reply or row.last_error or ''}"
            for row in rows
        ]

    for line in asyncio.run(run()):
        typer.echo(line)


@notifications_app.command("send")
def notifications_send(
    template: Annotated[str, typer.Argument(help="e.g. announcement")],
    user: Annotated[str, typer.Option("--user", help="The user's e-mail address")],
    data: Annotated[
        str, typer.Option("--data", help='The template\'s data as JSON, e.g. {"title": ..}')
    ] = "{}",
    link: Annotated[str, typer.Option("--link", help="Where the message points")] = "/",
) -> None:
    """Queue a notification for one user (notifications.requested); it is sent once, by
    the user's choices and in their language."""
    import json
    import uuid

    from pydantic import ValidationError

    from consumers.notifications.render import render
    from infra.db.repositories import users as users_repo
    from infra.db.session import Database
    from producers.outbox import stage_events
    from schemas.notifications import LOCALES, TEMPLATES
    from schemas.users import NotificationRequested

    if template not in TEMPLATES:
        raise typer.BadParameter(f"unknown template {template!r}; known: {', '.join(TEMPLATES)}")
    try:
        values = json.loads(data)
        event = NotificationRequested(
            correlation_id=f"cli-{uuid.uuid4()}", template=template, data=values, link=link
        )
        for locale in LOCALES:
            render(template, locale, {**event.data, "link": link})
    except (ValueError, ValidationError) as exc:
        raise typer.BadParameter(f"--data: {exc}") from exc
    except Exception as exc:  # jinja2's errors: what the template needs is missing
        raise typer.BadParameter(f"{template} cannot render with this data: {exc}") from exc
    settings = _settings()
    if not settings.database.url:
        raise NotConfiguredError("DATABASE_URL")

    async def run() -> uuid.UUID:
        assert settings.database.url is not None
        db = Database(settings.database.url, pool_size=1)
        try:
            async with db.transaction() as session:
                found = await users_repo.by_email(session, user.strip().lower())
                if found is None:
                    raise OperatorError(f"no user with the address {user!r}", "check the address")
                await stage_events(session, event.model_copy(update={"user_id": found.id}))
        finally:
            await db.dispose()
        return event.event_id

    typer.echo(f"queued {template} for {user} (event {asyncio.run(run())})")


def main() -> None:
    """The entry point: errors are one or two lines on stderr and a non-zero exit code;
    ``--debug`` shows the traceback instead."""
    debug = "--debug" in sys.argv[1:]
    try:
        code = app(standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        typer.echo("aborted", err=True)
        code = 130
    except Exception as exc:
        if debug:
            raise
        typer.echo(f"error: {describe_error(exc)}", err=True)
        code = 1
    sys.exit(code if isinstance(code, int) else 0)


def describe_error(exc: Exception) -> str:
    """One or two lines saying what went wrong and what to do."""
    from aiokafka.errors import KafkaConnectionError, KafkaError

    if isinstance(exc, OperatorError):
        return str(exc)
    if isinstance(exc, KafkaConnectionError | ConnectionError):
        return (
            f"cannot connect ({exc})\n"
            "is `make run` still running in this folder? Otherwise check the RECOLOCA_* URLs"
        )
    if isinstance(exc, KafkaError):
        return f"Kafka refused the request: {exc}"
    return f"{type(exc).__name__}: {exc}\n(run again with --debug for the traceback)"
