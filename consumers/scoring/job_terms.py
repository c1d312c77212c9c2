"""Word lists for reading job descriptions: hard skills (with aliases), stopwords and
job-ad boilerplate, pt-BR and English.

A small built-in list, used only when the caller does not pass the job's skills (the
parsing consumer owns the full taxonomy). Aliases are written as a person would; they are
tokenised the same way as the texts they are matched against.
"""

from __future__ import annotations

# canonical name -> other spellings
HARD_SKILLS: dict[str, tuple[str, ...]] = {
    "Python": (),
    "Java": (),
    "JavaScript": ("js",),
    "TypeScript": (),
    "C#": ("csharp",),
    "C++": (),
    "Golang": (),
    "Rust": (),
    "PHP": (),
    "Ruby": (),
    "Kotlin": (),
    "Swift": (),
    "Scala": (),
    "SQL": (),
    "NoSQL": (),
    "PostgreSQL": ("postgres",),
    "MySQL": (),
    "Oracle": (),
    "SQL Server": ("mssql",),
    "MongoDB": ("mongo",),
    "Redis": (),
    "Elasticsearch": (),
    "Kafka": (),
    "RabbitMQ": (),
    "Spark": ("pyspark",),
    "Airflow": (),
    "dbt": (),
    "Databricks": (),
    "Snowflake": (),
    "BigQuery": (),
    "Power BI": ("powerbi",),
    "Tableau": (),
    "Looker": (),
    "Excel": ("ms excel",),
    "VBA": (),
    "Pandas": (),
    "NumPy": (),
    "scikit-learn": ("sklearn",),
    "TensorFlow": (),
    "PyTorch": (),
    "Machine Learning": ("aprendizado de maquina", "ml"),
    "Deep Learning": (),
    "NLP": ("nlp", "processamento de linguagem natural"),
    "Estatística": ("estatistica", "statistics"),
    "AWS": ("amazon web services",),
    "Azure": (),
    "GCP": ("google cloud",),
    "Docker": (),
    "Kubernetes": ("k8s",),
    "Terraform": (),
    "Ansible": (),
    "Jenkins": (),
    "GitHub Actions": (),
    "CI/CD": (),
    "Git": (),
    "Linux": (),
    # Plain "rest" is too common in English prose ("the rest of the team") to count.
    "APIs REST": ("restful", "api rest", "apis rest", "rest api", "rest apis"),
    "GraphQL": (),
    "Microsserviços": ("microsservicos", "microservices", "microsservico", "microservice"),
    "React": ("reactjs", "react.js"),
    "React Native": (),
    "Angular": (),
    "Vue.js": ("vue", "vuejs"),
    "Next.js": ("nextjs",),
    "Node.js": ("node", "nodejs"),
    "Django": (),
    "Flask": (),
    "FastAPI": (),
    "Spring Boot": ("spring",),
    ".NET": ("dotnet", "asp.net"),
    "Laravel": (),
    "HTML": (),
    "CSS": (),
    "Figma": (),
    "Photoshop": (),
    "Illustrator": (),
    "UX": (),
    "SAP": (),
    "Salesforce": (),
    "HubSpot": (),
    "TOTVS": ("protheus",),
    "Jira": (),
    "Scrum": (),
    "Kanban": (),
    "Agile": ("metodologias ageis", "metodologia agil", "ageis"),
    "SEO": (),
    "Google Ads": (),
    "Google Analytics": (),
    "CRM": (),
    "ERP": (),
    "Selenium": (),
    "Cypress": (),
    "Android": (),
    "iOS": (),
    "Flutter": (),
    "LGPD": (),
    "ITIL": (),
    "Six Sigma": (),
    "Lean": (),
    "OKR": ("okrs",),
    "Pacote Office": ("microsoft office", "ms office"),
    "Gestão de projetos": ("gestao de projetos", "gerenciamento de projetos", "project management"),
    "Inglês": ("ingles", "english"),
    "Espanhol": ("espanhol", "spanish"),
}

STOPWORDS: frozenset[str] = frozenset(
    {
        # pt
        "a", "ao", "aos", "as", "com", "como", "da", "das", "de", "do", "dos", "e", "em",
        "entre", "essa", "esse", "esta", "este", "eu", "isso", "ja", "mais", "mas", "na",
        "nas", "nao", "no", "nos", "nossa", "nosso", "nossos", "nossas", "o", "os", "ou",
        "para", "pela", "pelo", "pelas", "pelos", "por", "qual", "que", "se", "sem", "ser",
        "seu", "sua", "seus", "suas", "sobre", "tambem", "tem", "ter", "um", "uma", "uns",
        "umas", "voce", "voces", "sao", "muito", "bem", "todo", "toda", "todos", "todas",
        "cada", "ate", "apos", "desde", "onde", "quando", "sera", "serao", "estar", "etc",
        "lhe", "num", "numa", "pra", "ela", "ele", "elas", "eles", "aqui",
        "outro", "outra", "outros", "outras", "forma", "bom", "boa", "boas", "bons",
        # en
        "an", "and", "are", "at", "be", "by", "for", "from", "has", "have", "in", "into",
        "is", "it", "its", "of", "on", "or", "our", "the", "their", "this", "that", "to",
        "we", "with", "will", "you", "your", "who", "what", "which", "all", "any",
        "can", "does", "if", "not", "other", "than", "them", "they", "us", "also",
        "more", "most", "such", "well", "about", "across", "within", "using", "e.g",
        "i.e", "must", "should", "would", "able", "like", "new", "good", "great",
    }
)  # fmt: skip

# Words every job ad uses; they say nothing about fit.
BOILERPLATE: frozenset[str] = frozenset(
    {
        # pt
        "vaga", "vagas", "empresa", "empresas", "buscamos", "procuramos", "requisito",
        "requisitos", "desejavel", "desejaveis", "diferencial", "diferenciais", "experiencia",
        "experiencias", "conhecimento", "conhecimentos", "atividade", "atividades",
        "responsabilidade", "responsabilidades", "beneficio", "beneficios", "salario",
        "local", "modelo", "hibrido", "remoto", "presencial", "contratacao", "clt", "pj",
        "candidato", "candidata", "candidatos", "profissional", "profissionais",
        "oportunidade", "time", "area", "trabalho", "trabalhar", "atuar", "atuacao", "nivel",
        "ano", "anos", "junior", "pleno", "senior", "obrigatorio", "obrigatorios", "cargo",
        "dia", "dias", "mes", "meses", "vale", "plano", "saude", "home", "office", "pessoa",
        "pessoas", "venha", "faca", "parte", "sobre", "voce", "estamos", "contratando",
        "principais", "principal", "solida", "solido", "bons", "otimo", "otima", "ideal",
        # en
        "job", "role", "position", "company", "team", "requirements", "requirement",
        "required", "preferred", "plus", "nice", "experience", "knowledge", "skill",
        "skills", "ability", "strong", "year", "years", "work", "working", "benefit",
        "benefits", "salary", "remote", "hybrid", "onsite", "candidate", "candidates",
        "opportunity", "responsibilities", "responsibility", "looking", "join",
        "apply", "including", "level", "mid", "per", "based",
        "understanding", "solid", "excellent", "proven", "familiarity", "hands",
        # levels and fillers that qualify a requirement but name nothing to have
        "avancado", "avancada", "intermediario", "intermediaria", "basico", "basica",
        "fluente", "fluencia", "forte", "desejada", "minimo", "minima", "comprovada",
        "comprovado", "dominio", "capacidade", "habilidade", "habilidades", "vivencia",
        "familiaridade", "nocoes", "advanced", "intermediate", "basic", "fluent", "minimum",
        "preferably", "ideally", "demonstrated", "deep", "hands-on", "handson", "least",
        # degrees have their own part of the match (education)
        "ensino", "superior", "completo", "completa", "cursando", "graduacao", "degree",
    }
)  # fmt: skip

# Soft skills, as stems (see ``job_match.stem``): they form their own part of the match.
SOFT_SKILLS: frozenset[str] = frozenset(
    {
        "comunicacao", "lideranca", "trabalho em equipe", "proatividade", "proativo",
        "organizacao", "negociacao", "resiliencia", "colaboracao", "criatividade",
        "adaptabilidade", "empatia", "autonomia", "flexibilidade", "resolucao de problema",
        "pensamento critico", "communication", "leadership", "teamwork", "collaboration",
        "proactive", "proactivity", "problem solving", "ownership", "adaptability",
        "creativity", "empathy", "autonomy", "negotiation", "organization", "organisation",
        "critical thinking", "communication skill",
    }
)  # fmt: skip
# Words glued together or split apart in different ads: one term either way.
COMPOUNDS: frozenset[str] = frozenset(
    {"backend", "frontend", "fullstack", "devops", "dataops", "mlops", "datalake", "bigdata",
     "dataviz", "nocode", "lowcode", "ecommerce", "webdesign", "helpdesk", "microservices",
     "microsservicos"}
)  # fmt: skip
