"""Tailor mode's CV changes: only editable sections, nothing the CV does not say, and
employers, titles, dates and degrees provably unchanged."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from consumers.coaching import tailor
from consumers.coaching.tailor import HEADLINE, SKILLS, CvChange
from tests.consumers.coaching.factories import en_facts, pt_facts

JOB = "We need Docker and Kafka (Rust is a plus)."


def test_a_job_gives_a_headline_and_a_skills_order_from_the_cv_s_own_facts() -> None:
    facts = en_facts()
    changes = tailor.propose(facts, JOB)
    assert changes == (
        CvChange(HEADLINE, "Software Engineer", "Software Engineer | Docker · Kafka"),
        CvChange(
            SKILLS, "Python, Go, PostgreSQL, Kafka, Docker", "Docker, Kafka, Python, Go, PostgreSQL"
        ),
    )
    assert "Rust" not in " ".join(c.after for c in changes), "a skill the CV lacks is never added"
    for change in changes:
        assert tailor.protected(tailor.apply(facts, change)) == tailor.protected(facts)


def test_a_change_that_touches_a_protected_fact_or_adds_one_is_refused() -> None:
    facts = en_facts()
    refused = [
        CvChange("experience", "Software Engineer", "Senior Software Engineer"),
        CvChange(HEADLINE, "Software Engineer", "Staff Engineer | Docker"),
        CvChange(HEADLINE, "Software Engineer", "Software Engineer | Rust"),
        CvChange(SKILLS, "Python, Go", "Python, Go, PostgreSQL, Kafka, Docker, Rust"),
        CvChange(SKILLS, "Python, Go", "Python, Go, PostgreSQL, Kafka"),
    ]
    assert not [c for c in refused if tailor.keeps_facts(facts, c)]


def test_the_proof_compares_employers_titles_dates_and_degrees() -> None:
    facts = pt_facts()
    moved = dataclasses.replace(
        facts, roles=(dataclasses.replace(facts.roles[0], start="2015"), *facts.roles[1:])
    )
    assert tailor.protected(moved) != tailor.protected(facts)
    assert tailor.protected(dataclasses.replace(facts, degrees=("MBA",))) != tailor.protected(facts)


@given(st.lists(st.sampled_from([*pt_facts().skills, "Docker", "Kafka", "Rust", "Java"])))
def test_whatever_the_job_asks_every_proposal_keeps_the_cv_s_facts(wanted: list[str]) -> None:
    facts = pt_facts()
    for change in tailor.propose(facts, "Requisitos: " + ", ".join(wanted)):
        assert tailor.keeps_facts(facts, change)
        assert change.section in tailor.EDITABLE
        assert tailor.protected(tailor.apply(facts, change)) == tailor.protected(facts)
