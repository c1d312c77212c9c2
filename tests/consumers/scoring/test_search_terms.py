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
    assert len(terms.suggestions) == len(analysis.suggestions)
    # Employers are sealed at rest as identifying: the index leaves them out too.
    for entry in cv.experience:
        assert entry.company is None or entry.company not in everything
    assert cv.contact.email is not None
    for personal in (cv.contact.email, cv.contact.name, cv.contact.phone, cv.contact.linkedin):
        assert personal is None or personal not in everything
    for bullet in cv.experience[0].bullets:
        assert bullet not in everything


def test_what_a_suggestion_quotes_from_the_cv_is_left_out():
    cv = make_cv()
    analysis = analyse(cv)
    quoting = analysis.suggestions[0].model_copy(
        update={"message": 'A experiência "Analista | Banco Modelo" está sem datas.'}
    )

    terms = search_terms(analysis.model_copy(update={"suggestions": [quoting]}))

    assert "Banco Modelo" not in terms.suggestions[0]
    assert "sem datas" in terms.suggestions[0]
