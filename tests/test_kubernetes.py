"""The Kubernetes manifests checked offline: against the Kubernetes JSON schemas, the CLI,
the settings and the worker catalogue, with no cluster."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from consumers.workers import WORKERS
from infra.settings import Settings
from schemas.topics import CONSUMER_GROUPS
from tests.test_deployment import ENV_PREFIX, CliError, resolve_cli, resolve_setting

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.36.0"
KEDA = "keda.sh/v1alpha1"
SECRET_NAMES = {
    "RECOLOCA_AUTH_SECRET_KEY",
    "RECOLOCA_CONTROL_SIGNING_KEY",
    "RECOLOCA_CRYPTO_MASTER_KEY",
    "RECOLOCA_MFA_ENCRYPTION_KEY",
    "RECOLOCA_DATABASE_URL",
    "RECOLOCA_S3_SECRET_ACCESS_KEY",
    "RECOLOCA_STRIPE_API_KEY",
    "RECOLOCA_STRIPE_WEBHOOK_SECRET",
}


@cache
def documents() -> tuple[tuple[str, dict[str, Any]], ...]:
    found = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                found.append((f"{path.name}:{doc['kind']}/{doc['metadata']['name']}", doc))
    return tuple(found)


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in documents() if doc["kind"] == kind}


def pod_specs() -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{doc['kind']}/{doc['metadata']['name']}", doc["spec"]["template"]["spec"])
        for _, doc in documents()
        if doc["kind"] in ("Deployment", "Job")
    ]


def containers() -> list[tuple[str, dict[str, Any]]]:
    return [(f"{where}:{c['name']}", c) for where, spec in pod_specs() for c in spec["containers"]]


def ids(value: object) -> str:
    return str(value) if isinstance(value, str) else ""


def test_manifests_are_found() -> None:
    kinds = {doc["kind"] for _, doc in documents()}
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "ScaledObject", "Job"} <= kinds
    assert {"ConfigMap", "Secret", "PodDisruptionBudget"} <= kinds


def test_kustomization_lists_every_file_but_the_job() -> None:
    kustomization = yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())
    files = {p.name for p in MANIFESTS.glob("*.yaml")} - {"kustomization.yaml"}
    # The migration runs first, on its own (see migrate-job.yaml); the Secret template must
    # never be applied over the real Secret.
    assert set(kustomization["resources"]) == files - {"migrate-job.yaml", "secret-template.yaml"}


@pytest.mark.parametrize(
    ("where", "doc"),
    [(w, d) for w, d in documents() if d["apiVersion"] != KEDA],
    ids=ids,
)
def test_document_matches_the_kubernetes_schema(where: str, doc: dict[str, Any]) -> None:
    try:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        pytest.fail(f"{where}: {exc.message} at {list(exc.path)}")


def test_the_schema_check_can_fail() -> None:
    deployment = dict(next(iter(of_kind("Deployment").values())))
    broken = {**deployment, "spec": {**deployment["spec"], "replicas": "two"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)
    typo = {**deployment, "spec": {**deployment["spec"], "replicaz": 1}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(typo, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize(("where", "container"), containers(), ids=ids)
def test_container_runs_a_real_cli_command(where: str, container: dict[str, Any]) -> None:
    assert "command" not in container, f"{where}: keep the image's entry point, set args"
    try:
        resolve_cli([str(arg) for arg in container["args"]])
    except CliError as exc:
        pytest.fail(f"{where}: `recoloca {' '.join(container['args'])}`: {exc}")


def test_every_process_is_deployed() -> None:
    commands = {tuple(c["args"]) for _, c in containers()}
    assert ("api",) in commands
    assert ("relay",) in commands
    assert any(args[0] == "migrate" for args in commands)
    workers = {args[1] for args in commands if args[0] == "worker"}
    assert workers == set(WORKERS), f"missing: {sorted(set(WORKERS) - workers)}"


def recoloca_variables() -> list[tuple[str, str]]:
    found = []
    for name, doc in [*of_kind("ConfigMap").items(), *of_kind("Secret").items()]:
        for key in [*(doc.get("data") or {}), *(doc.get("stringData") or {})]:
            found.append((f"{doc['kind']}/{name}", key))
    for where, container in containers():
        found += [(where, e["name"]) for e in container.get("env", [])]
    return found


@pytest.mark.parametrize(("where", "variable"), recoloca_variables(), ids=ids)
def test_variable_is_a_settings_field(where: str, variable: str) -> None:
    assert variable.startswith(ENV_PREFIX), f"{where}: {variable}"
    try:
        resolve_setting(variable)
    except LookupError as exc:
        pytest.fail(f"{where}: {exc}")


def config() -> dict[str, str]:
    return dict(of_kind("ConfigMap")["recoloca-config"]["data"])


def secret_template() -> dict[str, str]:
    return dict(of_kind("Secret")["recoloca-secrets"]["stringData"])


def test_config_and_secret_hold_their_own_variables() -> None:
    assert set(secret_template()) == SECRET_NAMES
    assert not set(config()) & SECRET_NAMES, "a secret in the ConfigMap"
    assert config()["RECOLOCA_ENV"] == "production"
    assert config()["RECOLOCA_HEALTH_HOST"] == "0.0.0.0"
    assert config()["RECOLOCA_API_HOST"] == "0.0.0.0"


@pytest.mark.parametrize(("where", "container"), containers(), ids=ids)
def test_container_reads_the_config_and_the_secret(where: str, container: dict[str, Any]) -> None:
    sources = container.get("envFrom", [])
    assert {"configMapRef": {"name": "recoloca-config"}} in sources, where
    assert {"secretRef": {"name": "recoloca-secrets"}} in sources, where


def test_secret_template_holds_nothing_real() -> None:
    for name, value in secret_template().items():
        assert value in ("", "CHANGE-ME"), f"{name} looks like a real value"
    assert "data" not in of_kind("Secret")["recoloca-secrets"]


def test_secret_template_cannot_start_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith(ENV_PREFIX)]:
        monkeypatch.delenv(name)
    for name, value in {**config(), **secret_template()}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match="32\\+ characters"):
        Settings()
    # With real-looking secrets the same configuration is accepted: only they are missing.
    for name in SECRET_NAMES - {"RECOLOCA_STRIPE_API_KEY", "RECOLOCA_STRIPE_WEBHOOK_SECRET"}:
        monkeypatch.setenv(name, "x" * 40)
    settings = Settings()
    assert settings.health.port == int(config()["RECOLOCA_HEALTH_PORT"])
    assert settings.api.port == int(config()["RECOLOCA_API_PORT"])
    assert settings.stripe.api_key is None


def declared_ports(container: dict[str, Any]) -> dict[str, int]:
    return {p["name"]: p["containerPort"] for p in container.get("ports", [])}


@pytest.mark.parametrize(("name", "deployment"), sorted(of_kind("Deployment").items()), ids=ids)
def test_deployment_is_probed_and_sized(name: str, deployment: dict[str, Any]) -> None:
    spec = deployment["spec"]["template"]["spec"]
    for container in spec["containers"]:
        ports = declared_ports(container)
        for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            get = container[probe]["httpGet"]
            assert get["path"] == path, f"{name}: {probe}"
            assert get["port"] in ports or get["port"] in ports.values(), f"{name}: {probe}"
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
        assert {"cpu", "memory"} <= set(container["resources"]["limits"]), name
        args = container["args"]
        port = config()["RECOLOCA_API_PORT" if args == ["api"] else "RECOLOCA_HEALTH_PORT"]
        assert container["livenessProbe"]["httpGet"]["port"] in ports
        assert ports[container["livenessProbe"]["httpGet"]["port"]] == int(port), name
        if args[0] == "worker":
            assert ports["metrics"] == int(config()["RECOLOCA_METRICS_PORT"]), name


@pytest.mark.parametrize(("where", "spec"), pod_specs(), ids=ids)
def test_pod_runs_as_the_image_user_read_only(where: str, spec: dict[str, Any]) -> None:
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] == 10001  # the Dockerfile's user
    # The worker's broker waits up to 10 s for the message in flight, the API 3 s.
    assert spec["terminationGracePeriodSeconds"] >= 30
    for container in spec["containers"]:
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
        # The data directory (and Python's temporary files) must be writable.
        assert "/tmp" in mounts
        assert config()["RECOLOCA_DATA_DIR"].startswith("/tmp/")


def test_services_select_pods() -> None:
    labels = {
        name: d["spec"]["template"]["metadata"]["labels"]
        for name, d in of_kind("Deployment").items()
    }
    assert of_kind("Service")
    for name, service in of_kind("Service").items():
        selector = service["spec"]["selector"]
        matched = [d for d, pod in labels.items() if selector.items() <= pod.items()]
        assert matched == ["recoloca-api"], f"Service {name} selects {matched}"
        container = of_kind("Deployment")["recoloca-api"]["spec"]["template"]["spec"]["containers"][
            0
        ]
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in declared_ports(container), name
    for name, deployment in of_kind("Deployment").items():
        selector = deployment["spec"]["selector"]["matchLabels"]
        assert selector.items() <= labels[name].items(), name


def test_hpa_scales_the_api_on_cpu() -> None:
    (hpa,) = of_kind("HorizontalPodAutoscaler").values()
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", "recoloca-api")
    assert target["name"] in of_kind("Deployment")
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"]["type"] == "Utilization"
    (pdb,) = of_kind("PodDisruptionBudget").values()
    assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]


def test_relay_keeps_one_stand_by_at_most() -> None:
    relay = of_kind("Deployment")["recoloca-relay"]
    assert relay["spec"]["replicas"] in (1, 2)


def check_scaled_object(doc: dict[str, Any]) -> list[str]:
    """What is wrong with a KEDA ScaledObject of ours (empty when nothing is)."""
    problems: list[str] = []
    spec = doc.get("spec") or {}
    target = (spec.get("scaleTargetRef") or {}).get("name")
    deployment = of_kind("Deployment").get(str(target))
    if deployment is None:
        return [f"scaleTargetRef {target!r} is not a Deployment"]
    args = deployment["spec"]["template"]["spec"]["containers"][0]["args"]
    if args[0] != "worker":
        return [f"{target} is not a worker"]
    worker = args[1]
    partitions = int(config()["RECOLOCA_KAFKA_PARTITIONS"])
    maximum = spec.get("maxReplicaCount")
    if not isinstance(maximum, int) or not 1 <= maximum <= partitions:
        problems.append(f"maxReplicaCount {maximum!r} must be 1..{partitions} (partitions)")
    if int(spec.get("minReplicaCount", 0)) < 1:
        problems.append("minReplicaCount must keep a consumer in the group")
    triggers = spec.get("triggers") or []
    if not triggers or any(t.get("type") != "kafka" for t in triggers):
        return [*problems, "kafka triggers expected"]
    # One trigger per topic the worker reads, so a backlog on any of them scales it.
    topics = [(t.get("metadata") or {}).get("topic") for t in triggers]
    if sorted(map(str, topics)) != sorted(t.name for t in WORKERS[worker].topics):
        problems.append(f"topics {topics} are not those {worker} consumes")
    for trigger in triggers:
        meta = trigger.get("metadata") or {}
        if meta.get("bootstrapServers") != config()["RECOLOCA_KAFKA_BOOTSTRAP_SERVERS"]:
            problems.append(f"bootstrapServers {meta.get('bootstrapServers')!r}")
        # The group id a worker joins is its name (consumers/runtime.py).
        if meta.get("consumerGroup") != worker or worker not in CONSUMER_GROUPS:
            problems.append(f"consumerGroup {meta.get('consumerGroup')!r} is not {worker!r}")
        if not str(meta.get("lagThreshold", "")).isdigit():
            problems.append(f"lagThreshold {meta.get('lagThreshold')!r}")
    return problems


@pytest.mark.parametrize(("name", "doc"), sorted(of_kind("ScaledObject").items()), ids=ids)
def test_scaled_object_scales_its_worker_by_lag(name: str, doc: dict[str, Any]) -> None:
    assert doc["apiVersion"] == KEDA
    assert not check_scaled_object(doc), f"{name}: {check_scaled_object(doc)}"


def test_every_worker_has_a_scaled_object() -> None:
    scaled = {
        of_kind("Deployment")[d["spec"]["scaleTargetRef"]["name"]]["spec"]["template"]["spec"][
            "containers"
        ][0]["args"][1]
        for d in of_kind("ScaledObject").values()
    }
    assert scaled == set(WORKERS)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("maxReplicaCount", 4),
        ("consumerGroup", "recoloca-parsing"),
        ("topic", "cv.parsed"),
        ("scaleTargetRef", "recoloca-api"),
    ],
)
def test_scaled_object_check_can_fail(field: str, value: object) -> None:
    doc = yaml.safe_load(yaml.safe_dump(of_kind("ScaledObject")["recoloca-worker-parsing"]))
    if field == "maxReplicaCount":
        doc["spec"][field] = value
    elif field == "scaleTargetRef":
        doc["spec"][field]["name"] = value
    else:
        doc["spec"]["triggers"][0]["metadata"][field] = value
    assert check_scaled_object(doc)
