"""Every generated suggestion, in both languages, read by rules a proofreader would use."""

import re

import pytest

from consumers.scoring.analyser import analyse
from consumers.scoring.rubric import Issue, evaluate
from consumers.scoring.suggestions import _render, build_suggestions
from schemas.cv import ExperienceEntry, Suggestion
from tests.consumers.scoring.corpus import corpus
from tests.consumers.scoring.factories import make_cv

JOB = "Requisitos: Python, Kafka e Terraform. Diferenciais: Airflow. Inglês avançado."

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("a plural written as (s) or (ões)", re.compile(r"\w\((?:s|es|ões)\)")),
    ("a count of zero", re.compile(r"\b(?:Só|Only|só|only) 0\b|\b0 (?:de|of)\b")),
    ("a singular count with a plural verb", re.compile(r"\b(?:Só|Only) 1 (?:de|of) \d+ .*\b(?:trazem|include)\b")),
    ("a placeholder left unfilled", re.compile(r"\{\w*\}")),
    ("doubled spaces", re.compile(r"\S  +\S")),
    ("a space before punctuation", re.compile(r"\s[,.;:!?](?!\w)")),
    ("a doubled word", re.compile(r"\b(\w{2,})\s+\1\b", re.IGNORECASE)),
    ("a list joined by a comma alone", re.compile(r"\b\w+, \w+\.$")),
]  # fmt: skip


def _problems(text: str) -> list[str]:
    found = [name for name, rule in _RULES if rule.search(text)]
    if not text[:1].isupper() and text[:1] not in "\"'“":
        found.append("does not open with a capital")
    if not text.rstrip().endswith((".", "!", "?", ")", '"', "”")):
        found.append("does not end a sentence")
    if text.count("(") != text.count(")") or text.count("[") != text.count("]"):
        found.append("unbalanced brackets")
    return found


def _every_suggestion() -> list[tuple[str, Suggestion]]:
    out = []
    for person in corpus():
        for cv in (person.strong, person.vague):
            for job in (None, JOB):
                for suggestion in analyse(cv, job).suggestions:
                    out.append((f"{person.key}/{cv.language}", suggestion))
    return out


SUGGESTIONS = _every_suggestion()


def test_the_set_covers_both_languages_and_many_kinds():
    assert len({s.message.split()[0] for _, s in SUGGESTIONS}) >= 8
    assert {key.rsplit("/", 1)[1] for key, _ in SUGGESTIONS} == {"pt", "en"}


@pytest.mark.parametrize(("who", "suggestion"), SUGGESTIONS, ids=lambda v: str(v)[:40])
def test_every_generated_sentence_reads_as_a_sentence(who, suggestion):
    assert _problems(suggestion.message) == [], (who, suggestion.message)
    if suggestion.example:
        assert "{" not in suggestion.example
        assert suggestion.example.count("[") == suggestion.example.count("]")


@pytest.mark.parametrize(
    ("count", "total", "pt", "en"),
    [
        (0, 9, "Nenhum dos 9 tópicos de experiência traz números", "None of the 9 experience bullets has numbers"),
        (1, 9, "Só 1 de 9 tópicos de experiência traz números", "Only 1 of 9 experience bullets includes numbers"),
        (3, 9, "Só 3 de 9 tópicos de experiência trazem números", "Only 3 of 9 experience bullets include numbers"),
        (0, 1, "O único tópico de experiência não traz números", "Your only experience bullet has no numbers"),
    ],
)  # fmt: skip
def test_counts_agree_with_their_nouns_and_verbs(count, total, pt, en):
    issue = Issue("impact", "low_share", params={"count": count, "total": total})

    for lang, expected in (("pt", pt), ("en", en)):
        suggestion = _render(issue, lang, {})
        assert suggestion is not None
        assert suggestion.message.startswith(expected)
        assert _problems(suggestion.message) == []


@pytest.mark.parametrize(
    ("found", "pt", "en"),
    [
        (0, "Não reconhecemos nenhuma seção padrão", "No standard section was recognised"),
        (1, "Só reconhecemos uma seção padrão", "Only one standard section was recognised"),
        (2, "Só reconhecemos 2 seções padrão", "Only 2 standard sections were recognised"),
    ],
)
def test_section_counts_agree(found, pt, en):
    issue = Issue("parseability", "few_sections", params={"found": found})

    assert _render(issue, "pt", {}).message.startswith(pt)  # type: ignore[union-attr]
    assert _render(issue, "en", {}).message.startswith(en)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ("Kafka", "A vaga pede Kafka, que não aparece no seu currículo."),
        ("Kafka, Terraform, Go", "A vaga pede Kafka, Terraform e Go, que não aparecem no seu currículo."),
    ],
)  # fmt: skip
def test_missing_terms_are_a_list_that_agrees(terms, expected):
    suggestion = _render(Issue("keywords", "missing_skills", params={"terms": terms}), "pt", {})

    assert suggestion is not None
    assert suggestion.message.startswith(expected)


def test_gupy_advice_when_experience_does_not_parse_cleanly():
    cv = make_cv(
        experience=[
            ExperienceEntry(title="Analista de Dados", start=None, bullets=["Fiz relatórios."])
        ]
    )

    (gupy,) = [s for s in analyse(cv).suggestions if "Gupy" in s.message]

    assert "cargo, empresa e datas em cada experiência" in gupy.message
    assert gupy.evidence is not None
    assert "Analista de Dados" in gupy.evidence
    assert _problems(gupy.message) == []


def test_no_gupy_advice_for_english_cvs_or_clean_experience():
    assert not any("Gupy" in s.message for s in analyse(make_cv()).suggestions)
    english = make_cv(language="en", experience=[ExperienceEntry(title="Data Analyst")])
    assert not any("Gupy" in s.message for s in build_suggestions(english, _report(english)))


def _report(cv):
    return evaluate(cv)
