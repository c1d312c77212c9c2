"""The processes of `recoloca dev` and what each is told (pure: no process started)."""

from __future__ import annotations

from consumers.workers import WORKERS
from entrypoints.health import health_response
from entrypoints.processes import plan_processes, settings_environment
from infra.readiness import Readiness
from infra.settings import ProcessSettings, Settings


def test_parsing_gets_a_process_per_cpu_and_every_worker_runs_once() -> None:
    specs = plan_processes(ProcessSettings(), cpus=4)
    names = [spec.name for spec in specs]
    assert names.count("relay") == 1
    assert [n for n in names if n.startswith("parsing")] == [f"parsing-{i}" for i in range(1, 5)]
    assert [n for n in names if n.startswith("api")] == ["api-1", "api-2"]
    workers = [c for spec in specs for c in spec.components if c in WORKERS and c != "parsing"]
    assert sorted(workers) == sorted(set(WORKERS) - {"parsing"})
    assert len(set(names)) == len(names)


def test_counts_come_from_the_settings_and_background_work_is_niced() -> None:
    specs = plan_processes(ProcessSettings(api=1, parsing=3, scoring=2), cpus=1)
    by_name = {spec.name: spec for spec in specs}
    assert "api" in by_name
    assert "api-1" not in by_name
    assert {"parsing-1", "parsing-2", "parsing-3", "scoring-1", "scoring-2"} <= set(by_name)
    assert by_name["parsing-1"].args == ("worker", "parsing")
    assert by_name["report"].niceness > by_name["parsing-1"].niceness > by_name["api"].niceness
    # Mail and exports wait under overload; the coach (someone is watching) does not.
    assert by_name["background"].components == ("notifications", "export", "erasure")
    assert by_name["background"].niceness > by_name["scoring-1"].niceness
    assert by_name["workers"].components == ("coaching", "billing")
    assert by_name["workers"].niceness == by_name["api"].niceness


def test_the_environment_carries_only_what_was_resolved() -> None:
    before = Settings(_env_file=None)
    after = before.model_copy(
        update={
            "database": before.database.model_copy(update={"url": "postgresql://x/y"}),
            "kafka": before.kafka.model_copy(update={"enable_idempotence": False}),
            "smtp": before.smtp.model_copy(update={"username": None, "port": 2525}),
        }
    )
    environment = settings_environment(before, after)
    assert environment["RECOLOCA_DATABASE_URL"] == "postgresql://x/y"
    assert environment["RECOLOCA_SMTP_PORT"] == "2525"
    if before.kafka.enable_idempotence:
        assert environment["RECOLOCA_KAFKA_ENABLE_IDEMPOTENCE"] == "false"
    assert "RECOLOCA_AUTH_SECRET_KEY" not in environment
    assert settings_environment(before, before) == {}


def test_a_probe_says_ready_only_when_every_component_is() -> None:
    readiness = Readiness()
    readiness.expect("parsing")
    assert health_response("/healthz", readiness)[0] == 200
    status, body = health_response("/readyz", readiness)
    assert (status, body["checks"]) == (503, {"parsing": "starting"})
    readiness.set("parsing", True)
    assert health_response("/readyz", readiness)[0] == 200
    assert health_response("/other", readiness)[0] == 404
