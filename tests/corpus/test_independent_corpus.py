"""The second corpus family stays deterministic, varied and honestly labelled."""

import re

from tests.corpus.independent.content import generate, skills_written
from tests.corpus.independent.layouts import LAYOUTS, render

CVS = generate(count=40, seed=11)


def test_generate_is_deterministic():
    assert [cv.labels for cv in generate(count=40, seed=11)] == [cv.labels for cv in CVS]
    assert [cv.labels for cv in generate(count=40, seed=12)] != [cv.labels for cv in CVS]


def test_labels_are_normalised_and_varied():
    countries = {cv.person.country for cv in CVS}
    assert {"BR", "US"} <= countries
    assert len(countries) >= 5
    assert {cv.lang for cv in CVS} == {"pt", "en"}
    for cv in CVS:
        assert all(re.fullmatch(r"\+\d{10,13}", p) for p in cv.labels.phones), cv.labels.phones
        assert cv.labels.phone in cv.labels.phones
        assert {"experience", "education", "skills"} <= cv.labels.sections
        assert all(job.start <= (job.end or "9999") for job in cv.labels.experience)


def test_skill_labels_come_from_what_is_written():
    assert skills_written(["Built services in Go and PostgreSQL"]) == {"Go", "PostgreSQL"}
    # Case-sensitive names only count in their case; two-letter aliases are not scanned.
    assert skills_written(["I go to the office; UX matters"]) == set()


def test_every_layout_renders_the_name_and_email():
    cv = CVS[0]
    for layout in LAYOUTS:
        data, _ = render(cv, layout)
        assert data
        if layout.startswith("txt"):
            text = data.decode()
            assert cv.person.name_printed in text
            assert "\n" not in text
            assert cv.person.email in text
