"""Word lists the rubric relies on, pt-BR and English, stored accent-folded and lowercase.

Kept apart from the scoring code so a recruiter can review (and extend) the lists without
reading any logic. Every entry is folded (``fold()``): "Construí" is stored as "construi".
"""

from __future__ import annotations

# First words of a bullet that show ownership of a result. Brazilian CVs use both the
# first person ("Liderei") and the third person ("Liderou"); both read as strong.
STRONG_VERBS_PT: frozenset[str] = frozenset(
    {
        # first person, past
        "liderei", "desenvolvi", "implementei", "reduzi", "aumentei", "criei", "gerenciei",
        "coordenei", "conduzi", "projetei", "automatizei", "otimizei", "construi", "lancei",
        "entreguei", "negociei", "estruturei", "migrei", "reestruturei", "economizei", "gerei",
        "conquistei", "expandi", "treinei", "mentorei", "orientei", "modernizei", "padronizei",
        "simplifiquei", "acelerei", "melhorei", "elaborei", "analisei", "planejei", "organizei",
        "supervisionei", "administrei", "executei", "integrei", "arquitetei", "escalei",
        "resolvi", "identifiquei", "propus", "fundei", "recrutei", "vendi", "prospectei",
        "fechei", "ampliei", "dobrei", "tripliquei", "implantei", "transformei", "eliminei",
        "diminui", "cortei", "capacitei", "formei", "publiquei", "redesenhei", "reformulei",
        "consolidei", "defini", "mapeei", "desenhei", "programei", "codifiquei", "testei",
        "apresentei", "atingi", "superei", "alcancei", "garanti", "viabilizei", "idealizei",
        "iniciei", "institui", "geri", "dirigi", "chefiei", "captei", "converti", "fidelizei",
        "recuperei", "digitalizei", "modelei", "configurei", "monitorei", "mensurei",
        # third person, past
        "liderou", "desenvolveu", "implementou", "reduziu", "aumentou", "criou", "gerenciou",
        "coordenou", "conduziu", "projetou", "automatizou", "otimizou", "construiu", "lancou",
        "entregou", "negociou", "estruturou", "migrou", "economizou", "gerou", "conquistou",
        "expandiu", "treinou", "implantou", "melhorou", "elaborou", "planejou", "organizou",
        "supervisionou", "administrou", "executou", "integrou", "resolveu", "atingiu",
        "superou", "alcancou", "vendeu", "dobrou", "triplicou", "capacitou", "definiu",
    }
)  # fmt: skip

STRONG_VERBS_EN: frozenset[str] = frozenset(
    {
        "led", "built", "reduced", "increased", "developed", "implemented", "designed",
        "launched", "created", "managed", "delivered", "automated", "optimized", "optimised",
        "improved", "drove", "spearheaded", "architected", "migrated", "negotiated",
        "streamlined", "accelerated", "achieved", "grew", "generated", "saved", "cut",
        "scaled", "established", "founded", "mentored", "trained", "coached", "coordinated",
        "directed", "owned", "shipped", "engineered", "redesigned", "restructured",
        "resolved", "analyzed", "analysed", "won", "secured", "expanded", "doubled",
        "tripled", "headed", "oversaw", "produced", "boosted", "consolidated", "modernized",
        "modernised", "standardized", "standardised", "integrated", "deployed", "orchestrated",
        "championed", "initiated", "introduced", "transformed", "eliminated", "lowered",
        "raised", "recruited", "hired", "sold", "closed", "converted", "exceeded", "surpassed",
        "planned", "organized", "organised", "supervised", "administered", "executed",
        "defined", "mapped", "programmed", "coded", "tested", "presented", "published",
        "configured", "monitored", "measured", "rebuilt", "refactored", "wrote", "authored",
        "shortened", "prepared", "halved", "simplified", "renegotiated",
        "conducted", "ran", "diagnosed", "identified", "prevented",
    }
)  # fmt: skip

# Openers a recruiter reads as "present but not accountable". Matched on the folded start
# of a bullet, longest first, so "fui responsavel por" wins over "responsavel".
WEAK_OPENERS_PT: tuple[str, ...] = (
    "fui responsavel por", "fui responsavel pela", "fui responsavel pelo",
    "fui responsavel pelas", "fui responsavel pelos",
    "responsavel por", "responsavel pela", "responsavel pelo", "responsavel pelas",
    "responsavel pelos", "responsaveis por", "responsabilidade por", "responsabilidades:",
    "ajudei", "ajudava", "ajudar", "auxiliei", "auxiliava", "auxiliar", "auxilio",
    "participei", "participava", "participacao", "apoio", "apoiava", "colaborava",
    "atividades:", "funcoes:", "tarefas:", "encarregado", "encarregada",
)  # fmt: skip

WEAK_OPENERS_EN: tuple[str, ...] = (
    "was responsible for", "responsible for", "responsibilities included",
    "responsibilities:", "in charge of", "duties included", "duties:", "tasks included",
    "tasks:", "helped", "helping", "assisted", "assisting", "worked on", "involved in",
    "participated in", "tasked with",
)  # fmt: skip

# Words that carry a quantity in a bullet without digits ("dobrou", "dozens of").
NUMBER_WORDS: frozenset[str] = frozenset(
    {
        "dois", "duas", "tres", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez",
        "onze", "doze", "quinze", "vinte", "trinta", "cem", "cento", "centenas", "dezenas",
        "milhares", "milhoes", "bilhoes", "mil", "dobro", "dobrei", "dobrou", "triplo",
        "triplicou", "triplicamos", "triplicar", "metade",
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "fifteen", "twenty", "thirty", "hundred", "hundreds", "thousand",
        "thousands", "million", "millions", "billion", "dozen", "dozens", "double",
        "doubled", "doubling", "tripled", "half", "halved",
    }
)  # fmt: skip

# Words in a job title or company that explain two jobs at once (not a timeline error).
CONCURRENT_MARKERS: tuple[str, ...] = (
    "freelance", "freelancer", "autonomo", "autonoma", "meio periodo", "part-time",
    "part time", "voluntario", "voluntaria", "voluntariado", "volunteer", "consultor",
    "consultora", "consultant", "consulting", "professor", "professora", "instrutor",
    "instrutora", "instructor", "mentor", "mentora", "bolsista", "side project",
    "projeto paralelo", "pesquisador", "pesquisadora", "researcher", "monitor", "monitora",
)  # fmt: skip

# Title words used to guess seniority when dates cannot tell.
SENIOR_TITLE_WORDS: frozenset[str] = frozenset(
    {
        "senior", "sr", "lead", "lider", "principal", "staff", "head", "gerente", "manager",
        "diretor", "diretora", "director", "coordenador", "coordenadora", "especialista",
        "architect", "arquiteto", "arquiteta", "vp", "cto", "ceo", "cfo", "superintendente",
    }
)  # fmt: skip
JUNIOR_TITLE_WORDS: frozenset[str] = frozenset(
    {
        "junior", "jr", "estagiario", "estagiaria", "estagio", "intern", "internship",
        "trainee", "aprendiz", "assistente", "assistant", "auxiliar",
    }
)  # fmt: skip
