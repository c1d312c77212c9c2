"""The deployment files checked against the code, with no service and no Docker engine.

``docker-compose.yml`` and the ``Dockerfile`` cannot be run here, so these tests keep them
honest: every command is a real command of the ``recoloca`` CLI, every ``RECOLOCA_*``
variable is a real settings field and lands where it should, every worker has a service,
every service is health-checked or is a one-shot job others wait for, and the image's
entry point is the script pyproject.toml declares.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shlex
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import typer
import typer.core
import typer.main
import yaml
from pydantic import BaseModel, SecretStr
from typer.testing import CliRunner

from consumers.workers import WORKERS
from entrypoints import cli
from infra.settings import Environment, Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
PYPROJECT = ROOT / "pyproject.toml"
MAKEFILE = ROOT / "Makefile"

ENV_PREFIX = "RECOLOCA_"

# ---------------------------------------------------------------------------------------
# Reading the files
# ---------------------------------------------------------------------------------------


@cache
def compose() -> dict[str, Any]:
    # safe_load resolves anchors, aliases and ``<<`` merge keys as Compose does.
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict)
    return data


def services() -> dict[str, dict[str, Any]]:
    found = compose()["services"]
    assert isinstance(found, dict)
    return found


def app_services() -> dict[str, dict[str, Any]]:
    """The services that run our image (built from this directory's Dockerfile)."""
    return {name: svc for name, svc in services().items() if _builds_our_image(svc)}


def _builds_our_image(service: dict[str, Any]) -> bool:
    build = service.get("build")
    if build is None:
        return False
    context = build if isinstance(build, str) else build.get("context", ".")
    dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
    return bool((ROOT / context).resolve() == ROOT and dockerfile == DOCKERFILE.name)


def command_args(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's ``environment`` in either Compose syntax, as strings."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) if "=" in item else (item, "") for item in env)
        return {key: value for key, value in pairs}
    return {key: _compose_scalar(value) for key, value in env.items()}


def _compose_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


_INTERPOLATION = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
)


def placeholder(name: str) -> str:
    # Long enough for the production secret check (32+ characters), URL-safe.
    return f"placeholder-{name.lower().replace('_', '-')}-0123456789abcdef0123456789"


def interpolate(value: str) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}``, ``${VAR:?error}``, ``$$``, with every
    variable unset except those that must be set, which get a placeholder."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        if op in ("-", ":-"):
            return str(arg)
        if op in ("+", ":+"):
            return ""
        return placeholder(name)

    return _INTERPOLATION.sub(substitute, value)


def recoloca_variables_in(node: object, where: str = "") -> Iterator[tuple[str, str, str]]:
    """Every ``RECOLOCA_*`` variable set anywhere in the document: (where, name, value).

    Mappings (``environment:`` as a map, the ``x-`` blocks) and ``NAME=value`` list items
    (``environment:`` as a list) are both looked at, however deeply nested.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith(ENV_PREFIX):
                yield where, key, _compose_scalar(value)
            yield from recoloca_variables_in(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, str) and re.match(rf"{ENV_PREFIX}\w+=", item):
                name, value = item.split("=", 1)
                yield where, name, value
            else:
                yield from recoloca_variables_in(item, where)


# --- Dockerfile ------------------------------------------------------------------------


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """Instructions (keyword, arguments) per stage, continuations joined, comments dropped."""
    stages: list[list[tuple[str, str]]] = []
    logical = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            logical += line[:-1] + " "
            continue
        logical += line
        keyword, _, args = logical.partition(" ")
        logical = ""
        if keyword.upper() == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((keyword.upper(), args.strip()))
    return stages


def final_stage() -> list[tuple[str, str]]:
    stages = dockerfile_stages()
    assert stages, "the Dockerfile has no FROM"
    return stages[-1]


def exec_form(instruction: str, stage: list[tuple[str, str]]) -> list[str]:
    values = [args for keyword, args in stage if keyword == instruction]
    assert values, f"the final stage has no {instruction}"
    parsed = json.loads(values[-1])  # the last one wins; exec form is a JSON array
    assert isinstance(parsed, list)
    assert all(isinstance(item, str) for item in parsed)
    return parsed


def dockerfile_env(stage: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, args in stage:
        if keyword != "ENV":
            continue
        tokens = shlex.split(args)
        if tokens and "=" not in tokens[0]:  # legacy ``ENV NAME value``
            env[tokens[0]] = " ".join(tokens[1:])
            continue
        for token in tokens:
            name, _, value = token.partition("=")
            env[name] = value
    return env


def pyproject() -> dict[str, Any]:
    return tomllib.loads(PYPROJECT.read_text())


# ---------------------------------------------------------------------------------------
# (a) every command is a real command of the CLI
# ---------------------------------------------------------------------------------------


# The base of every CLI usage error (typer >= 0.29 vendors click as ``typer._click``;
# ``typer.BadParameter`` derives from it either way).
CliError: type[Exception] = next(
    cls for cls in typer.BadParameter.__mro__ if cls.__name__ == "ClickException"
)


def resolve_cli(args: list[str]) -> tuple[list[str], Any]:
    """Walk the ``recoloca`` command tree as the CLI does; return the subcommand path and
    the parsed context of the leaf command (options and arguments checked, nothing run)."""
    command = typer.main.get_command(cli.app)
    ctx: Any = command.make_context("recoloca", [], resilient_parsing=True)
    path: list[str] = []
    rest = list(args)
    while isinstance(command, typer.core.TyperGroup):
        where = " ".join(["recoloca", *path])
        if not rest:
            raise typer.BadParameter(f"`{where}` needs a subcommand")
        name = rest.pop(0)
        sub = command.commands.get(name)
        if sub is None:
            known = ", ".join(sorted(command.commands))
            raise typer.BadParameter(f"no command {name!r} in `{where}` (known: {known})")
        path.append(name)
        command = sub
        if isinstance(command, typer.core.TyperGroup):
            ctx = command.make_context(name, [], parent=ctx, resilient_parsing=True)
    leaf = command.make_context(path[-1], rest, parent=ctx)
    if path == ["worker"]:
        for worker in leaf.params["names"] or ():
            if worker not in WORKERS:
                known = ", ".join(WORKERS)
                raise typer.BadParameter(f"unknown worker {worker!r}; known: {known}")
    return path, leaf


def service_commands() -> list[tuple[str, list[str]]]:
    found = [(name, command_args(svc["command"])) for name, svc in app_services().items()]
    found.append(("Dockerfile CMD", exec_form("CMD", final_stage())))
    return found


def test_compose_runs_our_image_for_every_process() -> None:
    assert {"api", "relay", "migrate", "topics"} <= set(app_services())
    for name, service in app_services().items():
        assert "command" in service, f"{name} must say which `recoloca` command it runs"


@pytest.mark.parametrize(("where", "args"), service_commands(), ids=lambda v: str(v))
def test_command_is_a_real_cli_command(where: str, args: list[str]) -> None:
    try:
        path, _ = resolve_cli(args)
    except CliError as exc:
        pytest.fail(f"{where}: `recoloca {' '.join(args)}` is not a valid command: {exc}")
    result = CliRunner().invoke(cli.app, [*path, "--help"])
    assert result.exit_code == 0, f"{where}: `recoloca {' '.join(path)} --help`: {result.output}"
    assert "Usage:" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["wroker", "parsing"],  # typo in the command
        ["worker", "parser"],  # not a worker
        ["worker"],  # missing the worker's name
        ["topics"],  # a group, not a command
        ["topics", "craete"],
        ["migrate", "--revison", "head"],  # typo in an option
    ],
)
def test_cli_resolver_rejects_what_the_cli_would(args: list[str]) -> None:
    with pytest.raises(CliError):
        resolve_cli(args)


def test_cli_resolver_accepts_real_commands() -> None:
    assert resolve_cli(["topics", "create"])[0] == ["topics", "create"]
    path, ctx = resolve_cli(["migrate", "--revision", "head"])
    assert path == ["migrate"]
    assert ctx.params["revision"] == "head"


# ---------------------------------------------------------------------------------------
# (b) every RECOLOCA_* variable is a real setting, and lands where it should
# ---------------------------------------------------------------------------------------


def resolve_setting(variable: str) -> tuple[str, ...]:
    """The settings field a variable sets, split the way pydantic-settings splits it."""
    config = Settings.model_config
    prefix = str(config.get("env_prefix", ""))
    delimiter = config.get("env_nested_delimiter")
    max_split = config.get("env_nested_max_split")
    if not config.get("case_sensitive", False):
        prefix, variable = prefix.upper(), variable.upper()
    if not variable.startswith(prefix):
        raise LookupError(f"{variable} does not start with {prefix}")
    rest = variable[len(prefix) :].lower()
    # The whole remainder naming a plain top-level field (e.g. RECOLOCA_DATA_DIR).
    top = Settings.model_fields.get(rest)
    if top is not None and not _is_model(top.annotation):
        return (rest,)
    if delimiter:
        parts = rest.split(delimiter, max_split if max_split is not None else -1)
        if len(parts) == 2:
            group, name = parts
            field = Settings.model_fields.get(group)
            if field is not None and _is_model(field.annotation):
                model = field.annotation
                assert isinstance(model, type)
                if name in model.model_fields:
                    return (group, name)
                # A field named by its alias (RECOLOCA_SMTP_FROM is smtp.from_address).
                for field_name, info in model.model_fields.items():
                    if info.alias == name:
                        return (group, field_name)
    raise LookupError(f"{variable} is not a field of infra.settings.Settings")


def _is_model(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def setting_value(settings: Settings, path: tuple[str, ...]) -> object:
    value: object = settings
    for part in path:
        value = getattr(value, part)
    return value


def as_env_text(value: object) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def image_recoloca_env() -> dict[str, str]:
    return {k: v for k, v in dockerfile_env(final_stage()).items() if k.startswith(ENV_PREFIX)}


def container_env(service: dict[str, Any]) -> dict[str, str]:
    """What a container of ``service`` sees: the image's ENV, then the service's."""
    env = dict(image_recoloca_env())
    env.update({k: interpolate(v) for k, v in environment(service).items()})
    return {k: v for k, v in env.items() if k.startswith(ENV_PREFIX)}


def all_recoloca_variables() -> list[tuple[str, str]]:
    found = [(where, name) for where, name, _ in recoloca_variables_in(compose())]
    found += [("Dockerfile ENV", name) for name in image_recoloca_env()]
    return found


def test_compose_sets_recoloca_variables() -> None:
    names = {name for _, name in all_recoloca_variables()}
    assert {"RECOLOCA_DATABASE_URL", "RECOLOCA_KAFKA_BOOTSTRAP_SERVERS"} <= names


@pytest.mark.parametrize(("where", "variable"), all_recoloca_variables(), ids=lambda v: str(v))
def test_variable_is_a_settings_field(where: str, variable: str) -> None:
    try:
        resolve_setting(variable)
    except LookupError as exc:
        pytest.fail(f"{where}: {exc}")


@pytest.mark.parametrize(
    ("variable", "path"),
    [
        ("RECOLOCA_ENV", ("env",)),
        ("RECOLOCA_DATA_DIR", ("data_dir",)),
        ("RECOLOCA_DATABASE_URL", ("database", "url")),
        ("RECOLOCA_KAFKA_ENABLE_IDEMPOTENCE", ("kafka", "enable_idempotence")),
        ("RECOLOCA_S3_SECRET_ACCESS_KEY", ("s3", "secret_access_key")),
        ("RECOLOCA_API_HOST", ("api", "host")),
    ],
)
def test_setting_resolver_finds_fields(variable: str, path: tuple[str, ...]) -> None:
    assert resolve_setting(variable) == path


@pytest.mark.parametrize(
    "variable",
    [
        "RECOLOCA_KAFKA_ENABLE_IDEMPOTENCY",  # typo
        "RECOLOCA_KAFKA_BOOTSTRAP",  # half a name
        "RECOLOCA_SMTP_HOSTNAME",  # no such field
        "RECOLOCA_KAFKA",  # a whole group, not a field
        "RECOLOCA_DATABASE__URL",  # wrong delimiter
        "KAFKA_BOOTSTRAP_SERVERS",  # no prefix
    ],
)
def test_setting_resolver_rejects_unknown_variables(variable: str) -> None:
    with pytest.raises(LookupError):
        resolve_setting(variable)


def test_interpolation_placeholders() -> None:
    assert interpolate("${A:?must be set}") == placeholder("A")
    assert interpolate("x${B:-fallback}y") == "xfallbacky"
    assert interpolate("$${NOT_INTERPOLATED}") == "${NOT_INTERPOLATED}"
    assert len(placeholder("RECOLOCA_AUTH_SECRET_KEY")) >= 32


def _settings_from(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in [name for name in os.environ if name.startswith(ENV_PREFIX)]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings()


@pytest.mark.parametrize("service_name", sorted(app_services()))
def test_service_environment_builds_the_settings(
    service_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = container_env(app_services()[service_name])
    settings = _settings_from(env, monkeypatch)

    # Every variable lands in the field the resolver names, with the value given.
    for variable, raw in env.items():
        value = setting_value(settings, resolve_setting(variable))
        assert as_env_text(value).lower() == raw.lower(), f"{variable}={raw!r} gave {value!r}"

    # And the deployment is the one described: production, on the real services.
    assert settings.env is Environment.PRODUCTION
    assert settings.database.url is not None
    assert settings.database.url.startswith("postgresql+asyncpg://")
    assert settings.redis.url is not None
    assert settings.redis.url.startswith("redis://")
    assert settings.kafka.bootstrap_servers
    assert settings.kafka.enable_idempotence is True
    assert settings.kafka.replication_factor == 1
    assert settings.s3.bucket
    assert settings.s3.endpoint_url
    assert settings.s3.secret_access_key is not None
    assert settings.api.host == "0.0.0.0"
    # The secret comes from the operator's environment, never from the repository.
    raw_secret = environment(app_services()[service_name])["RECOLOCA_AUTH_SECRET_KEY"]
    assert re.fullmatch(r"\$\{RECOLOCA_AUTH_SECRET_KEY:\?[^}]+\}", raw_secret), raw_secret


def test_settings_check_catches_a_misplaced_value(monkeypatch: pytest.MonkeyPatch) -> None:
    env = container_env(app_services()["api"])
    env["RECOLOCA_KAFKA_ENABLE_IDEMPOTENCE"] = "yes-please"
    with pytest.raises(ValueError, match="enable_idempotence"):
        _settings_from(env, monkeypatch)


def test_bucket_job_creates_the_configured_bucket() -> None:
    bucket = container_env(app_services()["api"])["RECOLOCA_S3_BUCKET"]
    jobs = [svc for svc in services().values() if "minio/mc:" in str(svc.get("image", ""))]
    assert jobs, "no minio/mc job creates the bucket"
    assert any(environment(job).get("BUCKET") == bucket for job in jobs)


# ---------------------------------------------------------------------------------------
# (c) every worker has its own service
# ---------------------------------------------------------------------------------------


def test_every_worker_has_a_service() -> None:
    deployed: set[str] = set()
    for _, args in service_commands():
        path, ctx = resolve_cli(args)
        if path == ["worker"]:
            deployed.update(ctx.params["names"])
    missing = set(WORKERS) - deployed
    assert not missing, f"workers without a compose service: {sorted(missing)}"


# ---------------------------------------------------------------------------------------
# (d) every service is health-checked, or is a one-shot job others wait for
# ---------------------------------------------------------------------------------------


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    """``depends_on`` in either syntax, as {service: condition}."""
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def has_healthcheck(service: dict[str, Any]) -> bool:
    check = service.get("healthcheck")
    if not check or check.get("disable"):
        return False
    test = check.get("test")
    return bool(test) and test != ["NONE"]


def test_dependencies_are_real_services_with_real_conditions() -> None:
    for name, service in services().items():
        for dep, condition in depends_on(service).items():
            assert dep in services(), f"{name} depends on unknown service {dep}"
            assert condition in {
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            }, f"{name} -> {dep}: {condition}"
            if condition == "service_healthy":
                assert has_healthcheck(services()[dep]), f"{name} waits for {dep} to be healthy"


@pytest.mark.parametrize("service_name", sorted(services()))
def test_service_is_healthchecked_or_an_awaited_one_shot_job(service_name: str) -> None:
    service = services()[service_name]
    if has_healthcheck(service):
        return
    awaited_by = [
        name
        for name, other in services().items()
        if depends_on(other).get(service_name) == "service_completed_successfully"
    ]
    assert awaited_by, f"{service_name} has no healthcheck and nothing waits for it to finish"
    # A restarting "one-shot" job would never complete (YAML 1.1 reads a bare no as False).
    restart = service.get("restart", "no")
    assert restart in ("no", False, "on-failure") or str(restart).startswith("on-failure:"), (
        f"{service_name} is a one-shot job but has restart: {restart}"
    )


def test_api_healthcheck_probes_readiness_on_the_api_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from api.app import create_app

    api = app_services()["api"]
    probe = " ".join(str(part) for part in api["healthcheck"]["test"])
    urls = re.findall(r"https?://[^\s'\"]+", probe)
    assert len(urls) == 1, probe
    url = urlsplit(urls[0])
    settings = _settings_from(container_env(api), monkeypatch)
    assert url.path == "/readyz"
    assert url.path in create_app(settings).openapi()["paths"]
    assert url.port == settings.api.port
    published = [str(port).rsplit(":", 1)[-1] for port in api.get("ports", [])]
    assert str(settings.api.port) in published


@pytest.mark.parametrize(
    "service_name",
    sorted(n for n, s in app_services().items() if n != "api" and has_healthcheck(s)),
)
def test_process_healthcheck_probes_readiness_on_its_health_port(
    service_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from entrypoints.health import health_response
    from infra.readiness import Readiness

    service = app_services()[service_name]
    probe = " ".join(str(part) for part in service["healthcheck"]["test"])
    urls = re.findall(r"https?://[^\s'\"]+", probe)
    assert len(urls) == 1, probe
    url = urlsplit(urls[0])
    settings = _settings_from(container_env(service), monkeypatch)
    assert url.port == settings.health.port, f"{service_name} probes a port it does not serve"
    assert health_response(url.path, Readiness())[0] != 404


# ---------------------------------------------------------------------------------------
# (e) the image runs the `recoloca` script, built from the lock file
# ---------------------------------------------------------------------------------------


def test_entrypoint_is_the_declared_script() -> None:
    scripts: dict[str, str] = pyproject()["project"]["scripts"]
    entrypoint = exec_form("ENTRYPOINT", final_stage())
    assert len(entrypoint) == 1, entrypoint
    assert entrypoint[0] in scripts, f"{entrypoint[0]} is not in [project.scripts]"
    module_name, _, attr = scripts[entrypoint[0]].partition(":")
    module = importlib.import_module(module_name)
    assert callable(getattr(module, attr))
    # The CLI the commands above were checked against is the one the script runs.
    assert module is cli


def test_script_is_on_the_image_path() -> None:
    build_env: dict[str, str] = {}
    for stage in dockerfile_stages()[:-1]:
        build_env.update(dockerfile_env(stage))
    venv = build_env.get("UV_PROJECT_ENVIRONMENT")
    assert venv, "the build stage must install into a known venv (UV_PROJECT_ENVIRONMENT)"
    path = dockerfile_env(final_stage()).get("PATH", "")
    assert f"{venv}/bin" in path.split(":"), path
    copies = [args for keyword, args in final_stage() if keyword == "COPY"]
    assert any(args.split()[-2:] == [venv, venv] for args in copies), copies


def test_image_installs_from_the_lock_file() -> None:
    runs = [args for stage in dockerfile_stages() for kw, args in stage if kw == "RUN"]
    syncs = [
        "uv sync" + part
        for run in runs
        for shell_command in re.split(r"&&|\|\||;|\|", run)
        for part in re.split(r"\buv sync\b", shell_command)[1:]
    ]
    assert syncs, "the image must be installed with `uv sync`"
    for sync in syncs:
        flags = sync.split()
        # --frozen: exactly uv.lock, never re-resolved; no default groups: no test tools and
        # no embedded dev stack in the image.
        assert "--frozen" in flags, sync
        assert "--no-default-groups" in flags, sync
    # The same uv as the Makefile.
    args = dict(
        args.split("=", 1) for stage in dockerfile_stages() for kw, args in stage if kw == "ARG"
    )
    makefile = re.search(r"^UV_VERSION\s*:?=\s*(\S+)", MAKEFILE.read_text(), re.MULTILINE)
    assert makefile
    assert args.get("UV_VERSION") == makefile.group(1)


def test_image_copies_every_package() -> None:
    packages = set(pyproject()["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"])
    copied: set[str] = set()
    for stage in dockerfile_stages():
        for keyword, args in stage:
            if keyword == "COPY" and not args.startswith("--from"):
                copied.update(
                    Path(src).name for src in args.split()[:-1] if not src.startswith("-")
                )
    assert packages <= copied, f"not copied into the image: {sorted(packages - copied)}"
    ignored = {line.strip().strip("/") for line in DOCKERIGNORE.read_text().splitlines()}
    assert not packages & ignored, "a package is excluded by .dockerignore"
    assert {"pyproject.toml", "uv.lock"} <= copied
    assert not {"pyproject.toml", "uv.lock", "README.md"} & ignored
