from consumers.scoring.job_match import job_terms, match_detail, match_job, stem
from tests.consumers.scoring.factories import make_cv, make_entry

JD_PT = (
    "Vaga: Analista de Dados Pleno. Requisitos: SQL avançado, Python, Power BI e Tableau. "
    "Experiência com análise de dados e modelagem de dados. Desejável: AWS. "
    "Você fará análise de dados para a área comercial, criando dashboards. Dashboards executivos."
)
JD_EN = (
    "We are hiring a Backend Engineer. You will build REST APIs in Python, work with "
    "Postgres, Kafka and Kubernetes on AWS. Experience with distributed systems and "
    "event-driven architecture. Distributed systems at scale."
)


def test_pt_hard_skills_matched_and_missing():
    result = match_job(make_cv(), JD_PT)
    assert {"SQL", "Python", "Power BI"} <= set(result.matched)
    assert {"Tableau", "AWS"} <= set(result.missing)
    assert not set(result.matched) & set(result.missing)
    assert 0 < result.score < 100


def test_matching_ignores_accents_and_case():
    cv = make_cv(
        skills=["ANALISE DE DADOS"], experience=[make_entry(bullets=["Criei 4 DASHBOARDS"])]
    )
    result = match_job(cv, JD_PT)
    assert "análise de dados" in result.matched
    assert "dashboards" in result.matched


def test_multiword_terms_and_stopwords():
    labels = [t.label for t in job_terms(JD_PT)]
    assert "Power BI" in labels
    assert "análise de dados" in labels
    assert not {"de", "a", "para", "você", "vaga", "requisitos"} & set(labels)


def test_en_aliases_and_boilerplate():
    cv = make_cv(language="en", skills=["Python", "PostgreSQL", "Kafka"])
    detail = match_detail(cv, JD_EN)
    assert {"Python", "PostgreSQL", "Kafka"} <= set(detail.job_match.matched)
    assert set(detail.missing_skills) == {"APIs REST", "Kubernetes", "AWS"}
    assert "distributed systems" in detail.missing_keywords
    labels = [t.label for t in job_terms(JD_EN)]
    assert not {"we", "experience", "engineer will"} & set(labels)


def test_given_job_skills_replace_builtin_list():
    cv = make_cv(skills=["Python", "Estatística"])
    result = match_job(cv, JD_PT, job_skills=["python", "Estatistica", "Looker Studio"])
    hard = ["python", "Estatistica", "Looker Studio"]
    assert [t for t in result.matched + result.missing if t in hard] == [
        "python",
        "Estatistica",
        "Looker Studio",
    ]
    assert "Looker Studio" in result.missing
    assert {"python", "Estatistica"} <= set(result.matched)
    assert "SQL" not in result.matched + result.missing


def test_hard_skills_weigh_more_than_keywords():
    jd = "Requisitos: Python e SQL. Comunicação, comunicação e proatividade, proatividade."
    skills_only = make_cv(
        summary=None, skills=["Python", "SQL"], experience=[make_entry(bullets=["Criei 3 modelos"])]
    )
    words_only = make_cv(
        summary="Comunicação e proatividade.", skills=["Excel"],
        experience=[make_entry(bullets=["Criei 3 modelos"])],
    )  # fmt: skip
    assert match_job(skills_only, jd).score > match_job(words_only, jd).score


def test_empty_description_gives_no_terms():
    assert match_job(make_cv(), "").score == 0
    assert not match_detail(make_cv(), "   ").has_terms


def test_stem_handles_pt_and_en_plurals():
    assert stem("negociacoes") == stem("negociacao")
    assert stem("operacionais") == stem("operacional")
    assert stem("dashboards") == stem("dashboard")
    assert stem("aws") == "aws"
