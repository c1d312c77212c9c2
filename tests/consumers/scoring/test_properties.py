import math

from hypothesis import given, settings
from hypothesis import strategies as st

from consumers.scoring.analyser import analyse
from schemas.cv import Contact, EducationEntry, ExperienceEntry, ParsedCv, Section, SectionKind

_text = st.text(max_size=200)
_month = st.one_of(
    st.none(),
    st.builds("{}-{:02d}".format, st.integers(1990, 2030), st.integers(1, 12)),
    st.text(max_size=8),
)
_entries = st.builds(
    ExperienceEntry,
    title=st.one_of(st.none(), _text),
    company=st.one_of(st.none(), _text),
    start=_month,
    end=_month,
    current=st.booleans(),
    bullets=st.lists(_text, max_size=6),
)
_cvs = st.builds(
    ParsedCv,
    text=st.text(max_size=2000),
    language=st.sampled_from(["pt", "en", "es", ""]),
    contact=st.builds(
        Contact,
        name=st.one_of(st.none(), _text),
        email=st.one_of(st.none(), st.emails(), _text),
        phone=st.one_of(st.none(), _text),
        linkedin=st.one_of(st.none(), _text),
        location=st.one_of(st.none(), _text),
    ),
    sections=st.lists(
        st.builds(Section, kind=st.sampled_from(list(SectionKind)), heading=_text, text=_text),
        max_size=6,
    ),
    experience=st.lists(_entries, max_size=5),
    education=st.lists(st.builds(EducationEntry), max_size=2),
    skills=st.lists(_text, max_size=8),
)


@settings(max_examples=150, deadline=None)
@given(cv=_cvs, job=st.one_of(st.none(), st.text(max_size=300)))
def test_score_in_range_and_weights_sum_to_one(cv, job):
    result = analyse(cv, job)
    assert 0 <= result.score <= 100
    assert all(0 <= b.score <= 100 for b in result.breakdown)
    assert math.isclose(sum(b.weight for b in result.breakdown), 1.0)
    assert len(result.suggestions) <= 12
    lines = {line.strip() for line in cv.text.splitlines()}
    assert all(s.evidence in lines for s in result.suggestions if s.evidence is not None)
    assert analyse(cv, job) == result
