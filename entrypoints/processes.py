"""Which processes ``recoloca dev`` runs, and the environment each one is given.

Pure functions over the settings: the supervisor (entrypoints/supervisor.py) does the I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel, SecretStr

from consumers.workers import WORKERS
from entrypoints.runner import API, RELAY
from infra.settings import ProcessSettings, Settings

# Parsing is CPU-bound: it gets the cores. Each other group is light enough to share a
# process; the report (PDF rendering) and the background groups (mail, exports, erasure:
# nobody watches them happen) yield to the rest.
_CPU_BOUND = ("parsing",)
_OWN_PROCESS = ("scoring", "report")
_BACKGROUND = ("notifications", "export", "erasure")
# Lower priority for the pipeline's stages, so that under overload the API (and the coach,
# whose replies someone is watching) answers first and a backlog builds in Kafka instead;
# the background work waits longest, to be caught up on once the load drops.
_NICENESS = {"parsing": 5, "scoring": 5, "report": 10, "background": 10}


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    # What it runs: `recoloca <args>`.
    args: tuple[str, ...]
    components: tuple[str, ...]
    niceness: int = 0


def plan_processes(settings: ProcessSettings, cpus: int) -> list[ProcessSpec]:
    """The processes of one run on a machine with ``cpus`` cores."""
    cpus = max(1, cpus)
    api = settings.api or max(1, cpus // 2)
    parsing = settings.parsing or cpus
    scoring = settings.scoring or 1
    counts = {"parsing": parsing, "scoring": scoring, "report": 1}
    specs = [ProcessSpec(_numbered(API, i, api), (API,), (API,)) for i in range(api)]
    specs.append(ProcessSpec(RELAY, (RELAY,), (RELAY,)))
    for group in (*_CPU_BOUND, *_OWN_PROCESS):
        specs += [
            ProcessSpec(
                _numbered(group, i, counts[group]),
                ("worker", group),
                (group,),
                _NICENESS.get(group, 0),
            )
            for i in range(counts[group])
        ]
    specs.append(
        ProcessSpec("background", ("worker", *_BACKGROUND), _BACKGROUND, _NICENESS["background"])
    )
    rest = tuple(name for name in WORKERS if name not in (*_CPU_BOUND, *_OWN_PROCESS, *_BACKGROUND))
    specs.append(ProcessSpec("workers", ("worker", *rest), rest))
    return specs


def _numbered(name: str, index: int, count: int) -> str:
    return name if count == 1 else f"{name}-{index + 1}"


def settings_environment(before: Settings, after: Settings) -> dict[str, str | None]:
    """The ``RECOLOCA_*`` variables that turn ``before`` (read from the environment) into
    ``after`` (with the embedded services' addresses): a child process reading its
    environment then sees what the parent resolved. ``None`` means "unset it"."""
    changes: dict[str, str | None] = {}
    for section, field in type(after).model_fields.items():
        old, new = getattr(before, section), getattr(after, section)
        if not isinstance(new, BaseModel) or field.annotation is None:
            if old != new:
                changes[_variable(section)] = _as_text(new)
            continue
        for name in type(new).model_fields:
            value = getattr(new, name)
            if getattr(old, name) != value:
                changes[_variable(section, name)] = _as_text(value)
    return changes


def child_environment(base: Mapping[str, str], before: Settings, after: Settings) -> dict[str, str]:
    """``base`` (the parent's environment) with the variables that make a child read
    ``after``."""
    environment = dict(base)
    for name, value in settings_environment(before, after).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return environment


def _variable(*path: str) -> str:
    return "RECOLOCA_" + "_".join(path).upper()


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    if isinstance(value, dict | list):
        return json.dumps(value, default=str)
    return str(value)
