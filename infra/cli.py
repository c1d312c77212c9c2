"""The ``recoloca`` command."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from infra.logging import configure_logging
from infra.settings import Settings, get_settings

app = typer.Typer(no_args_is_help=True, help="Recoloca: CV analysis on event-driven workers.")


def _settings() -> Settings:
    settings = get_settings()
    configure_logging(level=settings.log.level, json=settings.json_logs)
    return settings


@app.command()
def dev() -> None:
    """Run everything (API, relay, every worker) on embedded services where no URL is set."""
    from infra.dev import run_dev

    run_dev(_settings())


@app.command()
def api() -> None:
    """Run the HTTP API."""
    from infra.runner import API, run_components

    asyncio.run(run_components(_settings(), [API]))


@app.command()
def relay() -> None:
    """Run the outbox relay (publishes committed events to Kafka)."""
    from infra.runner import RELAY, run_components

    asyncio.run(run_components(_settings(), [RELAY]))


@app.command()
def worker(name: Annotated[str, typer.Argument(help="parsing | scoring")]) -> None:
    """Run one consumer worker."""
    from consumers.workers import WORKERS
    from infra.runner import run_components

    if name not in WORKERS:
        raise typer.BadParameter(f"unknown worker; choose from: {', '.join(WORKERS)}")
    asyncio.run(run_components(_settings(), [name]))


@app.command()
def migrate(
    revision: Annotated[str, typer.Option(help="Target revision")] = "head",
    downgrade: Annotated[bool, typer.Option(help="Downgrade to the revision instead")] = False,
) -> None:
    """Apply database migrations."""
    from infra.db import migrate as migrations

    settings = _settings()
    if not settings.database.url:
        raise typer.BadParameter("RECOLOCA_DATABASE_URL is not set")
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


def main() -> None:
    app()
