"""CV content of the second family, with labels computed from what is written.

A CV is a list of ``Part`` (a heading and its lines, marked for the main column or the
sidebar) plus the person's header. Skills are labelled by scanning the written lines
that say something about the person's work (skills lists, bullets, titles, summary)
for taxonomy names and aliases as whole words, so a label is whatever was written.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tests.corpus.independent.people import Person, make_person

TODAY = (2025, 9)
_TAXONOMY = Path(__file__).resolve().parents[3] / "consumers" / "parsing" / "skills_taxonomy.json"


@dataclass(frozen=True, slots=True)
class Job:
    title: str
    company: str
    start: str  # YYYY-MM
    end: str | None


@dataclass(frozen=True, slots=True)
class Labels:
    name: str
    email: str
    phone: str  # E.164 of the first number printed
    phones: tuple[str, ...]  # every number printed, E.164
    linkedin: str | None
    location: str
    sections: frozenset[str]
    skills: frozenset[str]
    experience: tuple[Job, ...]
    languages: frozenset[str]
    personal_data: frozenset[str]  # cpf, rg, birth_date, age, marital_status, photo


@dataclass(slots=True)
class Part:
    kind: str  # a SectionKind value
    heading: str
    lines: list[str]
    side: bool = False
    entries: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class Cv:
    ident: str
    lang: str
    person: Person
    headline: str
    contact: list[str]  # one item a line
    personal: list[str]  # "Brasileiro, casado, 34 anos" and the like
    parts: list[Part]
    labels: Labels
    style: dict[str, object]


# --- vocabulary -----------------------------------------------------------------------------

# (pt masculine, pt feminine, en) per field of work, and the skills such people list.
_FIELDS: dict[str, tuple[tuple[tuple[str, str, str], ...], tuple[str, ...]]] = {
    "software": (
        (("Engenheiro de Software", "Engenheira de Software", "Software Engineer"),
         ("Desenvolvedor Back-end", "Desenvolvedora Back-end", "Backend Developer"),
         ("Programador", "Programadora", "Programmer"),
         ("Analista Desenvolvedor", "Analista Desenvolvedora", "Application Developer")),
        ("Python", "Java", "Go", "TypeScript", "Node.js", "Django", "Spring Boot", "PostgreSQL",
         "MongoDB", "Redis", "Docker", "Kubernetes", "AWS", "Terraform", "Git", "Kafka",
         "GraphQL", "React", "Linux", "CI/CD", "Microservices", "TDD", "Scrum"),
    ),
    "data": (
        (("Cientista de Dados", "Cientista de Dados", "Data Scientist"),
         ("Engenheiro de Dados", "Engenheira de Dados", "Data Engineer"),
         ("Analista de BI", "Analista de BI", "BI Analyst")),
        ("Python", "SQL", "Pandas", "scikit-learn", "Apache Spark", "Airflow", "dbt",
         "Power BI", "Tableau", "BigQuery", "Snowflake", "Databricks", "Statistics",
         "Machine Learning", "Looker", "Excel", "PyTorch", "ETL"),
    ),
    "finance": (
        (("Analista Financeiro", "Analista Financeira", "Financial Analyst"),
         ("Assistente Contábil", "Assistente Contábil", "Accounting Assistant"),
         ("Controller", "Controller", "Controller")),
        ("Excel", "SAP", "TOTVS", "Power BI", "Accounts Payable", "Accounts Receivable",
         "Cash Flow", "Budgeting", "IFRS", "Auditing", "Tax", "SQL", "Financial Analysis"),
    ),
    "design": (
        (("Designer de Produto", "Designer de Produto", "Product Designer"),
         ("Designer UX", "Designer UX", "UX Designer"),
         ("Designer Gráfico", "Designer Gráfica", "Graphic Designer")),
        ("Figma", "Adobe XD", "Illustrator", "Photoshop", "InDesign", "UX Research",
         "Design Thinking", "Sketch", "Canva", "HTML", "CSS", "Jira", "Notion"),
    ),
    "operations": (
        (("Coordenador de Logística", "Coordenadora de Logística", "Logistics Coordinator"),
         ("Supervisor de Operações", "Supervisora de Operações", "Operations Supervisor"),
         ("Comprador", "Compradora", "Buyer")),
        ("SAP", "Excel", "Supply Chain", "Inventory Management", "Procurement", "Lean",
         "Six Sigma", "Kaizen", "Power BI", "Negotiation", "Process Improvement", "5S"),
    ),
}  # fmt: skip

# Where a level goes: pt after the title ("Analista Sênior"), en before it, but "II" after.
_LEVEL = {
    "pt": ("Sr.", "Sênior", "Jr.", "Pleno", "III", ""),
    "en": ("Sr.", "Senior", "Lead", "II", ""),
}
_LEVEL_AFTER = {"pt": {"Sr.", "Sênior", "Jr.", "Pleno", "III"}, "en": {"II"}}

_COMPANIES = {
    "BR": ("Tramontina Digital", "Grupo Boticário", "Cielo", "Localiza&Co", "Stone Pagamentos",
           "Arco Educação", "Magazine Luiza", "Ambev Tech", "CI&T", "Zup Innovation",
           "Hospital Sírio-Libanês", "Embraer", "Natura &Co", "Ultrapar", "Vivo (Telefônica)"),
    "INTL": ("Globant", "Shopify", "Ocado Group", "Farfetch", "Cabify", "Mercado Libre",
             "Rappi", "Wayfair", "Deliveroo", "Bimbo", "Telefónica", "Critical Software",
             "Accenture", "Thoughtworks", "Unbabel"),
}  # fmt: skip

_SCHOOLS = {
    "BR": ("Universidade Federal de Pernambuco (UFPE)", "PUC-Rio", "Universidade de São Paulo",
           "UNICAMP", "Universidade Federal do Ceará", "Mackenzie", "FGV EAESP", "UFSC"),
    "INTL": ("University of Texas at Austin", "Universidade do Porto", "Universidad de Buenos Aires",
             "University of Manchester", "Universidad Complutense de Madrid", "McGill University",
             "Tecnológico de Monterrey", "Northeastern University"),
}  # fmt: skip
_DEGREES = {
    "pt": ("Bacharelado em {f}", "Tecnólogo em {f}", "MBA em {f}", "Pós-graduação em {f}"),
    "en": ("B.Sc. in {f}", "Bachelor of Science, {f}", "MBA, {f}", "M.Sc. {f}"),
}
_DEGREE_FIELDS = {
    "software": ("Ciência da Computação", "Computer Science"),
    "data": ("Estatística Aplicada", "Applied Statistics"),
    "finance": ("Ciências Contábeis", "Accountancy"),
    "design": ("Design", "Design"),
    "operations": ("Engenharia de Produção", "Industrial Engineering"),
}

_BULLETS = {
    "pt": ("Conduzi a migração de {s} para {s2}, cortando {p}% do custo mensal",
           "Criei rotinas em {s} que pouparam {n} horas por semana da equipe",
           "Mentoria de {n} pessoas recém-contratadas",
           "Padronizei o uso de {s} em {n} squads",
           "Reduzi o tempo de fechamento de {n} para {m} dias com {s}",
           "Negociei contratos com {n} fornecedores, economia de R$ {n}0 mil ao ano",
           "Atendimento a clientes internos e elaboração de relatórios gerenciais",
           "Entreguei {n} projetos no prazo usando {s} e {s2}"),
    "en": ("Drove the move from {s} to {s2}, trimming monthly spend by {p}%",
           "Wrote {s} tooling that saves the team {n} hours a week",
           "Mentored {n} new hires through their first quarter",
           "Rolled {s} out across {n} product teams",
           "Cut month-end close from {n} to {m} days with {s}",
           "Negotiated with {n} suppliers, saving ${n}0k a year",
           "Day-to-day reporting for the leadership team",
           "Shipped {n} projects on schedule with {s} and {s2}"),
}  # fmt: skip

_SUMMARIES = {
    "pt": ("{h} com {n} anos de estrada, hoje focado em {s} e {s2}.",
           "Profissional de {fw} que gosta de resolver problemas difíceis com {s}. Busco "
           "um time onde possa crescer e ensinar.",
           "Atuo há {n} anos como {hl}; experiência sólida com {s}, {s2} e {s3}."),
    "en": ("{h} with {n} years behind me, lately focused on {s} and {s2}.",
           "{fw} professional who enjoys hard problems and {s}. Looking for a team to grow "
           "with and to teach.",
           "{n} years as a {hl}; hands-on with {s}, {s2} and {s3}."),
}  # fmt: skip
_FIELD_WORDS = {
    "software": ("tecnologia", "Technology"), "data": ("dados", "Data"),
    "finance": ("finanças corporativas", "Corporate finance"), "design": ("design", "Design"),
    "operations": ("operações", "Operations"),
}  # fmt: skip

HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "summary": {"pt": ("Perfil", "Sobre Mim", "Apresentação", "Objetivo Profissional", "Resumo Profissional"),
                "en": ("Profile", "About Me", "Professional Summary", "Objective", "Summary")},
    "experience": {"pt": ("Trajetória Profissional", "Histórico Profissional", "Experiências",
                          "Atuação Profissional", "Experiência Profissional"),
                   "en": ("Work History", "Professional Experience", "Employment History",
                          "Career History", "Relevant Experience")},
    "education": {"pt": ("Formação Acadêmica", "Escolaridade", "Educação", "Formação"),
                  "en": ("Education", "Academic Background", "Qualifications", "Education & Training")},
    "skills": {"pt": ("Competências", "Habilidades Técnicas", "Conhecimentos Técnicos", "Tecnologias"),
               "en": ("Core Competencies", "Technical Skills", "Tech Stack", "Skills & Tools")},
    "languages": {"pt": ("Idiomas", "Línguas"), "en": ("Languages", "Language Skills")},
    "certifications": {"pt": ("Certificações", "Cursos e Certificações", "Cursos Complementares"),
                       "en": ("Certifications", "Licenses & Certifications", "Courses")},
    "projects": {"pt": ("Projetos", "Projetos Pessoais"), "en": ("Projects", "Selected Projects")},
    "other": {"pt": ("Contato", "Dados Pessoais", "Interesses"),
              "en": ("Contact", "Personal Details", "Interests")},
}  # fmt: skip

_MONTHS = {
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
           "setembro", "outubro", "novembro", "dezembro"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip
_NOW = {
    "pt": ("Presente", "até o momento", "Atualmente", "hoje"),
    "en": ("Present", "now", "Today"),
}

_SPOKEN = {  # key: (pt, en)
    "english": ("Inglês", "English"), "spanish": ("Espanhol", "Spanish"),
    "french": ("Francês", "French"), "german": ("Alemão", "German"),
    "italian": ("Italiano", "Italian"), "portuguese": ("Português", "Portuguese"),
}  # fmt: skip
_SPOKEN_LEVELS = {
    "pt": ("avançado", "intermediário", "fluente", "básico", "C1", "B2", "nível técnico"),
    "en": ("fluent", "professional working proficiency", "conversational", "C1", "B2", "basic"),
}  # fmt: skip
_INTERESTS = {"pt": "Corrida de rua, fotografia analógica e voluntariado.",
              "en": "Trail running, film photography and volunteering."}  # fmt: skip


# --- skill labels ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _skill_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each canonical skill with a whole-word pattern over its name and aliases.

    Names in the taxonomy's case-sensitive list must match their case ("Go", "Word");
    one- and two-letter aliases are left out: outside a list they are initials and noise.
    """
    data = json.loads(_TAXONOMY.read_text(encoding="utf-8"))
    exact = set(data["case_sensitive"])
    out = []
    for skills in data["categories"].values():
        for canonical, aliases in skills.items():
            names = [n for n in (canonical, *aliases) if len(n) > 2 or n == canonical]
            parts = []
            for name in names:
                body = re.escape(_fold(name))
                parts.append(body if name in exact else f"(?i:{body})")
            out.append((canonical, re.compile(rf"(?<![\w@./+#-])(?:{'|'.join(parts)})(?![\w+#])")))
    return tuple(out)


def skills_written(lines: list[str]) -> set[str]:
    text = _fold("\n".join(lines))
    return {canonical for canonical, pattern in _skill_patterns() if pattern.search(text)}


def _aliases(skill: str) -> list[str]:
    data = json.loads(_TAXONOMY.read_text(encoding="utf-8"))
    for skills in data["categories"].values():
        if skill in skills:
            return [a for a in skills[skill] if len(a) > 3]
    return []


def _write_skill(rng: random.Random, skill: str, lang: str) -> str:
    # English CVs write the English name; Brazilian ones mix in the taxonomy's aliases.
    aliases = _aliases(skill) if lang == "pt" else []
    return rng.choice(aliases) if aliases and rng.random() < 0.3 else skill


# --- pieces ----------------------------------------------------------------------------------


def _date(rng: random.Random, lang: str, style: str, year: int, month: int) -> str:
    if style == "mm/yyyy":
        return f"{month:02d}/{year}"
    if style == "mm.yyyy":
        return f"{month:02d}.{year}"
    if style == "month yyyy":
        word = _MONTHS[lang][month - 1]
        return f"{word} de {year}" if lang == "pt" and rng.random() < 0.5 else f"{word} {year}"
    if style == "mon/yy":
        return f"{_MONTHS[lang][month - 1][:3].lower()}/{year % 100:02d}"
    return f"{_MONTHS[lang][month - 1][:3].capitalize()} {year}"


def _duration(lang: str, months: int) -> str:
    years, rest = divmod(months, 12)
    if lang == "pt":
        bits = [f"{years} {'ano' if years == 1 else 'anos'}"] if years else []
        bits += [f"{rest} {'mês' if rest == 1 else 'meses'}"] if rest else []
        return " e ".join(bits)
    bits = [f"{years} {'yr' if years == 1 else 'yrs'}"] if years else []
    bits += [f"{rest} {'mo' if rest == 1 else 'mos'}"] if rest else []
    return " ".join(bits)


def _experience(
    rng: random.Random, lang: str, person: Person, field_name: str, skills: list[str]
) -> tuple[list[Job], list[list[str]], str]:
    titles, _ = _FIELDS[field_name]
    companies = list(_COMPANIES["BR" if person.country == "BR" else "INTL"])
    rng.shuffle(companies)
    style = rng.choice(("mm/yyyy", "mm.yyyy", "month yyyy", "mon/yy", "Mon yyyy"))
    shape = rng.choice(("at", "company_dash_title", "pipes", "company_line", "title_line_company"))
    dash = rng.choice((" – ", " - ", " — ", " até " if lang == "pt" else " to "))
    show_duration = rng.random() < 0.3
    cursor = TODAY[0] * 12 + TODAY[1] - 1
    jobs: list[Job] = []
    entries: list[list[str]] = []
    count = rng.choice((2, 2, 3, 3, 4))
    number = 0
    headline = ""
    while number < count:
        company = companies[number % len(companies)]
        # Sometimes one company, several roles: the company once, each role under it.
        roles = 2 if shape == "company_line" and rng.random() < 0.5 and number + 1 < count else 1
        entry: list[str] = [company] if shape == "company_line" else []
        for _ in range(roles):
            current = number == 0 and rng.random() < 0.6
            end = cursor if current else cursor - rng.randint(0, 4)
            start = end - rng.randint(6, 40)
            cursor = start - 1
            sy, sm = divmod(start, 12)
            ey, em = divmod(end, 12)
            pt_m, pt_f, en = rng.choice(titles)
            title = en if lang == "en" else (pt_f if person.feminine else pt_m)
            level = rng.choice(_LEVEL[lang])
            if level:
                title = f"{title} {level}" if level in _LEVEL_AFTER[lang] else f"{level} {title}"
            headline = headline or title
            when = f"{_date(rng, lang, style, sy, sm + 1)}{dash}"
            when += rng.choice(_NOW[lang]) if current else _date(rng, lang, style, ey, em + 1)
            if show_duration:
                when += f" · {_duration(lang, end - start + 1)}"
            place = person.city if rng.random() < 0.3 else ""
            jobs.append(
                Job(title, company, f"{sy}-{sm + 1:02d}", None if current else f"{ey}-{em + 1:02d}")
            )
            if shape == "at":
                word = (
                    rng.choice((" na ", " no ", " @ "))
                    if lang == "pt"
                    else rng.choice((" at ", " @ "))
                )
                head = [f"{title}{word}{company}", when + (f" | {place}" if place else "")]
            elif shape == "company_dash_title":
                head = [f"{company} — {title}", when]
            elif shape == "pipes":
                head = [f"{title} | {company} | {when}"]
            elif shape == "company_line":
                head = [title, when + (f" · {place}" if place else "")]
            else:
                head = [title, company + (f", {place}" if place else ""), when]
            marker = rng.choice(("• ", "– ", "▪ ", "► "))
            bullets = []
            for template in rng.sample(_BULLETS[lang], rng.randint(2, 4)):
                s, s2 = rng.sample(skills, 2)
                n = rng.randint(3, 12)
                bullets.append(marker + template.format(
                    s=_write_skill(rng, s, lang), s2=_write_skill(rng, s2, lang), p=rng.randint(8, 45),
                    n=n, m=max(1, n - rng.randint(1, 2))))  # fmt: skip
            entry += head + bullets
            number += 1
        entries.append(entry)
    return jobs, entries, headline


def _personal_details(rng: random.Random, lang: str, person: Person) -> tuple[list[str], set[str]]:
    """The details some Brazilian CVs carry and recruiters should not need."""
    if person.country != "BR" or lang != "pt" or rng.random() < 0.55:
        return [], set()
    kinds: set[str] = set()
    lines = []
    age = rng.randint(21, 55)
    nationality = "Brasileira" if person.feminine else "Brasileiro"
    marital = rng.choice(("solteira", "casada", "divorciada") if person.feminine
                         else ("solteiro", "casado", "divorciado"))  # fmt: skip
    if rng.random() < 0.6:
        lines.append(f"{nationality}, {marital}, {age} anos")
        kinds |= {"marital_status", "age"}
    if rng.random() < 0.5:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), TODAY[0] - age
        lines.append(f"Data de nascimento: {day:02d}/{month:02d}/{year}")
        kinds.add("birth_date")
    if rng.random() < 0.4:
        d = [rng.randint(0, 9) for _ in range(9)]
        lines.append(
            f"CPF: {d[0]}{d[1]}{d[2]}.{d[3]}{d[4]}{d[5]}.{d[6]}{d[7]}{d[8]}-{rng.randint(10, 99)}"
        )
        kinds.add("cpf")
    if rng.random() < 0.2:
        lines.append(
            f"RG: {rng.randint(10, 99)}.{rng.randint(100, 999)}.{rng.randint(100, 999)}-{rng.randint(0, 9)}"
        )
        kinds.add("rg")
    if not lines:
        lines.append(f"{nationality}, {marital}")
        kinds.add("marital_status")
    return lines, kinds


def _heading(rng: random.Random, kind: str, lang: str) -> str:
    text = rng.choice(HEADINGS[kind][lang])
    return text.upper() if rng.random() < 0.4 else text


def make_cv(rng: random.Random, ident: str) -> Cv:
    lang = "pt" if rng.random() < 0.55 else "en"
    person = make_person(rng, lang)
    field_name = rng.choice(sorted(_FIELDS))
    _, pool = _FIELDS[field_name]
    skills = rng.sample(pool, rng.randint(6, min(12, len(pool))))
    jobs, entries, headline = _experience(rng, lang, person, field_name, skills)

    slug = re.sub(r"[^a-z0-9]+", "-", _fold(person.name_label).lower()).strip("-")
    linkedin = f"https://www.linkedin.com/in/{slug}" if rng.random() < 0.6 else None
    contact = [person.email, *(p.printed for p in person.phones), person.location_printed]
    if linkedin:
        contact.append(linkedin.removeprefix("https://www."))
    rng.shuffle(contact)
    if rng.random() < 0.4:  # labels in front of some items
        contact = [
            (("Telefone: " if lang == "pt" else "Phone: ") + item)
            if any(item == p.printed for p in person.phones)
            else item
            for item in contact
        ]
    personal, personal_kinds = _personal_details(rng, lang, person)

    parts: list[Part] = []
    n_years = max(1, (TODAY[0] * 12 - int(jobs[-1].start[:4]) * 12) // 12)
    s1, s2, s3 = (_write_skill(rng, s, lang) for s in rng.sample(skills, 3))
    fw_pt, fw_en = _FIELD_WORDS[field_name]
    summary = rng.choice(_SUMMARIES[lang]).format(
        h=headline, hl=headline.lower(), n=n_years, s=s1, s2=s2, s3=s3,
        fw=fw_pt if lang == "pt" else fw_en,
    )  # fmt: skip
    if rng.random() < 0.85:
        parts.append(Part("summary", _heading(rng, "summary", lang), [summary]))
    parts.append(
        Part("experience", _heading(rng, "experience", lang), [x for e in entries for x in e],
             entries=entries)
    )  # fmt: skip
    school = rng.choice(_SCHOOLS["BR" if person.country == "BR" else "INTL"])
    degree = rng.choice(_DEGREES[lang]).format(f=_DEGREE_FIELDS[field_name][lang == "en"])
    year = rng.randint(2008, 2022)
    edu_shape = rng.random()
    if edu_shape < 0.4:
        edu = [degree, school, f"{year - 4} – {year}"]
    elif edu_shape < 0.7:
        edu = [f"{degree}, {school} ({year})"]
    else:
        edu = [f"{school} — {degree}", str(year)]
    parts.append(Part("education", _heading(rng, "education", lang), edu, entries=[edu]))

    written = [_write_skill(rng, s, lang) for s in skills]
    skill_shape = rng.choice(("commas", "bullets", "dots", "grouped", "two_per_line"))
    if skill_shape == "commas":
        skill_lines = [", ".join(written) + "."]
    elif skill_shape == "bullets":
        skill_lines = [f"• {w}" for w in written]
    elif skill_shape == "dots":
        skill_lines = [" · ".join(written)]
    elif skill_shape == "two_per_line":
        skill_lines = [" / ".join(written[i : i + 2]) for i in range(0, len(written), 2)]
    else:
        half = len(written) // 2
        tag = ("Principais", "Também") if lang == "pt" else ("Primary", "Also")
        skill_lines = [
            f"{tag[0]}: {', '.join(written[:half])}",
            f"{tag[1]}: {', '.join(written[half:])}",
        ]
    parts.append(Part("skills", _heading(rng, "skills", lang), skill_lines, side=True))

    spoken_keys: set[str] = set()
    if rng.random() < 0.8:
        lines = []
        for key in rng.sample(sorted(_SPOKEN), rng.randint(1, 3)):
            pt, en = _SPOKEN[key]
            level = rng.choice(_SPOKEN_LEVELS[lang])
            lines.append(
                f"{pt if lang == 'pt' else en}{rng.choice((' — ', ': ', ' (', ' - '))}{level}"
            )
            lines[-1] += ")" if lines[-1].count("(") else ""
            spoken_keys.add(key)
        parts.append(Part("languages", _heading(rng, "languages", lang), lines, side=True))
    if rng.random() < 0.3:
        parts.append(
            Part("certifications", _heading(rng, "certifications", lang),
                 [f"{rng.choice(('AWS Certified Cloud Practitioner', 'Scrum Foundation', 'PMP', 'Google Data Analytics'))} ({rng.randint(2018, 2024)})"])
        )  # fmt: skip
    if rng.random() < 0.2:
        parts.append(Part("other", HEADINGS["other"][lang][2], [_INTERESTS[lang]]))
    if rng.random() < 0.35:
        rng.shuffle(parts)  # section order varies; the layouts keep sidebars apart anyway

    photo = rng.random() < 0.35
    personal_kinds |= {"photo"} if photo else set()
    kinds = {p.kind for p in parts}
    contact_heading = rng.random() < 0.4
    if contact_heading:
        kinds.add("other")
    scanned = [summary, *(x for e in entries for x in e), *skill_lines, *edu[:1]]
    labels = Labels(
        name=person.name_label,
        email=person.email.lower(),
        # The first number printed is the one a single-phone field should hold.
        phone=next(p for c in contact for p in person.phones if c.endswith(p.printed)).e164,
        phones=tuple(p.e164 for p in person.phones),
        linkedin=linkedin,
        location=person.location_label,
        sections=frozenset(kinds),
        skills=frozenset(skills_written(scanned)),
        experience=tuple(jobs),
        languages=frozenset(spoken_keys),
        personal_data=frozenset(personal_kinds),
    )
    return Cv(
        ident=ident,
        lang=lang,
        person=person,
        headline=headline,
        contact=contact,
        personal=personal,
        parts=parts,
        labels=labels,
        style={
            "photo": photo,
            "contact_heading": contact_heading,
            "sidebar_right": rng.random() < 0.5,
            "name_size": rng.choice((16, 18, 20, 24, 28)),
            "body_size": rng.choice((8.5, 9, 9.5, 10, 11)),
            "font": rng.choice(("Times", "Courier", "Vera", "DejaVu", "DejaVuSerif")),
            "main_first": rng.random() < 0.5,
            "docx_contact_in_header": rng.random() < 0.25,
            "docx_name_after_contact": rng.random() < 0.3,
        },
    )


def generate(count: int = 150, seed: int = 4242) -> list[Cv]:
    """``count`` CVs; the same arguments always give the same CVs."""
    rng = random.Random(seed)
    return [make_cv(rng, f"ind{number:04d}") for number in range(count)]
