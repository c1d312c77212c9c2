"""The CV upload form, read only after the caller is authenticated.

FastAPI parses ``File``/``Form`` parameters before it resolves dependencies, so an
anonymous client could make the server read (and spool) a whole upload before its 401.
The upload route declares no body parameters; it reads the form here, once the
authentication dependency has passed, with limits on parts and fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from api.services.errors import FileTooLargeError, InvalidFormError
from api.validation import check_plain_text

MAX_JOB_DESCRIPTION_CHARS = 20_000
# A second file is an error we report (422), not one the parser stops at (400).
_MAX_FILES = 2
_MAX_FIELDS = 4


@dataclass(frozen=True)
class CvForm:
    filename: str | None
    data: bytes
    job_description: str | None


def cv_form_schema() -> dict[str, Any]:
    """The OpenAPI request body of the upload (the route reads it by hand)."""
    return {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF, DOCX, ODT, RTF or TXT (10 MiB by default); exactly one",
                        },
                        "job_description": {
                            "type": "string",
                            "maxLength": MAX_JOB_DESCRIPTION_CHARS,
                            "description": "Optional: the job to match the CV against",
                        },
                    },
                }
            }
        },
    }


async def read_cv_form(request: Request, max_bytes: int) -> CvForm:
    """The one file (at most ``max_bytes`` of it) and the optional job description."""
    try:
        form = await request.form(max_files=_MAX_FILES, max_fields=_MAX_FIELDS)
    except HTTPException as exc:
        # Starlette reports a malformed or over-limit multipart body as a bare 400.
        raise InvalidFormError(str(exc.detail)) from exc
    try:
        files = form.getlist("file")
        if len(files) != 1 or not isinstance(files[0], UploadFile):
            raise InvalidFormError("Send exactly one file, in a part named `file`.")
        descriptions = form.getlist("job_description")
        if len(descriptions) > 1 or any(not isinstance(d, str) for d in descriptions):
            raise InvalidFormError("Send at most one `job_description`, as text.")
        job_description = str(descriptions[0]) if descriptions else None
        if job_description is not None:
            check_plain_text(job_description, "job_description", MAX_JOB_DESCRIPTION_CHARS)
        # Read one byte past the limit: enough to know, never the whole of a huge file.
        data = await files[0].read(max_bytes + 1)
        if len(data) > max_bytes:
            raise FileTooLargeError(f"The limit is {max_bytes // (1024 * 1024)} MiB.")
        return CvForm(filename=files[0].filename, data=data, job_description=job_description)
    finally:
        await form.close()
