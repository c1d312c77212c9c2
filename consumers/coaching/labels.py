"""How the coach names the analysis's categories and the STAR parts, per language."""

from __future__ import annotations

CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "pt-BR": {
        "parseability": "legibilidade para ATS",
        "contact": "dados de contato",
        "structure": "estrutura e seções",
        "impact": "impacto e resultados mensuráveis",
        "action_verbs": "verbos de ação",
        "length_readability": "tamanho e leitura",
        "dates_consistency": "consistência das datas",
        "keywords": "palavras-chave da vaga",
    },
    "en": {
        "parseability": "ATS readability",
        "contact": "contact details",
        "structure": "structure and sections",
        "impact": "impact and measurable results",
        "action_verbs": "action verbs",
        "length_readability": "length and readability",
        "dates_consistency": "date consistency",
        "keywords": "job keywords",
    },
}

STAR_LABELS: dict[str, dict[str, str]] = {
    "pt-BR": {"situation": "Situação", "task": "Tarefa", "action": "Ação", "result": "Resultado"},
    "en": {"situation": "Situation", "task": "Task", "action": "Action", "result": "Result"},
}


def category_label(category: str, language: str) -> str:
    return CATEGORY_LABELS[language].get(category, category.replace("_", " "))
