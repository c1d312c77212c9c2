"""Six people, each written twice: a strong CV (summary, full contact, quantified
results opening with action verbs) and a vague one (same jobs, duties instead of
results, contact incomplete). A sound rubric scores the strong version clearly higher."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.cv import Contact, EducationEntry, ExperienceEntry, ParsedCv
from tests.consumers.scoring.factories import build_cv


@dataclass(frozen=True)
class Person:
    key: str
    strong: ParsedCv
    vague: ParsedCv


def _job(title: str, company: str, start: str, end: str | None, bullets: list[str]):
    return ExperienceEntry(
        title=title, company=company, start=start, end=end, current=end is None, bullets=bullets
    )


def _pair(
    key: str,
    language: str,
    contact: Contact,
    summary: str,
    jobs: list[tuple[str, str, str, str | None, list[str], list[str]]],
    education: EducationEntry,
    skills: list[str],
) -> Person:
    strong = build_cv(
        language=language,
        contact=contact,
        summary=summary,
        experience=[_job(t, c, s, e, good) for t, c, s, e, good, _ in jobs],
        education=[education],
        skills=skills,
    )
    vague = build_cv(
        language=language,
        contact=Contact(name=contact.name, email=contact.email),
        experience=[_job(t, c, s, e, bad) for t, c, s, e, _, bad in jobs],
        education=[education],
        skills=skills[:2],
    )
    return Person(key, strong, vague)


def corpus() -> list[Person]:
    return [
        _pair(
            "data-analyst-pt",
            "pt",
            Contact(
                name="Mariana Souza",
                email="mariana@example.com",
                phone="+5511987654321",
                linkedin="linkedin.com/in/marianasouza",
                location="São Paulo - SP",
            ),
            "Analista de dados com 4 anos de experiência no varejo, especialista em SQL e "
            "Power BI, com foco em automação de relatórios financeiros e previsão de demanda.",
            [
                (
                    "Analista de Dados",
                    "Loja Exemplo",
                    "2021-03",
                    None,
                    [
                        "Reduzi em 30% o tempo de fechamento mensal automatizando relatórios em Python",
                        "Liderei a migração de 12 dashboards para Power BI, usados por 200 pessoas",
                        "Implementei previsão de demanda que cortou R$ 1,2 mi em estoque parado",
                    ],
                    [
                        "Responsável por fazer relatórios para a área financeira",
                        "Ajudei na migração de dashboards para o Power BI",
                        "Participação no projeto de previsão de demanda",
                    ],
                ),
                (
                    "Assistente de BI",
                    "Banco Modelo",
                    "2019-01",
                    "2021-02",
                    [
                        "Construí 8 relatórios gerenciais em SQL usados semanalmente pela diretoria",
                        "Automatizei a conciliação de vendas, economizando 15 horas por mês",
                    ],
                    [
                        "Responsável pelos relatórios gerenciais da diretoria",
                        "Auxiliava na conciliação de vendas",
                    ],
                ),
            ],
            EducationEntry(degree="Bacharelado em Estatística", institution="USP", end_year=2019),
            ["SQL", "Python", "Power BI", "Excel"],
        ),
        _pair(
            "sales-pt",
            "pt",
            Contact(
                name="Carlos Pereira",
                email="carlos.pereira@example.com",
                phone="+5531991234567",
                linkedin="linkedin.com/in/carlospereira",
                location="Belo Horizonte - MG",
            ),
            "Executivo de vendas B2B com 6 anos de experiência em software de gestão, "
            "especialista em prospecção e negociação com médias empresas.",
            [
                (
                    "Executivo de Vendas",
                    "Sistemas Alfa",
                    "2020-05",
                    None,
                    [
                        "Aumentei a receita da carteira em 45% em dois anos com vendas consultivas",
                        "Fechei 38 novos contratos em 2023, batendo 120% da meta anual",
                        "Negociei renovações que reduziram o churn de 12% para 5%",
                    ],
                    [
                        "Responsável por atender clientes da carteira",
                        "Responsável pela prospecção de novos clientes",
                        "Participava das reuniões de renovação de contratos",
                    ],
                ),
                (
                    "Vendedor Interno",
                    "Distribuidora Beta",
                    "2018-02",
                    "2020-04",
                    [
                        "Prospectei 60 contas por mês por telefone e LinkedIn",
                        "Conquistei o prêmio de melhor vendedor regional em 2019",
                    ],
                    ["Fazia ligações para clientes", "Ajudava a equipe de vendas externa"],
                ),
            ],
            EducationEntry(degree="Administração", institution="PUC Minas", end_year=2017),
            ["Negociação", "Salesforce", "Prospecção", "CRM"],
        ),
        _pair(
            "nurse-pt",
            "pt",
            Contact(
                name="Ana Lima",
                email="ana.lima@example.com",
                phone="+5521998765432",
                linkedin="linkedin.com/in/analima",
                location="Rio de Janeiro - RJ",
            ),
            "Enfermeira com 5 anos de experiência em UTI adulto, especialista em protocolos "
            "de segurança do paciente e coordenação de equipes de plantão.",
            [
                (
                    "Enfermeira",
                    "Hospital Central",
                    "2020-01",
                    None,
                    [
                        "Coordenei equipe de 14 técnicos de enfermagem em plantões de 12 horas",
                        "Implantei protocolo de prevenção de quedas que reduziu incidentes em 40%",
                        "Treinei 30 profissionais no novo sistema de prontuário eletrônico",
                    ],
                    [
                        "Responsável pela equipe de técnicos de enfermagem",
                        "Auxílio na implantação de protocolos de segurança",
                        "Participei de treinamentos do prontuário eletrônico",
                    ],
                ),
                (
                    "Enfermeira Assistente",
                    "Clínica Saúde",
                    "2018-03",
                    "2019-12",
                    ["Atendi uma média de 25 pacientes por turno na clínica médica"],
                    ["Atendimento de pacientes na clínica médica"],
                ),
            ],
            EducationEntry(degree="Enfermagem", institution="UERJ", end_year=2017),
            ["UTI", "Segurança do paciente", "Prontuário eletrônico"],
        ),
        _pair(
            "backend-en",
            "en",
            Contact(
                name="John Carter",
                email="john.carter@example.com",
                phone="+14155550123",
                linkedin="linkedin.com/in/johncarter",
                location="Austin, TX",
            ),
            "Backend engineer with 6 years of experience building payment APIs in Python and "
            "Go, focused on reliability and event-driven systems on AWS.",
            [
                (
                    "Senior Backend Engineer",
                    "PayCo",
                    "2021-06",
                    None,
                    [
                        "Led the migration of 40 services to Kubernetes, cutting cloud costs by 25%",
                        "Built an event pipeline on Kafka processing 2 million payments a day",
                        "Reduced p99 API latency from 800 ms to 120 ms by redesigning the cache",
                    ],
                    [
                        "Responsible for the migration of services to Kubernetes",
                        "Worked on the event pipeline",
                        "Helped with API performance issues",
                    ],
                ),
                (
                    "Software Engineer",
                    "ShopCorp",
                    "2018-01",
                    "2021-05",
                    [
                        "Developed the checkout service used by 3 million customers",
                        "Automated deployments, cutting release time from 2 hours to 10 minutes",
                    ],
                    [
                        "Responsible for developing the checkout service",
                        "Involved in deployment automation",
                    ],
                ),
            ],
            EducationEntry(degree="BSc Computer Science", institution="UT Austin", end_year=2017),
            ["Python", "Go", "PostgreSQL", "Kafka", "Kubernetes", "AWS"],
        ),
        _pair(
            "marketing-en",
            "en",
            Contact(
                name="Priya Nair",
                email="priya.nair@example.com",
                phone="+442071234567",
                linkedin="linkedin.com/in/priyanair",
                location="London, UK",
            ),
            "Marketing manager with 7 years in B2C e-commerce, specialised in paid acquisition "
            "and lifecycle campaigns that grow revenue efficiently.",
            [
                (
                    "Marketing Manager",
                    "StyleShop",
                    "2020-09",
                    None,
                    [
                        "Grew organic traffic by 150% in 18 months through an SEO content programme",
                        "Managed a £2M annual paid media budget while lowering CAC by 22%",
                        "Launched a lifecycle email programme generating 15% of online revenue",
                    ],
                    [
                        "Responsible for SEO and content",
                        "In charge of the paid media budget",
                        "Helped launch email campaigns",
                    ],
                ),
                (
                    "Marketing Executive",
                    "HomeGoods",
                    "2017-06",
                    "2020-08",
                    ["Ran 30 paid social campaigns with an average ROAS of 4.2"],
                    ["Responsible for running social media campaigns"],
                ),
            ],
            EducationEntry(degree="BA Marketing", institution="University of Leeds", end_year=2017),
            ["SEO", "Google Ads", "Google Analytics", "Email marketing", "HubSpot"],
        ),
        _pair(
            "accountant-en",
            "en",
            Contact(
                name="Lucas Almeida",
                email="lucas.almeida@example.com",
                phone="+5511912345678",
                linkedin="linkedin.com/in/lucasalmeida",
                location="São Paulo - SP",
            ),
            "Accountant with 5 years in multinational shared services, specialised in month-end "
            "close, IFRS reporting and process automation with SAP and Excel.",
            [
                (
                    "Senior Accountant",
                    "Global Foods",
                    "2021-01",
                    None,
                    [
                        "Shortened the month-end close from 10 to 6 working days",
                        "Automated 25 reconciliations in Excel VBA, saving 40 hours a month",
                        "Led the IFRS 16 adoption for 3 subsidiaries with no audit findings",
                    ],
                    [
                        "Responsible for the month-end close",
                        "Tasked with account reconciliations",
                        "Participated in the IFRS 16 project",
                    ],
                ),
                (
                    "Accounting Analyst",
                    "Metal Works",
                    "2019-02",
                    "2020-12",
                    ["Prepared monthly reports for 4 business units"],
                    ["Responsible for preparing monthly reports"],
                ),
            ],
            EducationEntry(degree="BSc Accounting", institution="FGV", end_year=2018),
            ["SAP", "Excel", "IFRS", "VBA"],
        ),
    ]
