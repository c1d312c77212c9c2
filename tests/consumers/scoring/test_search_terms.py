from consumers.scoring.analyser import analyse
from consumers.scoring.search_terms import search_terms
from tests.consumers.scoring.factories import make_cv


def test_search_indexes_skills_titles_companies_headings_and_suggestions_only():
    cv = make_cv()
    analysis = analyse(cv)

    terms = search_terms(analysis)
    everything = " ".join(terms.primary + terms.headings + terms.suggestions)

    assert set(analysis.skills) <= set(terms.primary)
    assert cv.experience[0].title in terms.primary
    assert cv.experience[0].company in terms.primary
    assert terms.suggestions == [s.message for s in analysis.suggestions]
    assert cv.contact.email is not None
    for personal in (cv.contact.email, cv.contact.name, cv.contact.phone, cv.contact.linkedin):
        assert personal is None or personal not in everything
    for bullet in cv.experience[0].bullets:
        assert bullet not in everything
