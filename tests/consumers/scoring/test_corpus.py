import pytest

from consumers.scoring.analyser import analyse
from tests.consumers.scoring.corpus import corpus

PEOPLE = corpus()


@pytest.mark.parametrize("person", PEOPLE, ids=[p.key for p in PEOPLE])
def test_strong_version_scores_clearly_higher(person):
    strong, vague = analyse(person.strong), analyse(person.vague)
    assert strong.score >= vague.score + 15, (strong.score, vague.score)


@pytest.mark.parametrize("person", PEOPLE, ids=[p.key for p in PEOPLE])
def test_strong_version_wins_on_impact_verbs_and_contact(person):
    strong = {b.category: b.score for b in analyse(person.strong).breakdown}
    vague = {b.category: b.score for b in analyse(person.vague).breakdown}
    for category in ("impact", "action_verbs", "contact", "structure"):
        assert strong[category] > vague[category], category


def test_corpus_covers_both_languages():
    languages = [p.strong.language for p in PEOPLE]
    assert len(PEOPLE) >= 6
    assert languages.count("pt") >= 3
    assert languages.count("en") >= 3
