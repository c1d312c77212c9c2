from consumers.scoring.analyser import analyse
from consumers.scoring.rubric import RUBRIC_VERSION
from schemas.cv import SectionRef
from tests.consumers.scoring.corpus import corpus
from tests.consumers.scoring.factories import make_cv, make_entry

JD = "Analista de dados: SQL, Python, Power BI e Tableau. Análise de dados, dashboards."


def _two_page_cv():
    bullets = [
        f"Reduzi em {n}% o custo do processo {n} automatizando a conciliação com Python e SQL"
        for n in range(1, 7)
    ]
    entries = [
        make_entry(company=f"Empresa {i}", start=f"{2022 - 2 * i}-01",
                   end=None if i == 0 else f"{2023 - 2 * i}-12", current=i == 0, bullets=bullets)
        for i in range(6)
    ]  # fmt: skip
    return make_cv(experience=entries)


def test_analysis_fields():
    cv = make_cv()
    result = analyse(cv)
    assert result.provider == "offline"
    assert result.model is None
    assert result.rubric_version == RUBRIC_VERSION
    assert result.language == "pt"
    assert result.sections == [SectionRef(kind=s.kind, heading=s.heading) for s in cv.sections]
    assert result.contact == cv.contact
    assert result.skills == cv.skills
    assert result.experience == cv.experience
    assert result.education == cv.education
    assert result.languages == cv.languages
    assert result.job_match is None


def test_analysis_does_not_share_objects_with_the_input():
    cv = make_cv()
    result = analyse(cv)
    result.experience[0].bullets.append("x")
    result.skills.append("y")
    assert "x" not in cv.experience[0].bullets
    assert "y" not in cv.skills


def test_same_input_same_output():
    for person in corpus():
        for cv in (person.strong, person.vague):
            assert analyse(cv) == analyse(cv.model_copy(deep=True))
            assert analyse(cv, JD).model_dump_json() == analyse(cv, JD).model_dump_json()


def test_job_match_included_only_with_a_description():
    cv = make_cv()
    with_job = analyse(cv, JD)
    assert with_job.job_match is not None
    assert "Tableau" in with_job.job_match.missing
    assert "keywords" in [b.category for b in with_job.breakdown]
    assert analyse(cv, "   ").job_match is None


def test_job_skills_are_passed_through():
    result = analyse(make_cv(), JD, job_skills=["Looker"])
    assert result.job_match is not None
    assert "Looker" in result.job_match.missing
