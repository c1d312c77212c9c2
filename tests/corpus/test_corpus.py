"""The corpus generator stays honest: a few CVs per layout parse to their labels."""

import pytest

from consumers.parsing.parser import parse_file
from tests.corpus.generator import generate
from tests.corpus.render import LAYOUTS, render

CVS = generate(count=6, seed=7)


def test_generate_is_deterministic():
    again = generate(count=6, seed=7)

    assert [cv.labels for cv in again] == [cv.labels for cv in CVS]
    assert [cv.labels for cv in generate(count=6, seed=8)] != [cv.labels for cv in CVS]


def test_corpus_covers_both_languages_and_labels_are_normalised():
    cvs = generate(count=40, seed=7)

    assert {cv.lang for cv in cvs} == {"pt", "en"}
    for cv in cvs:
        assert cv.labels.phone.startswith("+")
        assert cv.labels.phone[1:].isdigit()
        assert cv.labels.email == cv.labels.email.lower()
        assert {"experience", "education", "skills"} <= cv.labels.sections
        assert all(job.start <= (job.end or "9999") for job in cv.labels.experience)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_parser_reads_contact_of_every_layout(layout):
    for cv in CVS:
        data, kind = render(cv, layout)

        parsed = parse_file(data, kind)

        assert parsed.contact.email == cv.labels.email, cv.ident
        assert parsed.contact.phone == cv.labels.phone, cv.ident
        assert parsed.contact.name == cv.labels.name, cv.ident
