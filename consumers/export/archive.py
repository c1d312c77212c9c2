"""Assembling the export archive: a zip of sections, with no I/O.

Each holder of the user's data contributes a section (profile, CVs, analyses, events,
audit entries...); a feature that adds data adds its section. ``manifest.json`` lists
what each section holds.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Section:
    name: str
    description: str
    # (path inside the section, content); paths are relative and use "/".
    files: tuple[tuple[str, bytes], ...]


def to_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str).encode()


def safe_part(name: str) -> str:
    """A path component that cannot climb out of its folder or hide itself."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_. " else "_" for ch in name).strip(" .")
    return cleaned or "file"


def build_archive(sections: Sequence[Section], *, user_id: str, created_at: datetime) -> bytes:
    buffer = io.BytesIO()
    manifest = {
        "format": FORMAT_VERSION,
        "user_id": user_id,
        "created_at": created_at.isoformat(),
        "sections": [
            {
                "name": section.name,
                "description": section.description,
                "files": [f"{section.name}/{path}" for path, _ in section.files],
            }
            for section in sections
        ],
    }
    names = [section.name for section in sections]
    if len(set(names)) != len(names):
        raise ValueError("two sections have the same name")
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", to_json(manifest))
        for section in sections:
            for path, content in section.files:
                archive.writestr(f"{section.name}/{path}", content)
    return buffer.getvalue()
