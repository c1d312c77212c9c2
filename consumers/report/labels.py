"""The words of the PDF report, in each language the analysis speaks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Labels:
    title: str
    score: str
    baseline: str
    breakdown: str
    suggestions: str
    no_suggestions: str
    evidence: str
    example: str
    job_match: str
    match_rate: str
    target: str
    matched: str
    missing: str
    raise_most: str
    requirements: str
    met: str
    not_met: str
    required: str
    nice_to_have: str
    severity: dict[str, str]
    categories: dict[str, str]
    footer: str


_PT = Labels(
    title="Relatório da análise do currículo",
    score="Pontuação ATS",
    baseline="pela régua",
    breakdown="Como a pontuação se compõe",
    suggestions="Sugestões",
    no_suggestions="Nenhuma sugestão: o currículo já atende a todos os critérios.",
    evidence="No currículo",
    example="Exemplo",
    job_match="Aderência à vaga",
    match_rate="Taxa de aderência",
    target="meta",
    matched="Atendidos",
    missing="Faltando",
    raise_most="O que mais elevaria a taxa",
    requirements="Requisitos da vaga",
    met="atendido",
    not_met="não atendido",
    required="obrigatório",
    nice_to_have="diferencial",
    severity={"high": "alta", "medium": "média", "low": "baixa"},
    categories={
        "parseability": "Leitura por ATS",
        "contact": "Contato",
        "structure": "Estrutura",
        "impact": "Resultados",
        "action_verbs": "Verbos de ação",
        "length_readability": "Tamanho e leitura",
        "dates_consistency": "Datas",
        "keywords": "Palavras-chave",
        "hard_skills": "Competências técnicas",
        "job_title": "Cargo",
        "education": "Formação",
        "soft_skills": "Competências comportamentais",
        "other_keywords": "Outras palavras-chave",
        "requirements": "Requisitos",
    },
    footer="Análise versão {version} · régua {rubric} · {provider}",
)

_EN = Labels(
    title="CV analysis report",
    score="ATS score",
    baseline="by the rubric",
    breakdown="How the score is made up",
    suggestions="Suggestions",
    no_suggestions="No suggestions: the CV already meets every criterion.",
    evidence="In the CV",
    example="Example",
    job_match="Job match",
    match_rate="Match rate",
    target="target",
    matched="Matched",
    missing="Missing",
    raise_most="What would raise the rate most",
    requirements="Job requirements",
    met="met",
    not_met="not met",
    required="required",
    nice_to_have="nice to have",
    severity={"high": "high", "medium": "medium", "low": "low"},
    categories={
        "parseability": "ATS readability",
        "contact": "Contact",
        "structure": "Structure",
        "impact": "Impact",
        "action_verbs": "Action verbs",
        "length_readability": "Length and reading",
        "dates_consistency": "Dates",
        "keywords": "Keywords",
        "hard_skills": "Hard skills",
        "job_title": "Job title",
        "education": "Education",
        "soft_skills": "Soft skills",
        "other_keywords": "Other keywords",
        "requirements": "Requirements",
    },
    footer="Analysis version {version} · rubric {rubric} · {provider}",
)


def labels_for(language: str) -> Labels:
    """Portuguese for Portuguese CVs, English for the rest (the analysis speaks those two)."""
    return _PT if language.lower().startswith("pt") else _EN


def category_label(labels: Labels, category: str) -> str:
    return labels.categories.get(category, category.replace("_", " ").capitalize())
