"""Synthetic CVs (invented people) shared by the parsing tests."""

PT_CV = """\
JOÃO DA SILVA SANTOS
Desenvolvedor Python Sênior
São Paulo - SP | (11) 98765-4321 | joao.santos@email.com.br
linkedin.com/in/joaosantos | github.com/joaosantos

RESUMO
Desenvolvedor com 8 anos de experiência em sistemas web e dados, atuando com Python,
Django e AWS em empresas de tecnologia e do setor financeiro.

EXPERIÊNCIA PROFISSIONAL
Desenvolvedor Python Sênior – Acme Tecnologia Ltda
jan/2020 – atual
• Liderei a migração de monólito para microsserviços com Docker e Kubernetes.
• Reduzi em 40% o tempo de resposta das APIs REST com cache em Redis.

Analista de Sistemas | Banco Exemplo S.A.
03/2016 - 12/2019
• Desenvolvi rotinas de ETL em Python e SQL Server para o time de
risco de crédito.
• Automatizei relatórios no Power BI.

FORMAÇÃO ACADÊMICA
Bacharelado em Ciência da Computação
Universidade de São Paulo (USP)
2012 - 2015

HABILIDADES
Python, Django, FastAPI, PostgreSQL, Docker, Git, Scrum, gestão de projetos

IDIOMAS
Inglês avançado
Espanhol: intermediário
"""

EN_CV = """\
Mary Johnson
Data Analyst
Austin, USA · +1 415 555 0100 · mary.johnson@example.com
https://www.linkedin.com/in/mary-johnson-data/

Professional Summary
Data analyst with 5 years of experience turning messy data into decisions for the
sales and marketing teams.

Work Experience
Senior Data Analyst at Globex Corporation
March 2018 – Present
- Built Tableau and Power BI dashboards used by 200 people.
- Automated weekly reporting with Python and pandas, saving 10 hours a week.

Data Analyst, Initech Inc
Jun 2016 to Feb 2018
- Wrote SQL queries against MySQL and Excel models for the finance team.

Education
B.Sc. in Statistics - University of Texas, 2016

Skills
SQL, Python, R, Excel, Tableau, A/B testing

Languages
English - Native
Spanish (B2)
"""
