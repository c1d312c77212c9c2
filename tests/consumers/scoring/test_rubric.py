import math
from datetime import date

import pytest

from consumers.scoring.job_match import match_detail
from consumers.scoring.lexicon import NUMBER_WORDS
from consumers.scoring.rubric import (
    RUBRIC_VERSION,
    WEIGHTS,
    evaluate,
    seniority,
    weak_opener,
    weights_for,
)
from consumers.scoring.text import is_quantified
from schemas.cv import Contact, ExperienceEntry, ParsedCv, Section, SectionKind
from tests.consumers.scoring.factories import build_cv, make_contact, make_cv, make_entry


def _score(cv: ParsedCv, category: str, **kwargs) -> int:
    report = evaluate(cv, **kwargs)
    return next(item.score for item in report.breakdown if item.category == category)


def _codes(cv: ParsedCv, category: str, **kwargs) -> list[str]:
    report = evaluate(cv, **kwargs)
    return [i.code for i in report.issues if i.category == category]


def test_version_and_weights():
    assert RUBRIC_VERSION == "offline-2"
    assert math.isclose(sum(WEIGHTS.values()), 1.0)
    without = weights_for(with_keywords=False)
    assert "keywords" not in without
    assert math.isclose(sum(without.values()), 1.0)
    # Renormalising keeps the categories' proportions.
    assert math.isclose(
        without["impact"] / without["contact"], WEIGHTS["impact"] / WEIGHTS["contact"]
    )


def test_good_cv_scores_high_without_keywords_category():
    report = evaluate(make_cv())
    assert report.score >= 85
    assert [b.category for b in report.breakdown] == [c for c in WEIGHTS if c != "keywords"]


# -- parseability


def test_parseability_penalises_little_text():
    cv = ParsedCv(text="Mariana Souza\nAnalista", language="pt")
    assert _score(cv, "parseability") < 20
    assert "little_text" in _codes(cv, "parseability")


def test_parseability_penalises_garbled_characters():
    clean = make_cv()
    garbled_text = clean.text.replace("ç", "Ã§").replace("ã", "Ã£").replace("é", "(cid:233)")
    garbled = clean.model_copy(update={"text": garbled_text})
    assert _score(garbled, "parseability") < _score(clean, "parseability") - 20
    issue = next(i for i in evaluate(garbled).issues if i.code == "garbled")
    assert issue.evidence in garbled_text.splitlines()


def test_parseability_counts_recognised_sections():
    cv = make_cv()
    only_other = cv.model_copy(
        update={"sections": [Section(kind=SectionKind.OTHER, heading="X", text="y")]}
    )
    assert _score(only_other, "parseability") < _score(cv, "parseability")
    assert "few_sections" in _codes(only_other, "parseability")


# -- contact


def test_contact_full_scores_100():
    assert _score(make_cv(), "contact") == 100


@pytest.mark.parametrize(
    ("field", "points"),
    [("name", 25), ("email", 30), ("phone", 20), ("linkedin", 15), ("location", 10)],
)
def test_contact_missing_field_costs_its_points(field, points):
    cv = make_cv(contact=make_contact(**{field: None}))
    assert _score(cv, "contact") == 100 - points
    assert f"missing_{field}" in _codes(cv, "contact")


def test_contact_invalid_email_is_flagged_with_its_line():
    cv = make_cv(contact=make_contact(email="mariana.souza@example"))
    assert _score(cv, "contact") == 70
    issue = next(i for i in evaluate(cv).issues if i.code == "invalid_email")
    assert issue.evidence is not None
    assert "mariana.souza@example" in issue.evidence


# -- structure


def test_structure_all_sections_100_and_missing_summary_costs():
    assert _score(make_cv(), "structure") == 100
    cv = make_cv(summary=None)
    assert _score(cv, "structure") == 80
    assert "missing_summary" in _codes(cv, "structure")


def test_structure_gives_partial_credit_for_extracted_data_without_heading():
    cv = make_cv()
    no_headings = cv.model_copy(update={"sections": []})
    score = _score(no_headings, "structure")
    assert 0 < score < 100


# -- impact


def test_impact_quantified_bullets_score_100():
    assert _score(make_cv(), "impact") == 100


def test_impact_vague_bullets_score_0_and_each_is_flagged():
    bullets = ["Desenvolvi relatórios para a diretoria", "Atendi clientes da carteira"]
    cv = make_cv(experience=[make_entry(bullets=bullets)])
    assert _score(cv, "impact") == 0
    issues = [i for i in evaluate(cv).issues if i.code == "unquantified_bullet"]
    assert [i.params["bullet"] for i in issues] == bullets
    assert all(i.evidence in cv.text.splitlines() for i in issues)


def test_impact_partial_share():
    bullets = ["Reduzi custos em 20%", "Atendi clientes", "Fiz relatórios", "Criei 3 dashboards"]
    cv = make_cv(experience=[make_entry(bullets=bullets)])
    # 2 of 4 quantified = 50% of a 60% target.
    assert _score(cv, "impact") == 83


@pytest.mark.parametrize(
    ("bullet", "expected"),
    [
        ("Aumentei as vendas em 25%", True),
        ("Economizei R$ 40 mil por ano", True),
        ("Saved $2M in cloud costs", True),
        ("Liderei equipe de dez pessoas", True),
        ("Grew revenue 3x", True),
        ("Managed dozens of accounts", True),
        ("Desenvolvi o sistema em 2019", False),  # a year is a date, not a result
        ("Atuei com clientes B2B", False),  # digits inside a word are not a quantity
        ("Responsável por atender clientes", False),
    ],
)
def test_is_quantified(bullet, expected):
    assert is_quantified(bullet, NUMBER_WORDS) is expected


def test_impact_falls_back_on_experience_section_lines():
    cv = make_cv()
    entries_removed = cv.model_copy(update={"experience": []})
    assert _score(entries_removed, "impact") == 100


def test_impact_without_bullets_is_zero():
    cv = make_cv(experience=[make_entry(bullets=[])])
    assert _score(cv, "impact") == 0
    assert "no_bullets" in _codes(cv, "impact")


# -- action verbs


@pytest.mark.parametrize(
    ("bullet", "opener"),
    [
        ("Responsável por gerenciar a equipe", "responsavel por"),
        ("Fui responsável pelos relatórios", "fui responsavel pelos"),
        ("• Auxiliava na conciliação", "auxiliava"),
        ("Responsible for the sales team", "responsible for"),
        ("Helped launch the app", "helped"),
        ("Worked on the billing system", "worked on"),
        ("Liderei a equipe", None),
        ("Helpdesk migration to Zendesk", None),  # "helped" must be a whole word
    ],
)
def test_weak_opener(bullet, opener):
    assert weak_opener(bullet) == opener


def test_action_verbs_strong_pt_and_en():
    pt = make_cv(experience=[make_entry(bullets=["Liderei a equipe", "Implementei o CRM"])])
    en = make_cv(
        language="en",
        experience=[make_entry(bullets=["Led the team", "Built the billing service"])],
    )
    assert _score(pt, "action_verbs") == 100
    assert _score(en, "action_verbs") == 100


def test_action_verbs_weak_openers_score_lowest():
    weak = ["Responsável por atender clientes", "Ajudei na migração do ERP"]
    neutral = ["Atendimento a clientes", "Migração do ERP"]
    assert _score(make_cv(experience=[make_entry(bullets=weak)]), "action_verbs") == 0
    neutral_cv = make_cv(experience=[make_entry(bullets=neutral)])
    assert _score(neutral_cv, "action_verbs") == 0
    mixed = make_cv(experience=[make_entry(bullets=["Liderei a equipe", weak[0]])])
    assert 0 < _score(mixed, "action_verbs") < 100
    assert _codes(mixed, "action_verbs") == ["weak_opener"]
    assert _codes(neutral_cv, "action_verbs") == ["no_action_verb", "no_action_verb"]


# -- length & readability


def test_length_sweet_spot_and_short_cv():
    assert _score(make_cv(), "length_readability") < 100  # the factory CV is a bit short
    long_summary = " ".join(["Analista de dados com foco em varejo e finanças."] * 10)
    padded = make_cv(
        summary=None, extra_lines=[f"• Reduzi custos em {n}% no projeto {n}" for n in range(1, 15)]
    )
    assert "too_short" in _codes(make_cv(summary=None, skills=None), "length_readability")
    assert _score(padded, "length_readability") > 0
    assert "long_paragraph" in _codes(make_cv(summary=long_summary), "length_readability")


def test_length_long_bullet_flagged_with_evidence():
    long_bullet = "Implementei " + " ".join(["um processo de melhoria contínua"] * 9)
    cv = make_cv(experience=[make_entry(bullets=[long_bullet, "Reduzi custos em 10%"])])
    issue = next(i for i in evaluate(cv).issues if i.code == "long_bullet")
    assert issue.evidence == f"• {long_bullet}"


def test_too_long_cv_is_flagged():
    bullets = [
        f"Reduzi o custo do processo {n} em {n}% com automação em Python e SQL" for n in range(200)
    ]
    cv = make_cv(experience=[make_entry(bullets=bullets)])
    assert "too_long" in _codes(cv, "length_readability")


def test_seniority_from_dates_and_titles():
    junior = make_cv(experience=[make_entry(start="2023-01", end="2024-01", current=False)])
    senior = make_cv(experience=[make_entry(start="2010-01", end="2024-01", current=False)])
    titled = make_cv(
        experience=[
            make_entry(title="Gerente de Vendas", start="2023-01", end="2024-01", current=False)
        ]
    )
    assert seniority(junior) == "junior"
    assert seniority(senior) == "senior"
    assert seniority(titled) == "mid"


# -- dates


def _timeline(*entries: ExperienceEntry) -> ParsedCv:
    return make_cv(experience=list(entries))


def test_dates_consistent_timeline_scores_100():
    assert _score(make_cv(), "dates_consistency") == 100


def test_dates_missing_are_flagged_with_entry_line():
    cv = _timeline(make_entry(start=None, end=None, current=False))
    assert _score(cv, "dates_consistency") <= 60
    issue = next(i for i in evaluate(cv).issues if i.code == "missing")
    assert issue.evidence == "Analista de Dados — Loja Exemplo"


def test_dates_end_before_start():
    cv = _timeline(make_entry(start="2022-05", end="2021-01", current=False))
    assert "end_before_start" in _codes(cv, "dates_consistency")
    assert _score(cv, "dates_consistency") < 100


def test_dates_unexplained_overlap_is_flagged_but_freelance_is_not():
    a = make_entry(title="Analista", company="A", start="2020-01", end="2022-12", current=False)
    b = make_entry(title="Analista", company="B", start="2021-06", end="2021-12", current=False)
    freelance = make_entry(
        title="Consultor freelance", company="B", start="2021-06", end="2021-12", current=False
    )
    assert "overlap" in _codes(_timeline(a, b), "dates_consistency")
    assert "overlap" not in _codes(_timeline(a, freelance), "dates_consistency")
    # One shared month is a job change, not two jobs at once.
    c = make_entry(title="Analista", company="C", start="2018-01", end="2020-01", current=False)
    assert _codes(_timeline(a, c), "dates_consistency") == []


def test_dates_order_must_be_reverse_chronological():
    old = make_entry(company="Antiga", start="2015-01", end="2017-12", current=False)
    new = make_entry(company="Nova", start="2018-01", end=None, current=True)
    assert _score(_timeline(new, old), "dates_consistency") == 100
    assert "order" in _codes(_timeline(old, new), "dates_consistency")


def test_dates_in_future_only_checked_with_today():
    cv = _timeline(make_entry(start="2030-01", end=None, current=True))
    assert "future" not in _codes(cv, "dates_consistency")
    assert "future" in _codes(cv, "dates_consistency", today=date(2025, 6, 1))


def test_dates_without_entries_is_neutral():
    assert _score(build_cv(contact=Contact(name="X")), "dates_consistency") == 50


# -- keywords


def test_keywords_category_only_with_a_job_description():
    cv = make_cv()
    match = match_detail(cv, "Vaga de analista: SQL, Python, Power BI e Tableau.")
    report = evaluate(cv, match)
    keywords = next(b for b in report.breakdown if b.category == "keywords")
    assert keywords.weight == WEIGHTS["keywords"]
    assert keywords.score == match.job_match.score
    assert math.isclose(sum(b.weight for b in report.breakdown), 1.0)
    assert any(
        i.code == "missing_skills" and "Tableau" in str(i.params["terms"]) for i in report.issues
    )


def test_keywords_dropped_when_job_description_has_no_terms():
    cv = make_cv()
    report = evaluate(cv, match_detail(cv, "a e o de"))
    assert "keywords" not in [b.category for b in report.breakdown]
