"""Synthetic CVs with ground-truth labels, generated deterministically from a seed.

Each ``SyntheticCv`` holds its content as blocks (a heading and its lines) split into
the part a sidebar would hold (contact, skills, languages) and the main part (summary,
experience, education...), so every layout in ``render`` tells the same facts. The
labels are what a perfect parser would return: the name as written (title-cased when
written in capitals), the email lower-cased, the phone in E.164, the LinkedIn URL
rebuilt as ``https://www.linkedin.com/in/<slug>``, the location as "City - UF" or
"City, Country", the section kinds present, the canonical skills mentioned anywhere
(job titles and certificates included) and each job's title, company and dates.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

# Fixed "today", so the corpus does not change with the calendar.
TODAY_YEAR, TODAY_MONTH = 2025, 6
_TAXONOMY = Path(__file__).resolve().parents[2] / "consumers" / "parsing" / "skills_taxonomy.json"


@dataclass(frozen=True, slots=True)
class JobLabel:
    title: str
    company: str
    start: str  # YYYY-MM
    end: str | None  # YYYY-MM, None when current


@dataclass(frozen=True, slots=True)
class Labels:
    name: str
    email: str
    phone: str  # E.164
    linkedin: str | None
    github: str | None
    location: str
    sections: frozenset[str]
    skills: frozenset[str]
    experience: tuple[JobLabel, ...]
    languages: frozenset[str]  # English names, lower-case ("english", "spanish")


@dataclass(slots=True)
class Block:
    """A section: its kind (a ``SectionKind`` value), heading as printed, body lines.

    Body lines starting with "• " are bullets; ``entries`` groups the lines of
    experience/education entries so layouts can space them apart.
    """

    kind: str
    heading: str
    lines: list[str]
    entries: list[list[str]] = field(default_factory=list)


@dataclass(slots=True)
class SyntheticCv:
    ident: str
    lang: str  # "pt" or "en"
    name_line: str
    headline: str
    contact_heading: str | None
    contact_lines: list[str]
    contact_items: list[str]  # one per line, as a sidebar lists them
    side: list[Block]
    main: list[Block]
    labels: Labels
    # Layout choices drawn once per person, so every rendering of it agrees.
    style: dict[str, Any] = field(default_factory=dict)


# --- people -------------------------------------------------------------------------

_BR_FIRST_F = [
    "Ana",
    "Maria",
    "Juliana",
    "Fernanda",
    "Camila",
    "Beatriz",
    "Larissa",
    "Letícia",
    "Gabriela",
    "Mariana",
    "Patrícia",
    "Aline",
    "Luana",
    "Natália",
    "Bruna",
    "Jéssica",
    "Vitória",
    "Isabela",
    "Lívia",
    "Débora",
    "Raquel",
    "Cecília",
    "Lúcia",
    "Tânia",
    "Sônia",
    "Conceição",
    "Francisca",
    "Antônia",
    "Luíza",
    "Heloísa",
    "Giovana",
    "Rafaela",
    "Thaís",
    "Priscila",
]
_BR_FIRST_M = [
    "João",
    "José",
    "Carlos",
    "Paulo",
    "Pedro",
    "Lucas",
    "Luiz",
    "Marcos",
    "Gabriel",
    "Rafael",
    "Daniel",
    "Marcelo",
    "Bruno",
    "Eduardo",
    "Felipe",
    "Rodrigo",
    "André",
    "Fernando",
    "Fábio",
    "Leandro",
    "Gustavo",
    "Thiago",
    "Vinícius",
    "Caio",
    "Otávio",
    "Sérgio",
    "Márcio",
    "Antônio",
    "Cauã",
    "Henrique",
    "Mateus",
    "Heitor",
    "Davi",
    "Luís",
    "Júlio",
    "Ícaro",
]
_BR_SURNAMES = [
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
    "Martins",
    "Carvalho",
    "Almeida",
    "Lopes",
    "Soares",
    "Fernandes",
    "Vieira",
    "Barbosa",
    "Rocha",
    "Dias",
    "Nascimento",
    "Andrade",
    "Moreira",
    "Nunes",
    "Marques",
    "Machado",
    "Mendes",
    "Freitas",
    "Cardoso",
    "Ramos",
    "Gonçalves",
    "Araújo",
    "Teixeira",
    "Correia",
    "Cavalcanti",
    "Magalhães",
    "Brandão",
    "Falcão",
    "Guimarães",
    "Conceição",
    "Figueiredo",
    "Sá",
    "Leão",
    "Assunção",
    "Bittencourt",
    "Albuquerque",
    "Peixoto",
    "Queiroz",
    "Monteiro",
    "Aragão",
    "Damasceno",
]
_BR_PARTICLES = ("da", "de", "dos", "das", "do")
_INTL_PEOPLE = {
    "first_f": [
        "Emily",
        "Sarah",
        "Olivia",
        "Sofía",
        "Lucía",
        "Priya",
        "Ananya",
        "Chloé",
        "Ingrid",
        "Aoife",
        "Mei",
        "Hannah",
    ],
    "first_m": [
        "James",
        "Michael",
        "David",
        "Daniel",
        "Liam",
        "Rahul",
        "Arjun",
        "Javier",
        "Mateo",
        "Lukas",
        "Étienne",
        "Kenji",
    ],
    "last": [
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "García",
        "Martínez",
        "Sharma",
        "Patel",
        "Müller",
        "Schmidt",
        "O'Brien",
        "Dubois",
        "Nakamura",
        "Kowalski",
        "Rossi",
        "Jensen",
        "Fernández",
        "Nguyen",
        "Murphy",
        "MacLeod",
    ],
    "particles": ("van", "von", "de", "del"),
}

_BR_CITIES = [
    ("São Paulo", "SP", 11),
    ("Campinas", "SP", 19),
    ("Santos", "SP", 13),
    ("Ribeirão Preto", "SP", 16),
    ("São José dos Campos", "SP", 12),
    ("Rio de Janeiro", "RJ", 21),
    ("Niterói", "RJ", 21),
    ("Belo Horizonte", "MG", 31),
    ("Uberlândia", "MG", 34),
    ("Juiz de Fora", "MG", 32),
    ("Curitiba", "PR", 41),
    ("Londrina", "PR", 43),
    ("Porto Alegre", "RS", 51),
    ("Caxias do Sul", "RS", 54),
    ("Florianópolis", "SC", 48),
    ("Joinville", "SC", 47),
    ("Recife", "PE", 81),
    ("Salvador", "BA", 71),
    ("Fortaleza", "CE", 85),
    ("Natal", "RN", 84),
    ("João Pessoa", "PB", 83),
    ("Maceió", "AL", 82),
    ("Aracaju", "SE", 79),
    ("Teresina", "PI", 86),
    ("São Luís", "MA", 98),
    ("Belém", "PA", 91),
    ("Manaus", "AM", 92),
    ("Goiânia", "GO", 62),
    ("Brasília", "DF", 61),
    ("Campo Grande", "MS", 67),
    ("Cuiabá", "MT", 65),
    ("Vitória", "ES", 27),
]
_INTL_PLACES = [
    ("Lisboa", "Portugal", "+351 912 345 678", "+351912345678"),
    ("Porto", "Portugal", "+351 22 123 4567", "+351221234567"),
    ("Toronto", "Canada", "+1 (416) 555-0134", "+14165550134"),
    ("Austin", "USA", "+1 512 555 0187", "+15125550187"),
    ("London", "United Kingdom", "+44 20 7946 0958", "+442079460958"),
    ("Dublin", "Ireland", "+353 1 234 5678", "+35312345678"),
    ("Berlin", "Germany", "+49 30 12345678", "+493012345678"),
    ("Madrid", "Spain", "+34 612 345 678", "+34612345678"),
    ("Amsterdam", "Netherlands", "+31 6 1234 5678", "+31612345678"),
    ("Buenos Aires", "Argentina", "+54 11 2345-6789", "+541123456789"),
]
_EMAIL_DOMAINS_BR = ("gmail.com", "hotmail.com", "outlook.com", "yahoo.com.br", "uol.com.br")
_EMAIL_DOMAINS_INTL = ("gmail.com", "outlook.com", "proton.me", "icloud.com", "mail.co.uk")

# --- work -----------------------------------------------------------------------------

# (pt masculine, pt feminine, en, skills the title itself names)
_Title = tuple[str, str, str, frozenset[str]]


def _t(pt_m: str, pt_f: str, en: str, *skills: str) -> _Title:
    return pt_m, pt_f, en, frozenset(skills)


@dataclass(frozen=True, slots=True)
class _Profile:
    titles: tuple[_Title, ...]
    skills: tuple[str, ...]
    degrees: tuple[tuple[str, ...], ...]  # (pt, en, skills the degree's name says...)


_PROFILES: dict[str, _Profile] = {
    "backend": _Profile(
        (
            _t("Desenvolvedor Backend", "Desenvolvedora Backend", "Backend Developer", "Back-end"),
            _t("Engenheiro de Software", "Engenheira de Software", "Software Engineer"),
            _t("Desenvolvedor Python", "Desenvolvedora Python", "Python Developer", "Python"),
            _t("Desenvolvedor Java", "Desenvolvedora Java", "Java Developer", "Java"),
            _t(
                "Desenvolvedor Full Stack",
                "Desenvolvedora Full Stack",
                "Full Stack Developer",
                "Full Stack",
            ),
        ),
        (
            "Python",
            "Java",
            "Go",
            "Node.js",
            "TypeScript",
            "Django",
            "FastAPI",
            "Flask",
            "Spring Boot",
            "PostgreSQL",
            "MySQL",
            "MongoDB",
            "Redis",
            "Kafka",
            "RabbitMQ",
            "Docker",
            "Kubernetes",
            "AWS",
            "Git",
            "REST APIs",
            "Microservices",
            "TDD",
            "SQL",
            "Linux",
            "GraphQL",
            "C#",
            ".NET",
            "PHP",
            "Laravel",
            "Scrum",
        ),
        (
            ("Ciência da Computação", "Computer Science"),
            ("Engenharia de Computação", "Computer Engineering"),
        ),
    ),
    "frontend": _Profile(
        (
            _t(
                "Desenvolvedor Front-end",
                "Desenvolvedora Front-end",
                "Front-end Developer",
                "Front-end",
            ),
            _t("Desenvolvedor Mobile", "Desenvolvedora Mobile", "Mobile Developer"),
            _t("Engenheiro de Software", "Engenheira de Software", "Software Engineer"),
        ),
        (
            "JavaScript",
            "TypeScript",
            "React",
            "Angular",
            "Vue.js",
            "Next.js",
            "HTML",
            "CSS",
            "Sass",
            "Tailwind CSS",
            "Redux",
            "Jest",
            "Cypress",
            "Figma",
            "Git",
            "Webpack",
            "React Native",
            "Flutter",
            "Kotlin",
            "Swift",
            "Storybook",
            "GraphQL",
            "Node.js",
        ),
        (
            ("Sistemas de Informação", "Information Systems"),
            ("Ciência da Computação", "Computer Science"),
        ),
    ),
    "data": _Profile(
        (
            _t("Cientista de Dados", "Cientista de Dados", "Data Scientist"),
            _t("Analista de Dados", "Analista de Dados", "Data Analyst"),
            _t("Engenheiro de Dados", "Engenheira de Dados", "Data Engineer"),
            _t("Analista de BI", "Analista de BI", "BI Analyst", "Business Intelligence"),
        ),
        (
            "Python",
            "SQL",
            "Pandas",
            "NumPy",
            "scikit-learn",
            "TensorFlow",
            "PyTorch",
            "Machine Learning",
            "Deep Learning",
            "Apache Spark",
            "Airflow",
            "dbt",
            "Databricks",
            "Power BI",
            "Tableau",
            "Looker",
            "BigQuery",
            "Snowflake",
            "ETL",
            "Statistics",
            "Data Analysis",
            "Data Visualization",
            "Excel",
            "R",
            "NLP",
            "Jupyter",
            "AWS",
        ),
        (
            ("Estatística", "Statistics", "Statistics"),
            ("Engenharia de Produção", "Industrial Engineering"),
            ("Economia", "Economics"),
        ),
    ),
    "devops": _Profile(
        (
            _t("Engenheiro DevOps", "Engenheira DevOps", "DevOps Engineer", "DevOps"),
            _t(
                "Analista de Infraestrutura", "Analista de Infraestrutura", "Infrastructure Analyst"
            ),
            _t(
                "Engenheiro de Confiabilidade",
                "Engenheira de Confiabilidade",
                "Site Reliability Engineer",
            ),
        ),
        (
            "AWS",
            "Microsoft Azure",
            "Google Cloud",
            "Docker",
            "Kubernetes",
            "Terraform",
            "Ansible",
            "Jenkins",
            "GitHub Actions",
            "GitLab CI",
            "CI/CD",
            "Linux",
            "Prometheus",
            "Grafana",
            "Datadog",
            "Nginx",
            "Helm",
            "Python",
            "Shell Script",
            "Networking",
        ),
        (
            ("Redes de Computadores", "Computer Networks", "Networking"),
            ("Sistemas de Informação", "Information Systems"),
        ),
    ),
    "product": _Profile(
        (
            _t("Product Owner", "Product Owner", "Product Owner"),
            _t("Gerente de Produto", "Gerente de Produto", "Product Manager"),
            _t("Scrum Master", "Scrum Master", "Scrum Master", "Scrum"),
            _t("Designer de Produto", "Designer de Produto", "Product Designer"),
        ),
        (
            "Scrum",
            "Kanban",
            "Agile",
            "Jira",
            "Confluence",
            "Figma",
            "Design Thinking",
            "OKR",
            "Product Discovery",
            "UX Research",
            "SQL",
            "Google Analytics",
            "Notion",
            "A/B Testing",
            "Trello",
            "Product Management",
        ),
        (("Administração", "Business Administration"), ("Design", "Design")),
    ),
    "finance": _Profile(
        (
            _t("Analista Financeiro", "Analista Financeira", "Financial Analyst", "Finance"),
            _t("Assistente Contábil", "Assistente Contábil", "Accounting Assistant", "Accounting"),
            _t(
                "Analista de Controladoria",
                "Analista de Controladoria",
                "Controller",
                "Controlling",
            ),
        ),
        (
            "Excel",
            "Power BI",
            "SAP",
            "Financial Analysis",
            "Budgeting",
            "Cash Flow",
            "Accounts Payable",
            "Accounts Receivable",
            "IFRS",
            "Auditing",
            "Tax",
            "VBA",
            "Cost Accounting",
            "Bookkeeping",
            "Microsoft Office",
        ),
        (
            ("Ciências Contábeis", "Accounting"),
            ("Economia", "Economics"),
            ("Administração", "Business Administration"),
        ),
    ),
    "marketing": _Profile(
        (
            _t(
                "Analista de Marketing Digital",
                "Analista de Marketing Digital",
                "Digital Marketing Analyst",
                "Digital Marketing",
            ),
            _t(
                "Coordenador de Marketing",
                "Coordenadora de Marketing",
                "Marketing Coordinator",
                "Marketing",
            ),
            _t("Social Media", "Social Media", "Social Media Manager", "Social Media"),
        ),
        (
            "Google Ads",
            "Meta Ads",
            "SEO",
            "Google Analytics",
            "HubSpot",
            "Canva",
            "Photoshop",
            "Copywriting",
            "Content Marketing",
            "CRM",
            "Excel",
            "Illustrator",
            "Market Research",
            "E-commerce",
            "WordPress",
        ),
        (
            ("Publicidade e Propaganda", "Advertising"),
            ("Comunicação Social", "Media Studies", "Communication"),
        ),
    ),
    "people": _Profile(
        (
            _t(
                "Analista de Recursos Humanos",
                "Analista de Recursos Humanos",
                "Human Resources Analyst",
                "Human Resources",
            ),
            _t(
                "Assistente Administrativo",
                "Assistente Administrativa",
                "Administrative Assistant",
                "Administration",
            ),
            _t(
                "Coordenador de Logística",
                "Coordenadora de Logística",
                "Logistics Coordinator",
                "Logistics",
            ),
        ),
        (
            "Recruitment",
            "Payroll",
            "People Management",
            "Excel",
            "Microsoft Office",
            "Customer Service",
            "Inventory Management",
            "Supply Chain",
            "Procurement",
            "Process Improvement",
            "SAP",
            "Power BI",
            "Negotiation",
            "TOTVS",
        ),
        (
            ("Psicologia", "Psychology"),
            ("Administração", "Business Administration"),
            ("Gestão Logística", "Logistics Management"),
        ),
    ),
}

_COMPANIES_BR = (
    "Nubank", "Stone Pagamentos S.A.", "Itaú Unibanco", "Magazine Luiza", "Ambev",
    "Natura", "Banco do Brasil", "Petrobras", "Embraer", "Localiza", "iFood",
    "Mercado Livre", "PicPay", "Cielo", "Grupo Boticário", "XP Investimentos", "CI&T",
    "Stefanini", "Raízen", "Gerdau", "WEG", "QuintoAndar", "Creditas", "Hotmart",
    "Ebanx", "Banco Inter", "C6 Bank", "Bradesco", "Dasa", "Sicredi", "Unimed",
    "Vivo", "Via Varejo", "Lojas Renner", "Loggi", "Olist", "Neoway", "Zup Innovation",
    "Movile", "Sympla", "Gympass", "Conta Azul", "Pismo", "Acme Tecnologia Ltda",
    "Padaria Pão Quente Ltda", "Construtora Horizonte", "Hospital Santa Clara",
)  # fmt: skip
_COMPANIES_INTL = (
    "Thoughtworks", "Accenture", "Spotify", "Booking.com", "Siemens", "Deloitte",
    "Globant", "Revolut", "Zalando", "Wise", "Stripe", "Shopee", "Unilever",
    "Procter & Gamble", "Globex Corporation", "Initech Inc", "Contoso Ltd",
)  # fmt: skip

_DEGREE_KINDS = {
    "pt": ("Bacharelado em {d}", "Graduação em {d}", "Tecnólogo em {d}", "MBA em {d}"),
    "en": ("Bachelor of Science in {d}", "B.Sc. in {d}", "BA in {d}", "Master of {d}"),
}
_SCHOOLS_BR = (
    "Universidade de São Paulo (USP)", "Universidade Estadual de Campinas (Unicamp)",
    "Universidade Federal de Minas Gerais (UFMG)", "Universidade Federal de Pernambuco",
    "Pontifícia Universidade Católica do Rio de Janeiro", "Universidade Presbiteriana Mackenzie",
    "Fundação Getulio Vargas (FGV)", "Universidade Federal do Rio Grande do Sul",
    "Faculdade de Informática e Administração Paulista (FIAP)", "Universidade Federal da Bahia",
    "Universidade Federal do Ceará", "Insper", "Universidade Federal de Santa Catarina",
)  # fmt: skip
_SCHOOLS_INTL = (
    "University of Toronto", "Universidade de Lisboa", "Technical University of Munich",
    "University of Texas at Austin", "Trinity College Dublin", "Universidad de Buenos Aires",
    "University of Manchester", "Universidad Complutense de Madrid",
)  # fmt: skip

_CERTS = (
    ("AWS Certified Solutions Architect – Associate", ("AWS",)),
    ("Professional Scrum Master I (PSM I)", ("Scrum",)),
    ("Microsoft Certified: Azure Fundamentals", ("Microsoft Azure",)),
    ("Google Analytics Individual Qualification", ("Google Analytics",)),
    ("ITIL 4 Foundation", ("ITIL",)),
    ("Certified Kubernetes Administrator (CKA)", ("Kubernetes",)),
    ("Lean Six Sigma Green Belt", ("Six Sigma",)),
    ("Power BI Data Analyst Associate", ("Power BI",)),
)

_BULLETS = {
    "pt": (
        "Desenvolvi soluções com {s} que reduziram o tempo de processamento em {p}%.",
        "Liderei a adoção de {s} por {n} equipes, com ganho de produtividade de {p}%.",
        "Implantei {s} e {s2} em produção, atendendo {n} mil usuários por dia.",
        "Automatizei rotinas usando {s}, economizando {n} horas por mês.",
        "Criei indicadores com {s} para a diretoria, acompanhados semanalmente.",
        "Conduzi a migração para {s}, reduzindo custos de infraestrutura em {p}%.",
        "Treinei {n} pessoas do time em boas práticas.",
        "Aumentei a satisfação dos clientes internos em {p}% em um ano.",
        "Participei de entrevistas técnicas e da integração de novos colegas.",
    ),
    "en": (
        "Built {s} services that cut processing time by {p}%.",
        "Led the adoption of {s} across {n} teams, raising throughput by {p}%.",
        "Shipped {s} and {s2} to production, serving {n}k users a day.",
        "Automated reports with {s}, saving {n} hours a month.",
        "Designed dashboards in {s} used weekly by the executive team.",
        "Drove the move to {s}, lowering infrastructure spend by {p}%.",
        "Mentored {n} new hires through their first quarter.",
        "Improved internal customer satisfaction by {p}% in one year.",
        "Took part in hiring loops and onboarding of new colleagues.",
    ),
}
_SUMMARIES = {
    "pt": (
        "{h} com {n} anos de experiência, atuando principalmente com {s}, {s2} e {s3}.",
        "Profissional de {n} anos de carreira, com foco em {s} e {s2}. Gosto de "
        "resolver problemas difíceis e de trabalhar perto das áreas de negócio.",
        "Atuo há {n} anos como {hl}, com vivência em {s}, {s2} e {s3}, sempre buscando "
        "entregas consistentes e colaboração.",
    ),
    "en": (
        "{h} with {n} years of experience, mostly working with {s}, {s2} and {s3}.",
        "{n} years into my career, focused on {s} and {s2}. I enjoy hard problems and "
        "working closely with business teams.",
        "I have worked as a {hl} for {n} years, with hands-on experience in {s}, {s2} "
        "and {s3}, aiming for steady delivery and collaboration.",
    ),
}

_HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "summary": {
        "pt": ("Resumo", "Resumo Profissional", "Perfil", "Perfil Profissional", "Sobre Mim",
               "Objetivo", "Apresentação", "Síntese Profissional", "Resumo de Qualificações"),
        "en": ("Summary", "Professional Summary", "Profile", "About Me", "Career Summary",
               "Objective", "Professional Profile", "Overview"),
    },
    "experience": {
        "pt": ("Experiência Profissional", "Experiências", "Histórico Profissional", "Experiência",
               "Trajetória Profissional", "Experiência Profissional Relevante",
               "Atuação Profissional", "Experiências Profissionais"),
        "en": ("Work Experience", "Professional Experience", "Experience", "Employment History",
               "Work History", "Career History", "Professional Background", "Relevant Experience"),
    },
    "education": {
        "pt": ("Formação Acadêmica", "Formação", "Educação", "Escolaridade", "Formação Escolar",
               "Formação Acadêmica e Complementar"),
        "en": ("Education", "Academic Background", "Education & Training", "Academic Education",
               "Educational Background"),
    },
    "skills": {
        "pt": ("Habilidades", "Competências", "Conhecimentos Técnicos", "Habilidades Técnicas",
               "Competências Técnicas", "Tecnologias", "Ferramentas e Tecnologias", "Hard Skills",
               "Principais Competências", "Conhecimentos"),
        "en": ("Skills", "Technical Skills", "Core Competencies", "Tech Stack", "Skills & Tools",
               "Key Skills", "Technologies", "Skills and Expertise"),
    },
    "languages": {
        "pt": ("Idiomas", "Línguas", "Línguas Estrangeiras", "Idioma"),
        "en": ("Languages", "Language Skills", "Languages Spoken"),
    },
    "certifications": {
        "pt": ("Certificações", "Cursos e Certificações", "Cursos Complementares", "Certificados"),
        "en": ("Certifications", "Licenses & Certifications", "Courses", "Certificates"),
    },
    "projects": {
        "pt": ("Projetos", "Projetos Pessoais", "Projetos Relevantes"),
        "en": ("Projects", "Personal Projects", "Selected Projects"),
    },
    "other": {
        "pt": ("Contato", "Contatos", "Informações de Contato", "Dados Pessoais"),
        "en": ("Contact", "Contact Info", "Contact Details", "Personal Details"),
    },
}  # fmt: skip

# (English key, pt name, en name)
_SPOKEN = (
    ("english", "Inglês", "English"),
    ("spanish", "Espanhol", "Spanish"),
    ("french", "Francês", "French"),
    ("german", "Alemão", "German"),
    ("italian", "Italiano", "Italian"),
)
_LEVELS = {
    "pt": ("Básico", "Intermediário", "Avançado", "Fluente", "B2", "C1"),
    "en": ("Basic", "Intermediate", "Advanced", "Fluent", "B2", "C1", "Professional working proficiency"),
}  # fmt: skip
_NATIVE = {"pt": ("Nativo", "Língua materna"), "en": ("Native", "Native or bilingual proficiency")}

_MONTHS = {
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}  # fmt: skip
_CURRENT = {
    "pt": ("atual", "o momento", "presente", "Atual"),
    "en": ("Present", "Current", "present", "Now"),
}


# --- helpers --------------------------------------------------------------------------


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _aliases() -> dict[str, tuple[str, ...]]:
    """Canonical skill -> the ways a CV may write it (canonical name first)."""
    data = json.loads(_TAXONOMY.read_text(encoding="utf-8"))
    case_sensitive = set(data["case_sensitive"])
    out: dict[str, tuple[str, ...]] = {}
    for skills in data["categories"].values():
        for canonical, aliases in skills.items():
            # Very short aliases ("TS", "JS", "S3") read as noise outside a skills list.
            usable = [a for a in aliases if len(a) > 2 or a in case_sensitive]
            out[canonical] = (canonical, *usable)
    return out


def _case_sensitive() -> frozenset[str]:
    data = json.loads(_TAXONOMY.read_text(encoding="utf-8"))
    return frozenset(data["case_sensitive"])


_CASE_SENSITIVE = _case_sensitive()


def _written(rng: random.Random, skill: str) -> str:
    """One way of writing ``skill``: an alias (sometimes), in varied case."""
    choices = _aliases().get(skill, (skill,))
    alias = choices[0] if rng.random() < 0.6 else rng.choice(choices)
    if alias in _CASE_SENSITIVE or any(c in alias for c in "+#/.") or len(alias) <= 3:
        return alias
    roll = rng.random()
    if roll < 0.12:
        return alias.upper()
    if roll < 0.24:
        return alias.lower()
    return alias


def _names_skill(text: str, skill: str) -> bool:
    """Does ``text`` write ``skill`` (or one of its aliases) as whole words?"""
    folded = ascii_fold(text).lower()
    return any(
        re.search(rf"(?<!\w){re.escape(ascii_fold(alias).lower())}(?!\w)", folded)
        for alias in _aliases().get(skill, (skill,))
    )


def _title_case(name: str) -> str:
    particles = set(_BR_PARTICLES) | set(_INTL_PEOPLE["particles"])
    words = []
    for index, word in enumerate(name.lower().split()):
        if index > 0 and word in particles:
            words.append(word)
        else:
            words.append(re.sub(r"(^|[-'’])(\w)", lambda m: m.group(1) + m.group(2).upper(), word))
    return " ".join(words)


# --- one person -------------------------------------------------------------------------


def _person(rng: random.Random, lang: str, abroad: bool) -> tuple[str, str, bool]:
    """(name as printed, name label, feminine)."""
    feminine = rng.random() < 0.5
    if abroad and rng.random() < 0.7:
        first = rng.choice(_INTL_PEOPLE["first_f" if feminine else "first_m"])
        lasts = [rng.choice(_INTL_PEOPLE["last"])]
        if rng.random() < 0.15:
            lasts.insert(0, rng.choice(_INTL_PEOPLE["particles"]))
        words = [first, *lasts]
    else:
        first = rng.choice(_BR_FIRST_F if feminine else _BR_FIRST_M)
        words = [first]
        if rng.random() < 0.35:
            second = rng.choice(_BR_FIRST_F if feminine else _BR_FIRST_M)
            if second != first:
                words.append(second)
        surnames = rng.sample(_BR_SURNAMES, rng.choice((1, 2, 2, 3)) - (len(words) > 1))
        surnames = surnames or [rng.choice(_BR_SURNAMES)]
        # At most one particle, before a surname ("Maria José dos Santos Lima").
        particle = rng.randrange(len(surnames)) if rng.random() < 0.4 else -1
        for index, surname in enumerate(surnames):
            if index == particle:
                words.append(rng.choice(_BR_PARTICLES))
            words.append(surname)
    name = " ".join(words)
    printed = name.upper() if rng.random() < 0.25 else name
    label = _title_case(name) if printed.isupper() else name
    return printed, label, feminine


def _email(rng: random.Random, label_name: str, abroad: bool) -> str:
    parts = [p for p in ascii_fold(label_name).lower().replace("'", "").split() if len(p) > 3]
    parts = parts or ascii_fold(label_name).lower().split()
    first, last = parts[0], parts[-1]
    domain = rng.choice(_EMAIL_DOMAINS_INTL if abroad else _EMAIL_DOMAINS_BR)
    local = rng.choice(
        (
            f"{first}.{last}",
            f"{first}{last}{rng.randint(1, 99)}",
            f"{first[0]}.{last}",
            f"{first}_{last}",
            f"{last}.{first}",
            f"{first}.{last}+cv",
        )
    )
    return f"{local}@{domain}"


def _br_phone(rng: random.Random, ddd: int) -> tuple[str, str]:
    """(as printed, E.164)."""
    mobile = rng.random() < 0.8
    if mobile:
        a, b = f"9{rng.randint(6000, 9999)}", f"{rng.randint(0, 9999):04d}"
    else:
        a, b = f"{rng.randint(2, 5)}{rng.randint(0, 999):03d}", f"{rng.randint(0, 9999):04d}"
    e164 = f"+55{ddd}{a}{b}"
    formats = [
        f"({ddd}) {a}-{b}",
        f"+55 {ddd} {a}-{b}",
        f"{ddd} {a} {b}",
        f"+55 ({ddd}) {a}-{b}",
        f"{ddd}{a}{b}",
        f"({ddd}) {a} {b}",
        f"(0{ddd}) {a}-{b}",
        f"+55{ddd}{a}{b}",
        f"{ddd} {a}-{b}",
        f"55 {ddd} {a}-{b}",
    ]
    if mobile:
        formats += [f"({ddd}) 9 {a[1:]}-{b}", f"+55 {ddd} 9 {a[1:]}-{b}", f"{ddd} 9.{a[1:]}-{b}"]
    return rng.choice(formats), e164


def _date_text(rng: random.Random, lang: str, fmt: str, year: int, month: int) -> str:
    names = _MONTHS[lang]
    if fmt == "mon/yyyy":
        return f"{names[month - 1][:3]}/{year}"
    if fmt == "mm/yyyy":
        return f"{month:02d}/{year}"
    if fmt == "month yyyy":
        word = names[month - 1]
        return f"{word} de {year}" if lang == "pt" else f"{word} {year}"
    if fmt == "Mon yyyy":
        return f"{names[month - 1][:3].capitalize()} {year}"
    if fmt == "Mon. yyyy":
        return f"{names[month - 1][:3].capitalize()}. {year}"
    if fmt == "yyyy-mm":
        return f"{year}-{month:02d}"
    return str(year)


_DATE_FORMATS = ("mon/yyyy", "mm/yyyy", "month yyyy", "Mon yyyy", "Mon. yyyy", "yyyy-mm", "yyyy")


def _jobs(
    rng: random.Random,
    lang: str,
    profile: _Profile,
    feminine: bool,
    abroad: bool,
    skills: list[str],
) -> tuple[list[JobLabel], list[list[str]], set[str], str, str]:
    """Experience entries: labels, printed lines per entry, skills they name, the
    current headline, and the date format used."""
    count = rng.choice((1, 2, 2, 3, 3, 4))
    fmt = rng.choice(_DATE_FORMATS)
    layout = rng.choice("ABCDE")
    sep = rng.choice((" – ", " - ", " — ", " a " if lang == "pt" else " to "))
    cursor = TODAY_YEAR * 12 + TODAY_MONTH - 1  # months since year 0, zero-based
    labels: list[JobLabel] = []
    entries: list[list[str]] = []
    named: set[str] = set()
    companies = list(_COMPANIES_INTL if abroad else _COMPANIES_BR)
    rng.shuffle(companies)
    headline = ""
    level_words = {
        "pt": ("Júnior", "Pleno", "Sênior", ""),
        "en": ("Junior", "Senior", "Lead", ""),
    }[lang]
    for number in range(count):
        current = number == 0 and rng.random() < 0.7
        end_total = cursor if current else cursor - rng.randint(0, 5)
        start_total = end_total - rng.randint(8, 48)
        end_y, end_m = divmod(end_total, 12)
        start_y, start_m = divmod(start_total, 12)
        end_m, start_m = end_m + 1, start_m + 1
        if fmt == "yyyy":
            # Year-only dates: the labels say what the text can say.
            start_m, end_m = 1, 12
            if start_y == end_y:
                start_y -= 1
            start_total = start_y * 12
        cursor = start_total - 1
        pt_m, pt_f, en, title_skills = rng.choice(profile.titles)
        title = en if lang == "en" else (pt_f if feminine else pt_m)
        level = rng.choice(level_words)
        if level:
            title = f"{level} {title}" if lang == "en" else f"{title} {level}"
        named |= {s for s in title_skills if _names_skill(title, s)}
        if number == 0:
            headline = title
        company = companies[number % len(companies)]
        start_text = _date_text(rng, lang, fmt, start_y, start_m)
        if current:
            end_text = rng.choice(_CURRENT[lang])
            dates = f"{start_text}{sep}{end_text}"
            if rng.random() < 0.1:
                dates = f"Desde {start_text}" if lang == "pt" else f"Since {start_text}"
        else:
            dates = f"{start_text}{sep}{_date_text(rng, lang, fmt, end_y, end_m)}"
        labels.append(
            JobLabel(
                title=title,
                company=company,
                start=f"{start_y}-{start_m:02d}",
                end=None if current else f"{end_y}-{end_m:02d}",
            )
        )
        bullets = []
        for template in rng.sample(_BULLETS[lang], rng.randint(1, 4)):
            s, s2 = rng.sample(skills, 2)
            text = template.format(
                s=_written(rng, s), s2=_written(rng, s2), p=rng.randint(5, 60), n=rng.randint(2, 40)
            )
            if "{s}" in template:
                named.add(s)
            if "{s2}" in template:
                named.add(s2)
            bullets.append(text)
        marker = rng.choice(("• ", "• ", "- ", "* ", ""))
        bullet_lines = [f"{marker}{b}" if marker else b for b in bullets]
        if layout == "A":
            header = [f"{title}{rng.choice((' – ', ' | ', ' - ', ', '))}{company}", dates]
        elif layout == "B":
            header = [company, f"{title} | {dates}"]
        elif layout == "C":
            header = [title, company, dates]
        elif layout == "D":
            at = " na " if lang == "pt" else " at "
            header = [f"{title}{at}{company} ({dates})"]
        else:
            header = [f"{company} — {dates}", title]
        entries.append([*header, *bullet_lines])
    return labels, entries, named, headline, fmt


def _education(
    rng: random.Random, lang: str, profile: _Profile, abroad: bool, named: set[str]
) -> list[list[str]]:
    entries = []
    for _ in range(rng.choice((1, 1, 2))):
        degree_pt, degree_en, *skills = rng.choice(profile.degrees)
        degree = degree_pt if lang == "pt" else degree_en
        named |= {s for s in skills if _names_skill(degree, s)}
        kind = rng.choice(_DEGREE_KINDS[lang]).format(d=degree_pt if lang == "pt" else degree_en)
        school = rng.choice(_SCHOOLS_INTL if abroad else _SCHOOLS_BR)
        end = rng.randint(2005, 2024)
        dates = f"{end - rng.choice((4, 5))} - {end}" if rng.random() < 0.6 else str(end)
        layout = rng.random()
        if layout < 0.4:
            entries.append([kind, school, dates])
        elif layout < 0.7:
            entries.append([f"{kind} – {school}", dates])
        else:
            entries.append([f"{kind} | {school} | {dates}"])
    return entries


def _heading(rng: random.Random, kind: str, lang: str) -> str:
    text = rng.choice(_HEADINGS[kind][lang])
    roll = rng.random()
    if roll < 0.35:
        text = text.upper()
    elif roll < 0.45:
        text = f"{text}:"
    return text


def _skill_lines(rng: random.Random, lang: str, written: list[str]) -> list[str]:
    style = rng.choice(("comma", "lines", "bullets", "pipes", "categories"))
    if style == "lines":
        return written
    if style == "bullets":
        return [f"• {w}" for w in written]
    if style == "pipes":
        return [" | ".join(written[i : i + 4]) for i in range(0, len(written), 4)]
    if style == "categories":
        labels = (
            ("Principais", "Outras", "Ferramentas") if lang == "pt" else ("Main", "Also", "Tools")
        )
        third = max(1, len(written) // 3)
        groups = [written[:third], written[third : 2 * third], written[2 * third :]]
        return [f"{label}: {', '.join(g)}" for label, g in zip(labels, groups, strict=True) if g]
    return [", ".join(written[i : i + 6]) for i in range(0, len(written), 6)]


def make_cv(rng: random.Random, ident: str) -> SyntheticCv:
    lang = "pt" if rng.random() < 0.6 else "en"
    abroad = lang == "en" and rng.random() < 0.4
    profile = _PROFILES[rng.choice(sorted(_PROFILES))]
    printed_name, name_label, feminine = _person(rng, lang, abroad)

    if abroad:
        city, country, phone_text, phone = rng.choice(_INTL_PLACES)
        location_text = location = f"{city}, {country}"
    else:
        city, uf, ddd = rng.choice(_BR_CITIES)
        if rng.random() < 0.15:
            ddd = rng.choice([d for _, _, d in _BR_CITIES])  # people keep their old number
        phone_text, phone = _br_phone(rng, ddd)
        joiner = rng.choice((" - ", "/", ", ", " – ", " - "))
        location_text, location = f"{city}{joiner}{uf}", f"{city} - {uf}"
        if rng.random() < 0.15:
            location_text += ", Brasil" if lang == "pt" else ", Brazil"
    email = _email(rng, name_label, abroad)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_fold(name_label).lower()).strip("-")
    if rng.random() < 0.3:
        slug += f"-{rng.randint(10, 999)}"
    linkedin = f"https://www.linkedin.com/in/{slug}" if rng.random() < 0.75 else None
    github_user = slug.replace("-", "")[:20]
    techie = (
        profile.titles[0][2].endswith(("Developer", "Engineer")) or "Data" in profile.titles[0][2]
    )
    github = f"https://github.com/{github_user}" if techie and rng.random() < 0.5 else None

    skills = rng.sample(profile.skills, min(len(profile.skills), rng.randint(6, 14)))
    labels_skills: set[str] = set(skills)
    jobs, job_entries, named, headline, _ = _jobs(rng, lang, profile, feminine, abroad, skills)
    labels_skills |= named

    # Contact lines: one per line, or several on one line joined by separators.
    phone_label = rng.choice(
        ("", "", "Cel: ", "Tel.: ", "Telefone: ", "WhatsApp: ")
        if lang == "pt"
        else ("", "", "Phone: ", "Mobile: ", "Tel: ")
    )
    email_label = rng.choice(("", "", "E-mail: ", "Email: "))
    items = [f"{email_label}{email}", f"{phone_label}{phone_text}", location_text]
    if linkedin:
        shown = linkedin.replace("https://www.", rng.choice(("", "www.", "https://www.")))
        items.append(shown + ("/" if rng.random() < 0.2 else ""))
    if github:
        items.append(github.replace("https://", rng.choice(("", "https://"))))
    rng.shuffle(items)
    if rng.random() < 0.1 and not abroad:
        street = rng.choice(("Rua das Flores", "Av. Paulista", "Rua Augusta", "Av. Brasil"))
        items.insert(0, f"{street}, {rng.randint(10, 2500)} – Apto {rng.randint(11, 199)}")
    glue = rng.choice((" | ", " • ", " · ")) if rng.random() < 0.3 else None
    # Joined, two items a line ("email | phone"), as a header under the name shows them.
    contact_lines = (
        [glue.join(items[i : i + 2]) for i in range(0, len(items), 2)] if glue else items
    )
    contact_heading = _heading(rng, "other", lang) if rng.random() < 0.35 else None

    n_years = rng.randint(2, 18)
    s1, s2, s3 = rng.sample(skills, 3)
    labels_skills |= {s1, s2, s3}
    summary = rng.choice(_SUMMARIES[lang]).format(
        h=headline,
        hl=headline.lower(),
        n=n_years,
        s=_written(rng, s1),
        s2=_written(rng, s2),
        s3=_written(rng, s3),
    )
    for words, skill in _TITLE_SKILLS_IN_SUMMARY.items():
        if words in summary and _names_skill(summary, skill):
            labels_skills.add(skill)

    main: list[Block] = []
    if rng.random() < 0.9:
        main.append(Block("summary", _heading(rng, "summary", lang), [summary]))
    exp_lines = [line for entry in job_entries for line in entry]
    main.append(Block("experience", _heading(rng, "experience", lang), exp_lines, job_entries))
    edu_entries = _education(rng, lang, profile, abroad, labels_skills)
    main.append(
        Block(
            "education",
            _heading(rng, "education", lang),
            [line for e in edu_entries for line in e],
            edu_entries,
        )
    )
    if rng.random() < 0.3:
        cert, cert_skills = rng.choice(_CERTS)
        year = rng.randint(2016, 2024)
        labels_skills |= set(cert_skills)
        main.append(
            Block("certifications", _heading(rng, "certifications", lang), [f"{cert} ({year})"])
        )
    if rng.random() < 0.2:
        s = rng.choice(skills)
        labels_skills.add(s)
        line = (
            f"• Painel de acompanhamento de metas feito com {_written(rng, s)}."
            if lang == "pt"
            else f"• Goal-tracking dashboard built with {_written(rng, s)}."
        )
        main.append(Block("projects", _heading(rng, "projects", lang), [line]))

    written = [_written(rng, s) for s in skills]
    side = [Block("skills", _heading(rng, "skills", lang), _skill_lines(rng, lang, written))]
    spoken_labels = set()
    if rng.random() < 0.85:
        spoken = []
        mother = ("portuguese", "Português", "Portuguese")
        picks = rng.sample(_SPOKEN, rng.randint(1, 3))
        if not abroad and rng.random() < 0.5:
            picks.insert(0, mother)
        for key, pt_name, en_name in picks:
            language = pt_name if lang == "pt" else en_name
            level = rng.choice(_NATIVE[lang] if key == "portuguese" else _LEVELS[lang])
            spoken.append(f"{language}{rng.choice((' – ', ': ', ' - ', ' ('))}{level}")
            if spoken[-1].count("(") == 1:
                spoken[-1] += ")"
            spoken_labels.add(key)
        side.append(Block("languages", _heading(rng, "languages", lang), spoken))

    if rng.random() < 0.4:
        rng.shuffle(main[1:])  # summary first, the rest in any order
    kinds = {b.kind for b in [*main, *side]}
    if contact_heading:
        kinds.add("other")
    labels = Labels(
        name=name_label,
        email=email.lower(),
        phone=phone,
        linkedin=linkedin,
        github=github,
        location=location,
        sections=frozenset(kinds),
        skills=frozenset(labels_skills),
        experience=tuple(jobs),
        languages=frozenset(spoken_labels),
    )
    headline_line = headline
    if rng.random() < 0.1:
        printed_name = f"{printed_name} | {headline}"
        headline_line = ""
    sidebar_left = rng.random() < 0.6
    return SyntheticCv(
        ident=ident,
        lang=lang,
        name_line=printed_name,
        headline=headline_line,
        contact_heading=contact_heading,
        contact_lines=contact_lines,
        contact_items=items,
        side=side,
        main=main,
        labels=labels,
        style={
            "sidebar_left": sidebar_left,
            # A sidebar holds the name only when it comes first (on the left).
            "name_in_sidebar": sidebar_left and rng.random() < 0.6,
            "docx_list_style": rng.random() < 0.4,
            "docx_heading_style": rng.random() < 0.5,
            "txt_encoding": "cp1252" if rng.random() < 0.2 else "utf-8",
            "txt_crlf": rng.random() < 0.3,
            "txt_underline": rng.random() < 0.3,
            "font_size": rng.choice((9.5, 10, 10.5, 11)),
        },
    )


# Skills named by job titles that may appear in the summary via the headline.
_TITLE_SKILLS_IN_SUMMARY: dict[str, str] = {}
for _profile in _PROFILES.values():
    for _pt_m, _pt_f, _en, _named in _profile.titles:
        for _skill in _named:
            for _title in (_pt_m, _pt_f, _en):
                _TITLE_SKILLS_IN_SUMMARY[_title] = _skill
                _TITLE_SKILLS_IN_SUMMARY[_title.lower()] = _skill


def generate(count: int = 300, seed: int = 20250601) -> list[SyntheticCv]:
    """``count`` synthetic CVs; the same arguments always give the same CVs."""
    rng = random.Random(seed)
    return [make_cv(rng, f"cv{number:04d}") for number in range(count)]
