"""Small word lists shared by the parsers (folded: lower-case, no accents)."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that make a line a job title rather than a name or a company.
TITLE_WORDS = _words(
    """
    desenvolvedor desenvolvedora programador programadora engenheiro engenheira analista
    gerente coordenador coordenadora supervisor supervisora diretor diretora assistente
    auxiliar estagiario estagiaria tecnico tecnica consultor consultora especialista
    arquiteto arquiteta lider head vendedor vendedora atendente operador operadora
    administrador administradora contador contadora professor professora designer
    cientista socio socia fundador fundadora cofundador executivo executiva representante
    recepcionista secretaria secretario motorista enfermeiro enfermeira advogado advogada
    jovem aprendiz trainee estagio product owner scrum master tester devops
    developer engineer analyst manager coordinator director assistant intern internship
    consultant specialist architect lead leader founder cofounder officer owner
    representative scientist administrator accountant teacher executive associate
    programmer technician salesperson sales clerk officer president vp cto ceo cfo
    junior pleno senior jr sr
    controller controler comprador compradora buyer purchaser planner planejador planejadora
    gestor gestora chefe encarregado encarregada superintendente presidente
    auditor auditora tesoureiro tesoureira recruiter recrutador recrutadora
    pesquisador pesquisadora researcher instrutor instrutora instructor trainer tutor
    redator redatora copywriter editor editora writer jornalista journalist tradutor
    tradutora translator produtor produtora producer fotografo fotografa photographer
    inspetor inspetora inspector mecanico mecanica mechanic eletricista electrician
    medico medica physician farmaceutico farmaceutica pharmacist psicologo psicologa
    nutricionista fisioterapeuta dentista veterinario veterinaria nurse
    advisor strategist estrategista agent agente chief
    """
)

# Words that qualify an English job title from the front ("Graphic Designer", "Backend
# Developer"): before a title on a run-on line they belong to it, not to a name.
TITLE_QUALIFIERS = _words(
    """
    backend back-end frontend front-end fullstack full-stack software application data web
    mobile graphic product marketing sales business systems network cloud security
    research project program supply chain quality financial finance hr content digital
    logistics operations
    """
)

# Words that make a line a company name.
COMPANY_WORDS = _words(
    """
    ltda ltda. s.a. s/a sa eireli me inc inc. ltd ltd. llc corp corporation company
    group grupo banco bank tecnologia technologies technology solucoes solutions
    consultoria consulting sistemas systems software servicos services comercio
    industria labs holding associados partners limited pvt private
    """
)

# Lines naming the document rather than the person.
DOCUMENT_WORDS = _words("curriculo curriculum vitae resume cv resumo")
# Brazilian states (unidades federativas).
UFS = _words("AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO")
