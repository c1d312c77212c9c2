import re

from consumers.scoring.rubric import evaluate
from consumers.scoring.suggestions import MAX_SUGGESTIONS, build_suggestions
from schemas.cv import Contact, Severity
from tests.consumers.scoring.corpus import corpus
from tests.consumers.scoring.factories import make_cv, make_entry

_PT_HINTS = re.compile(r"\b(você|seu|sua|currículo|de|da|do|e|com|um|uma|para|em)\b", re.IGNORECASE)
_EN_HINTS = re.compile(r"\b(your|the|a|and|of|to|with|add)\b", re.IGNORECASE)


def _all_cvs():
    return [cv for p in corpus() for cv in (p.strong, p.vague)]


def test_suggestions_are_in_the_cv_language():
    for cv in _all_cvs():
        for s in build_suggestions(cv, evaluate(cv)):
            if cv.language == "pt":
                assert _PT_HINTS.search(s.message), s.message
                assert not re.search(r"\b(your|the)\b", s.message), s.message
            else:
                assert _EN_HINTS.search(s.message), s.message
                assert not re.search(r"\b(você|currículo)\b", s.message), s.message


def test_evidence_lines_exist_in_the_cv_text():
    for cv in _all_cvs():
        lines = [line.strip() for line in cv.text.splitlines()]
        for s in build_suggestions(cv, evaluate(cv)):
            if s.evidence is not None:
                assert s.evidence in lines


def test_ordered_by_severity_capped_and_deduplicated():
    order = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
    for cv in _all_cvs():
        suggestions = build_suggestions(cv, evaluate(cv))
        assert len(suggestions) <= MAX_SUGGESTIONS
        ranks = [order[s.severity] for s in suggestions]
        assert ranks == sorted(ranks)
        evidence = [s.evidence for s in suggestions if s.evidence]
        assert len(evidence) == len(set(evidence))


def test_bullet_examples_only_use_numbers_from_the_cv():
    for cv in _all_cvs():
        for s in build_suggestions(cv, evaluate(cv)):
            if s.evidence is None:
                continue
            for number in re.findall(r"\d+", s.example or ""):
                assert number in (s.evidence or ""), (number, s.example)


def test_weak_vague_bullet_gets_rewritten_example_with_placeholder():
    bullet = "Responsável por atender clientes da carteira"
    cv = make_cv(experience=[make_entry(bullets=[bullet])])
    s = next(s for s in build_suggestions(cv, evaluate(cv)) if s.evidence == f"• {bullet}")
    assert s.example is not None
    assert s.example.startswith("Atendi clientes da carteira")
    assert "[X%]" in s.example
    assert "verbo de ação" in s.message


def test_missing_contact_suggestions_pt_and_en():
    pt = make_cv(contact=Contact(name="Ana", email="ana@example.com"))
    messages = [s.message for s in build_suggestions(pt, evaluate(pt))]
    assert any("LinkedIn" in m for m in messages)
    en = make_cv(language="en", contact=Contact(name="Ann", email="ann@example.com"))
    en_suggestions = build_suggestions(en, evaluate(en))
    linkedin = next(s for s in en_suggestions if "LinkedIn" in s.message)
    assert linkedin.example == "linkedin.com/in/[your-profile]"


def test_strong_cv_has_no_high_severity_suggestions():
    for person in corpus():
        cv = person.strong
        high = [s for s in build_suggestions(cv, evaluate(cv)) if s.severity is Severity.HIGH]
        assert high == []
