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


CV_BACKEND = (
    "Ana Paula Siqueira\nDesenvolvedora Back End Sênior\nana@example.com\nExperiência\n"
    "Desenvolvedora Python na Stone\n03/2019 - 03/2025\n"
    "• Construí APIs REST em Python e PostgreSQL para 3 milhões de clientes\n"
    "Formação\nBacharelado em Ciência da Computação - UFPE, 2018\n"
    "Idiomas\nInglês - Avançado\nEspanhol - Básico\n"
)
JD_BACKEND = (
    "Vaga: Desenvolvedor Backend Sênior\nRequisitos:\n"
    "- 5+ anos de experiência com desenvolvimento backend\n- Python e Django\n"
    "- Inglês avançado\n- Ensino superior completo em Computação\n"
    "Diferenciais:\n- Kubernetes\n- Espanhol fluente\n"
)


def _backend_match():
    from consumers.parsing.parser import parse_cv

    return match_job(parse_cv(CV_BACKEND), JD_BACKEND, ["Python", "Django", "Kubernetes"])


def test_requirements_and_nice_to_haves_are_read_and_checked():
    reqs = {(r.text, r.kind, r.type, r.met) for r in _backend_match().requirements}

    assert reqs == {
        ("5+ anos de experiência com desenvolvimento backend", "required", "years", True),
        ("Python e Django", "required", "skills", False),
        ("Inglês avançado", "required", "language", True),
        ("Ensino superior completo em Computação", "required", "education", True),
        ("Kubernetes", "nice_to_have", "skills", False),
        ("Espanhol fluente", "nice_to_have", "language", False),
    }


def test_a_required_skill_ranks_before_a_nice_to_have_and_fillers_are_no_keywords():
    result = _backend_match()

    assert result.missing.index("Django") < result.missing.index("Kubernetes")
    assert result.raise_most[0] == "Django"
    assert not {"avançado", "experiência", "fluente", "completo"} & set(result.missing)


def test_gender_plural_and_spelling_variants_are_one_term():
    assert stem("desenvolvedora") == stem("desenvolvedores") == stem("desenvolvedor")
    assert stem("analistas") == stem("analista")
    from consumers.scoring.job_match import tokens

    assert tokens("Back-end") == tokens("backend") == tokens("Back End") == ["backend"]


def test_the_rate_is_broken_down_like_an_ats_with_a_target():
    result = _backend_match()
    parts = {b.category: b for b in result.breakdown}

    assert {"hard_skills", "job_title", "education", "requirements"} <= set(parts)
    assert parts["job_title"].score == 100  # "Desenvolvedora Back End" is the same title
    assert abs(sum(b.weight for b in result.breakdown) - 1) < 0.01
    assert result.target == 80
    weighted = sum(b.score * b.weight for b in result.breakdown)
    assert result.score == round(weighted / sum(b.weight for b in result.breakdown))
