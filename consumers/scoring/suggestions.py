"""Concrete advice from the rubric's issues, in the CV's language (pt-BR or English).

Each suggestion quotes the CV line it is about when there is one and, where it helps,
shows a rewritten example that uses placeholders ("[X%]", "[número]") instead of facts
the CV does not state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from consumers.parsing.personal import mentions_personal_data
from consumers.scoring.rewrite import improve_bullet
from consumers.scoring.rubric import CATEGORIES, Issue, RubricReport
from schemas.cv import ParsedCv, Severity, Suggestion

MAX_SUGGESTIONS = 12
# Per-line issues repeat; three examples of one kind teach as much as ten.
MAX_PER_CODE = 3
_SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


@dataclass(frozen=True, slots=True)
class _Template:
    severity: Severity
    pt: str
    en: str


_H, _M, _L = Severity.HIGH, Severity.MEDIUM, Severity.LOW

_TEMPLATES: dict[tuple[str, str], _Template] = {
    ("parseability", "little_text"): _Template(
        _H,
        "Só conseguimos ler {words} palavras no seu currículo. Se ele foi feito como imagem "
        "ou escaneado, os sistemas de recrutamento (ATS) não leem o conteúdo: exporte um PDF "
        "com texto selecionável, a partir do Word ou do Google Docs.",
        "We could only read {words} words in your CV. If it is a scanned file or an image, "
        "applicant tracking systems (ATS) cannot read it: export a PDF with selectable text "
        "from Word or Google Docs.",
    ),
    ("parseability", "garbled"): _Template(
        _H,
        "Há caracteres ilegíveis no texto extraído ({chars}). Isso costuma vir de fontes "
        "decorativas, ícones ou PDF gerado como imagem; use uma fonte padrão e exporte de novo.",
        "Some characters could not be read ({chars}). Decorative fonts, icons or image-based "
        "PDFs usually cause this; use a standard font and export the file again.",
    ),
    ("parseability", "few_sections"): _Template(
        _M,
        "{found_phrase}. Use títulos simples que o ATS entende: "
        '"Resumo", "Experiência Profissional", "Formação Acadêmica", "Competências".',
        "{found_phrase}. Use plain headings an ATS "
        'understands: "Summary", "Experience", "Education", "Skills".',
    ),
    ("contact", "missing_name"): _Template(
        _H,
        "Seu nome não foi encontrado. Coloque-o na primeira linha, sozinho e em destaque.",
        "Your name was not found. Put it on the first line, on its own.",
    ),
    ("contact", "personal_data"): _Template(
        _M,
        "Retire do currículo {kinds}: o recrutador não precisa {those} para avaliar você, "
        "e {they_open} espaço para discriminação. A LGPD pede que se informe só o necessário.",
        "Remove {kinds} from your CV: recruiters do not need {those} to assess you, and "
        "{they_open} the door to discrimination. Brazil's data protection law (LGPD) asks "
        "for no more than is needed.",
    ),
    ("contact", "missing_email"): _Template(
        _H,
        "Inclua um e-mail profissional no topo do currículo.",
        "Add a professional email address at the top of your CV.",
    ),
    ("contact", "invalid_email"): _Template(
        _H,
        "O e-mail parece incompleto ou com erro de digitação; confira-o.",
        "The email address looks incomplete or mistyped; check it.",
    ),
    ("contact", "missing_phone"): _Template(
        _M,
        "Inclua um telefone com DDD, de preferência com WhatsApp.",
        "Add a phone number with its country and area code.",
    ),
    ("contact", "invalid_phone"): _Template(
        _M,
        "O telefone parece incompleto; use o formato com DDD, ex.: (11) 9XXXX-XXXX.",
        "The phone number looks incomplete; include the country and area code.",
    ),
    ("contact", "missing_linkedin"): _Template(
        _M,
        "Adicione o link do seu LinkedIn: recrutadores quase sempre o consultam.",
        "Add your LinkedIn URL: recruiters almost always look it up.",
    ),
    ("contact", "missing_location"): _Template(
        _L,
        'Informe cidade e estado (ex.: "São Paulo - SP"); muitas vagas filtram por região.',
        "State your city and country; many openings filter candidates by location.",
    ),
    ("structure", "missing_summary"): _Template(
        _M,
        "Falta um resumo profissional: 2 a 3 linhas no topo dizendo quem você é, sua "
        "especialidade e seu principal resultado.",
        "Add a professional summary: 2–3 lines at the top saying who you are, your "
        "specialty and your main achievement.",
    ),
    ("structure", "missing_experience"): _Template(
        _H,
        'Não encontramos a seção de experiência. Crie uma seção "Experiência Profissional" '
        "(estágios, freelas e projetos também contam).",
        'No experience section was found. Add an "Experience" section (internships, '
        "freelance work and projects count too).",
    ),
    ("structure", "missing_education"): _Template(
        _M,
        'Inclua a seção "Formação Acadêmica" com curso, instituição e ano de conclusão.',
        'Add an "Education" section with degree, institution and graduation year.',
    ),
    ("structure", "missing_skills"): _Template(
        _M,
        'Inclua uma seção "Competências" com as ferramentas e habilidades que você domina: '
        "é onde o ATS procura palavras-chave.",
        'Add a "Skills" section listing the tools and skills you master: it is where an '
        "ATS looks for keywords.",
    ),
    ("structure", "empty_summary"): _Template(
        _M,
        "A seção de resumo está vazia; escreva 2 a 3 linhas ou remova o título.",
        "The summary section is empty; write 2–3 lines or remove the heading.",
    ),
    ("structure", "empty_experience"): _Template(
        _H,
        "A seção de experiência está vazia.",
        "The experience section is empty.",
    ),
    ("structure", "empty_education"): _Template(
        _M,
        "A seção de formação está vazia.",
        "The education section is empty.",
    ),
    ("structure", "empty_skills"): _Template(
        _M,
        "A seção de competências está vazia; liste suas principais ferramentas e habilidades.",
        "The skills section is empty; list your main tools and skills.",
    ),
    ("impact", "no_bullets"): _Template(
        _H,
        "Descreva cada experiência em tópicos curtos, começando por um verbo de ação e "
        "mostrando o resultado.",
        "Describe each job in short bullet points that start with an action verb and show "
        "a result.",
    ),
    ("impact", "low_share"): _Template(
        _H,
        "{share_phrase}. Quantifique resultados "
        "(%, R$, prazos, volume, tamanho da equipe) sempre que puder.",
        "{share_phrase}. Quantify results "
        "(%, money, time saved, volume, team size) wherever you can.",
    ),
    ("impact", "unquantified_bullet"): _Template(
        _M,
        "Este tópico não mostra resultado mensurável; acrescente o número real.",
        "This bullet shows no measurable result; add the real figure.",
    ),
    ("action_verbs", "weak_opener"): _Template(
        _M,
        "Comece com um verbo de ação no passado em vez de uma expressão passiva.",
        "Start with an action verb in the past tense instead of a passive phrase.",
    ),
    ("action_verbs", "no_action_verb"): _Template(
        _L,
        "Comece o tópico com um verbo de ação (Liderei, Implementei, Reduzi…).",
        "Start the bullet with an action verb (Led, Built, Reduced…).",
    ),
    ("length_readability", "too_short"): _Template(
        _M,
        "O currículo está curto ({words} palavras; o ideal para o seu nível fica entre "
        "{min} e {max}). Detalhe conquistas e responsabilidades de cada experiência.",
        "Your CV is short ({words} words; {min}–{max} suits your level). Add achievements "
        "to each role.",
    ),
    ("length_readability", "too_long"): _Template(
        _M,
        "O currículo está longo ({words} palavras; o ideal para o seu nível fica entre "
        "{min} e {max}). Corte experiências antigas e tópicos repetidos.",
        "Your CV is long ({words} words; {min}–{max} suits your level). Trim old roles and "
        "repeated bullets.",
    ),
    ("length_readability", "long_bullet"): _Template(
        _L,
        "Tópico longo ({words} palavras): divida em dois ou corte para no máximo duas linhas.",
        "Long bullet ({words} words): split it or cut it to two lines at most.",
    ),
    ("length_readability", "long_paragraph"): _Template(
        _M,
        "Parágrafo longo ({words} palavras): transforme em tópicos curtos, mais fáceis de "
        "ler em poucos segundos.",
        "Long paragraph ({words} words): turn it into short bullets that can be scanned in "
        "seconds.",
    ),
    ("dates_consistency", "missing"): _Template(
        _M,
        'A experiência "{entry}" está sem datas; informe mês e ano de início e fim.',
        'The role "{entry}" has no dates; give the start and end month and year.',
    ),
    ("dates_consistency", "end_before_start"): _Template(
        _H,
        'Em "{entry}", a data de término é anterior à de início; corrija as datas.',
        'In "{entry}", the end date is before the start date; fix the dates.',
    ),
    ("dates_consistency", "future"): _Template(
        _M,
        'Em "{entry}", há uma data no futuro; confira as datas.',
        'In "{entry}", a date is in the future; check the dates.',
    ),
    ("dates_consistency", "overlap"): _Template(
        _L,
        '"{entry}" se sobrepõe a "{other}". Se foram simultâneos, indique (ex.: '
        '"freelance", "meio período"); senão, corrija as datas.',
        '"{entry}" overlaps "{other}". If both were at once, say so (e.g. "part-time", '
        '"freelance"); otherwise fix the dates.',
    ),
    ("dates_consistency", "order"): _Template(
        _M,
        'Liste as experiências da mais recente para a mais antiga; "{entry}" está fora de ordem.',
        'List roles from the most recent to the oldest; "{entry}" is out of order.',
    ),
    ("keywords", "missing_skills"): _Template(
        _H,
        "A vaga pede {terms}, que não {appear} no seu currículo. Se você tem essa "
        "experiência, cite-a com as mesmas palavras da vaga.",
        "The job asks for {terms}, which your CV does not mention. If you have that "
        "experience, name it with the job's own words.",
    ),
    ("keywords", "missing_keywords"): _Template(
        _L,
        "Termos da vaga ausentes no currículo: {terms}. Use-os onde descreverem de verdade "
        "o que você fez.",
        "Job terms missing from your CV: {terms}. Use them where they truly describe your work.",
    ),
}

# A bullet with a weak opener and no result gets one suggestion about both.
_WEAK_AND_UNQUANTIFIED = _Template(
    _M,
    "Troque a expressão passiva por um verbo de ação e acrescente o resultado real (número, "
    "%, R$).",
    "Replace the passive phrase with an action verb and add the real result (number, %, money).",
)

_EXAMPLES: dict[tuple[str, str], dict[str, str]] = {
    ("contact", "missing_linkedin"): {
        "pt": "linkedin.com/in/[seu-perfil]",
        "en": "linkedin.com/in/[your-profile]",
    },
    ("contact", "missing_location"): {"pt": "[Cidade] - [UF]", "en": "[City], [Country]"},
    ("contact", "missing_phone"): {"pt": "+55 ([DDD]) [número]", "en": "+[country] [number]"},
    ("structure", "missing_summary"): {
        "pt": "[Cargo] com [número] anos de experiência em [área], especialista em "
        "[competência 1] e [competência 2]. [Principal conquista, com número].",
        "en": "[Role] with [number] years of experience in [field], specialised in "
        "[skill 1] and [skill 2]. [Main achievement, with a number].",
    },
    ("structure", "missing_skills"): {
        "pt": "Competências: [ferramenta 1], [ferramenta 2], [competência 1]",
        "en": "Skills: [tool 1], [tool 2], [skill 1]",
    },
}

_BULLET_CODES = frozenset(
    {("impact", "unquantified_bullet"), ("action_verbs", "weak_opener"),
     ("action_verbs", "no_action_verb")}
)  # fmt: skip


def language_of(cv: ParsedCv) -> str:
    """ "en" for English CVs, "pt" otherwise (Brazil first)."""
    return "en" if cv.language.lower().startswith("en") else "pt"


def build_suggestions(
    cv: ParsedCv, report: RubricReport, limit: int = MAX_SUGGESTIONS
) -> list[Suggestion]:
    """Suggestions for the report's issues: most severe first, then by category (in
    ``WEIGHTS`` order), one per CV line, at most ``MAX_PER_CODE`` of a kind and
    ``limit`` in all."""
    lang = language_of(cv)
    bullets = {b.text: b for b in _bullets_of(report)}
    candidates = [
        (s, i) for i, issue in enumerate(report.issues) if (s := _render(issue, lang, bullets))
    ]
    candidates.sort(
        key=lambda pair: (
            _SEVERITY_ORDER[pair[0].severity],
            CATEGORIES.index(pair[0].category),
            pair[1],
        )
    )
    per_code: Counter[tuple[str, str]] = Counter()
    seen_lines: set[str] = set()
    seen_messages: set[tuple[str, str | None]] = set()
    chosen: list[Suggestion] = []
    for suggestion, index in candidates:
        if suggestion.evidence is not None and mentions_personal_data(suggestion.evidence):
            # Never copy a CPF or a birth date into the analysis, even as evidence.
            suggestion = suggestion.model_copy(update={"evidence": None})
        code = (report.issues[index].category, report.issues[index].code)
        if suggestion.evidence is not None and suggestion.evidence in seen_lines:
            continue
        if (suggestion.message, suggestion.evidence) in seen_messages:
            continue
        if per_code[code] >= MAX_PER_CODE:
            continue
        per_code[code] += 1
        seen_messages.add((suggestion.message, suggestion.evidence))
        if suggestion.evidence is not None:
            seen_lines.add(suggestion.evidence)
        chosen.append(suggestion)
        if len(chosen) == limit:
            break
    gupy = _gupy_advice(cv) if lang == "pt" else None
    if gupy is not None and limit > 0:
        if len(chosen) == limit:
            chosen.pop()
        chosen.append(gupy)
        chosen.sort(key=lambda suggestion: _SEVERITY_ORDER[suggestion.severity])
    return chosen


def _gupy_advice(cv: ParsedCv) -> Suggestion | None:
    """Gupy, the ATS most Brazilian employers use, fills its experience and skills fields
    from the CV and ranks candidates on them: what does not parse there is not seen."""
    incomplete = [e for e in cv.experience if not (e.title and e.company and e.start)]
    if cv.experience and not incomplete and cv.skills:
        return None
    if not cv.experience:
        return None  # the missing experience section has its own, stronger suggestion
    gaps = []
    if incomplete:
        gaps.append("cargo, empresa e datas em cada experiência")
    if not cv.skills:
        gaps.append("uma seção de competências")
    entry = incomplete[0] if incomplete else None
    named = (entry.title or entry.company) if entry is not None else None
    # The evidence is the CV line that holds the entry, as for every other suggestion.
    evidence = next(
        (
            line.strip()
            for line in cv.text.splitlines()
            if named and named in line and not mentions_personal_data(line)
        ),
        None,
    )
    return Suggestion(
        category="parseability",
        severity=Severity.MEDIUM,
        message=(
            "A Gupy, ATS mais usado no Brasil, preenche os campos de experiência e de "
            "competências a partir do currículo e ranqueia candidatos por eles. Deixe "
            f"{join_words(gaps, 'pt')} legíveis: escreva cargo e empresa na mesma linha "
            '(ex.: "Analista de Dados | Empresa") e as datas como "mm/aaaa – mm/aaaa".'
        ),
        evidence=evidence,
    )


def _bullets_of(report: RubricReport) -> list[_BulletFacts]:
    facts: dict[str, _BulletFacts] = {}
    for issue in report.issues:
        text = issue.params.get("bullet")
        if not isinstance(text, str):
            continue
        current = facts.get(text, _BulletFacts(text, None, quantified=True))
        if issue.code == "unquantified_bullet":
            current = _BulletFacts(text, current.weak_opener, quantified=False)
        if issue.code == "weak_opener":
            opener = issue.params.get("opener")
            current = _BulletFacts(text, str(opener), current.quantified)
        facts[text] = current
    return list(facts.values())


@dataclass(frozen=True, slots=True)
class _BulletFacts:
    text: str
    weak_opener: str | None
    quantified: bool


# Personal data kinds as a sentence names them, with the article Portuguese needs.
_PERSONAL_NAMES = {
    "cpf": ("o CPF", "your CPF (tax number)"),
    "rg": ("o RG", "your RG (ID card number)"),
    "birth_date": ("a data de nascimento", "your date of birth"),
    "age": ("a idade", "your age"),
    "marital_status": ("o estado civil", "your marital status"),
    "photo": ("a foto", "your photo"),
}


def join_words(items: list[str], lang: str) -> str:
    """ "a, b e c" / "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    last = " e " if lang == "pt" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def _personal_params(kinds: list[str], lang: str) -> dict[str, str | int]:
    names = [_PERSONAL_NAMES[k][lang != "pt"] for k in kinds if k in _PERSONAL_NAMES]
    many = len(names) > 1
    if lang == "pt":
        return {
            "kinds": join_words(names, lang),
            "those": "desses dados" if many else "desse dado",
            "they_open": "eles abrem" if many else "ele abre",
        }
    # "your CPF, your age and your photo" reads long: one "your" is enough.
    names = [names[0], *(n.removeprefix("your ") for n in names[1:])]
    return {
        "kinds": join_words(names, lang),
        "those": "them" if many else "it",
        "they_open": "they open" if many else "it opens",
    }


def _sections_phrase(found: int, lang: str) -> str:
    if lang == "pt":
        if found == 0:
            return "Não reconhecemos nenhuma seção padrão"
        return (
            "Só reconhecemos uma seção padrão"
            if found == 1
            else (f"Só reconhecemos {found} seções padrão")
        )
    if found == 0:
        return "No standard section was recognised"
    return (
        "Only one standard section was recognised"
        if found == 1
        else (f"Only {found} standard sections were recognised")
    )


def _share_phrase(count: int, total: int, lang: str) -> str:
    """ "Nenhum dos 9 tópicos traz", "Só 1 de 9 tópicos traz", "Só 3 de 9 tópicos trazem"."""
    if lang == "pt":
        if total == 1:
            return "O único tópico de experiência não traz números"
        if count == 0:
            return f"Nenhum dos {total} tópicos de experiência traz números"
        verb = "traz" if count == 1 else "trazem"
        return f"Só {count} de {total} tópicos de experiência {verb} números"
    if total == 1:
        return "Your only experience bullet has no numbers"
    if count == 0:
        return f"None of the {total} experience bullets has numbers"
    verb = "includes" if count == 1 else "include"
    return f"Only {count} of {total} experience bullets {verb} numbers"


def _agreement(
    key: tuple[str, str], params: Mapping[str, object], lang: str
) -> dict[str, str | int]:
    """Words that agree with the numbers and lists a message holds."""
    if key == ("parseability", "few_sections"):
        return {"found_phrase": _sections_phrase(int(str(params.get("found", 0))), lang)}
    if key == ("impact", "low_share"):
        count, total = int(str(params.get("count", 0))), int(str(params.get("total", 0)))
        return {"share_phrase": _share_phrase(count, total, lang)}
    if key in {("keywords", "missing_skills"), ("keywords", "missing_keywords")}:
        terms = [t for t in str(params.get("terms", "")).split(", ") if t]
        # "Python, FastAPI e Kafka", "which ... do not mention" / "que não aparece".
        return {
            "terms": join_words(terms, lang),
            "appear": "aparecem" if len(terms) > 1 else "aparece",
        }
    return {}


def _render(issue: Issue, lang: str, bullets: dict[str, _BulletFacts]) -> Suggestion | None:
    key = (issue.category, issue.code)
    template = _TEMPLATES.get(key)
    if template is None:
        return None
    example = _EXAMPLES.get(key, {}).get(lang)
    if key in _BULLET_CODES:
        facts = bullets.get(str(issue.params.get("bullet")))
        if facts is not None:
            if facts.weak_opener and not facts.quantified:
                template = _WEAK_AND_UNQUANTIFIED
            # One example fixes everything wrong with the line: verb and result.
            example = improve_bullet(
                facts.text, lang, weak_opener=facts.weak_opener, quantified=facts.quantified
            )
    params = dict(issue.params)
    if key == ("contact", "personal_data"):
        params = _personal_params(str(params.get("kinds", "")).split(","), lang)
    params |= _agreement(key, params, lang)
    message = (template.pt if lang == "pt" else template.en).format(**params)
    return Suggestion(
        category=issue.category,
        severity=template.severity,
        message=message,
        evidence=issue.evidence,
        example=example,
    )
