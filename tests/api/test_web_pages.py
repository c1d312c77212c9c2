"""The pages' words and small rules, without a browser."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from api.routes.pages import _safe_next, score_changes
from api.services.cvs import CvView
from api.web import i18n
from api.web.render import HERE
from consumers.parsing.errors import CODES as PARSE_FAILURES
from consumers.scoring.rubric import CATEGORIES
from infra.db.models import Analysis, Cv
from infra.entitlements import Metric
from schemas import notifications as notification_kinds
from schemas.billing import ENTITLING_STATUSES, TERMINAL_STATUSES, Interval, Plan
from schemas.coach import CoachMode
from schemas.cv import CvStatus, Severity
from schemas.privacy import ExportStatus

# A key followed by ``~`` is a prefix completed from data.
_KEY = re.compile(r"""t\(\s*'([a-z_.]+)'(?!\s*~)""")


def _template_keys() -> set[str]:
    found: set[str] = set()
    for path in Path(HERE / "templates").glob("*.html"):
        found.update(_KEY.findall(path.read_text()))
    return found


def test_every_phrase_a_template_uses_exists_in_both_languages():
    table = i18n.translations()
    missing = sorted(key for key in _template_keys() if key not in table)
    assert missing == []
    for key, (pt, en) in table.items():
        assert pt.strip(), key
        assert en.strip(), key


def test_every_value_a_page_names_from_data_has_a_phrase():
    table = i18n.translations()
    wanted = (
        [f"status.{s.value}" for s in CvStatus]
        + [f"cv.severity.{s.value}" for s in Severity]
        + [f"cat.{c}" for c in CATEGORIES]
        + [f"coach.mode.{m.value}" for m in CoachMode]
        + [f"plan.{p.value}" for p in Plan]
        + [f"plan.{m.value}" for m in Metric]
        + [f"plan.per_{i.value}" for i in Interval]
        + [f"account.export_status.{e.value}" for e in ExportStatus]
        + [f"failure.{code}" for code in PARSE_FAILURES]
        + [f"billing.state.{s}" for s in (*ENTITLING_STATUSES, *TERMINAL_STATUSES, "none")]
        + [f"notifications.kind.{name}" for name in notification_kinds.CATEGORIES]
        + [f"notifications.channel.{channel}" for channel in notification_kinds.CHANNELS]
    )
    assert [key for key in wanted if key not in table] == []
    assert "nav.skip" in _template_keys(), "the template scan finds nothing"


def test_the_translator_formats_and_shows_unknown_keys():
    assert i18n.translator("pt-BR")("upload.too_large", mib=10) == "O arquivo passa de 10 MiB."
    assert i18n.translator("en")("upload.too_large", mib=10) == "The file is over 10 MiB."
    assert i18n.translator("en")("no.such.key") == "no.such.key"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/app/coach", "/app/coach"),
        ("https://evil.example/", "/app"),
        ("//evil.example/", "/app"),
        ("/\\evil.example", "/app"),
        ("", "/app"),
        (None, "/app"),
    ],
)
def test_after_sign_in_only_paths_of_this_site_are_followed(target, expected):
    assert _safe_next(target) == expected


def test_the_dashboard_compares_each_cv_with_the_one_before():
    def view(score: int | None) -> CvView:
        cv = Cv(id=uuid.uuid4())
        analysis = Analysis(score=score) if score is not None else None
        return CvView(cv=cv, filename="cv.pdf", analysis=analysis)

    oldest, failed, middle, newest = view(60), view(None), view(72), view(70)
    changes = score_changes([newest, middle, failed, oldest])
    assert changes == {middle.cv.id: 12, newest.cv.id: -2}
