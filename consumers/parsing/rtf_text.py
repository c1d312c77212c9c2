"""RTF text (Word's and WordPad's Rich Text Format) through ``striprtf``.

RTF is text: control words, groups and escaped characters around the words of the
document. ``striprtf`` drops the control words, pictures and font tables and decodes the
escapes with the code page the file declares. The file is cut to what any CV holds
first, so a huge file costs no more than a long CV.
"""

from __future__ import annotations

import re

from striprtf.striprtf import rtf_to_text

from consumers.parsing.bounds import MAX_RAW_CHARS
from consumers.parsing.errors import UNREADABLE_FILE, ParseError

RTF_MAGIC = b"{\\rtf"
# Pictures are hex dumps several times the size of the text: a CV with a photo is
# mostly picture. The cut applies to what is left once they are gone.
_MAX_RTF_BYTES = 8 * MAX_RAW_CHARS
_PICTURE = re.compile(rb"\{\\\*?\\(?:pict|shppict|nonshppict)\b[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
_PORTRAIT_TWIPS = 850  # about 1.5 cm
_GOAL = re.compile(rb"\\pic[wh]goal(\d+)")


def read_rtf(data: bytes) -> tuple[str, bool]:
    """The text of an RTF file and whether it shows a portrait-sized picture."""
    if not data.lstrip().startswith(RTF_MAGIC):
        raise ParseError(UNREADABLE_FILE, "not an RTF file")
    photo = _has_portrait(data[:_MAX_RTF_BYTES])
    data = _PICTURE.sub(b" ", data[:_MAX_RTF_BYTES])[:MAX_RAW_CHARS]
    try:
        # RTF is 7-bit by definition; what is not is escaped (\'e7, \u231?).
        text: str = rtf_to_text(data.decode("latin-1"), errors="replace")  # type: ignore[no-untyped-call]
    except (ValueError, LookupError, IndexError, RecursionError) as exc:
        raise ParseError(UNREADABLE_FILE, "RTF structure is malformed") from exc
    return text, photo


def _has_portrait(data: bytes) -> bool:
    for match in re.finditer(rb"\\pict\b", data[: 4 * MAX_RAW_CHARS]):
        goals = [int(g) for g in _GOAL.findall(data, match.end(), match.end() + 400)[:2]]
        if len(goals) == 2 and min(goals) >= _PORTRAIT_TWIPS and 0.5 <= goals[0] / goals[1] <= 1.6:
            return True
    return False
