"""The offline coach: a useful reply with no AI key, from the knowledge base and the
user's own CV facts. Pure: the same input always gives the same reply, in microseconds.

Everything said about the user comes from ``CvFacts``, the session's job description or
the user's own messages; where a fact is missing (a number in a bullet), the coach asks
for it instead of supplying one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from consumers.coaching import safety
from consumers.coaching.facts import CvFacts, Role
from consumers.coaching.intent import choose_mode
from consumers.coaching.knowledge import Entry, KnowledgeBase, knowledge, role_family
from consumers.coaching.labels import STAR_LABELS, category_label
from consumers.coaching.language import EN, PT, detect
from consumers.coaching.star import StarFeedback, assess, looks_like_answer
from consumers.coaching.text import fold
from consumers.parsing.skills import find_skills
from schemas.coach import CoachMode, CoachRole


@dataclass(frozen=True)
class Turn:
    role: CoachRole
    text: str
    mode: CoachMode | None = None
    # An interview question the coach asked and the user has yet to answer.
    asked_question: bool = False


@dataclass(frozen=True)
class CoachInput:
    message: str
    facts: CvFacts | None
    locale: str | None
    history: tuple[Turn, ...] = ()
    session_mode: CoachMode | None = None
    job_description: str | None = None
    target_role: str | None = None
    # What the user asked before the recent turns, one sentence each: a long session is
    # summarised, never cut mid-sentence.
    earlier: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoachReply:
    text: str
    mode: CoachMode
    language: str
    sources: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()
    star: StarFeedback | None = None
    asked_question: bool = False
    # Text the reply drew on besides the CV (knowledge entries, questions): the grounding
    # checker's sources.
    references: tuple[str, ...] = field(default=(), repr=False)


_T: dict[str, dict[str, str]] = {
    PT: {
        "refuse_injection": "Não sigo instruções para mudar meu papel nem revelo minhas "
        "instruções internas; continuo aqui como seu coach de carreira.",
        "refuse_fabrication": "Não posso inventar experiência, cargos, datas, formação ou "
        "números que não estão no seu currículo: isso é fácil de verificar e pode tirar você "
        "do processo. Posso ajudar a apresentar melhor o que você fez de verdade.",
        "cv_injection": "Seu currículo tem um trecho que parece uma instrução para sistemas "
        "automáticos. Tratei como texto comum e sugiro removê-lo: recrutadores e ATS podem "
        "ver isso como tentativa de manipulação.",
        "no_cv": "Ainda não encontrei um currículo analisado na sua conta, então não vou "
        "supor nada sobre a sua experiência. Envie seu CV e eu uso a análise nas próximas "
        "respostas. Enquanto isso:",
        "score": "Sua nota atual é {score}/100. Vamos pelos pontos mais fracos primeiro:",
        "area": "{n}. {label} ({score}/100)",
        "in_cv": "   No seu CV: “{line}”",
        "rewrite": "   Uma reescrita possível: {example}",
        "tip": "Dica: {title}. {text}",
        "start_with": "Para começar, um item do seu CV que pode mostrar mais contexto e "
        "resultado: “{line}”. Qual foi o resultado dele, em números reais?",
        "review_close": "Quer reescrever algum desses itens comigo? Me diga os números reais "
        "(prazo, volume, economia) e eu monto a frase; não vou inventar valores.",
        "no_weak": "Seu CV está bem em todas as categorias da análise. Para ir além:",
        "interview_intro": "Vamos simular uma entrevista{target}. Uma pergunta por vez; "
        "responda como faria ao vivo e eu comento usando o método STAR (situação, tarefa, "
        "ação, resultado).",
        "target": " para {role}",
        "question": "Pergunta: {question}",
        "skill_question": "Conte sobre um trabalho em que você usou {skill}. Qual era o "
        "contexto e o que você fez?",
        "star_feedback": "Feedback da sua resposta (STAR): nota {score}/100.",
        "star_has": "Você trouxe: {parts}.",
        "star_missing": "Faltou: {parts}.",
        "star_all": "Sua resposta cobre as quatro partes do STAR.",
        "star_tip_situation": "Situação: abra com uma frase de contexto (onde, quando, qual "
        "era o problema).",
        "star_tip_task": "Tarefa: diga o que cabia a você naquela situação.",
        "star_tip_action": "Ação: conte o que você fez, na primeira pessoa (eu fiz, eu decidi).",
        "star_tip_result": "Resultado: feche com o que mudou; se tiver um número real, use.",
        "next_question": "Próxima pergunta: {question}",
        "tailor_need_jd": "Para adaptar seu CV a uma vaga, cole aqui a descrição da vaga "
        "(ou crie a sessão com ela). Com ela eu comparo as palavras-chave, mostro as mudanças "
        "como um diff para você aceitar ou recusar e rascunho a carta de apresentação.",
        "tailor_head": "Comparando seu CV com a vaga:",
        "tailor_matched": "Já aparece no seu CV: {skills}.",
        "tailor_missing": "A vaga pede e seu CV não mostra: {skills}. Inclua só o que você "
        "realmente usou; se usou {first}, em qual experiência foi?",
        "tailor_none": "Não encontrei ferramentas ou tecnologias nomeadas na descrição da vaga.",
        "tailor_diff": "Mudanças propostas (aceite ou recuse cada uma):",
        "tailor_unchanged": "Empregadores, cargos, datas e formação ficam exatamente como estão.",
        "tailor_numbers": "Itens sem número: me diga o valor real em vez de eu inventar um.",
        "tailor_ask_number": "   • “{bullet}”: quanto foi? (prazo, volume, % ou pessoas)",
        "cover_head": "Rascunho de carta de apresentação:",
        "cover_body": "Olá! Tenho interesse na vaga e acredito que minha experiência como "
        "{title} ajuda no que vocês procuram{skills}. {proof}Gostaria de conversar sobre "
        "como posso contribuir com o time.",
        "cover_skills": ", principalmente com {skills}",
        "cover_proof": "Um exemplo do meu trabalho: “{bullet}”. ",
        "outreach_head": "Mensagem para o recrutador:",
        "outreach_body": "Olá! Vi a vaga e me identifiquei: atuo como {title}{skills}. "
        "Posso enviar meu currículo ou conversar por alguns minutos?",
        "outreach_skills": " com {skills}",
        "headline_head": "Título do LinkedIn: {headline}",
        "about_head": "Sobre (LinkedIn): {about}",
        "about_body": "Atuo como {title}{skills}. {proof}",
        "about_proof": "Um resultado de que me orgulho: “{bullet}”.",
        "career_no_salary": "Não tenho uma fonte de salários para o seu cargo e região, então "
        "não vou citar valores. ",
        "career_results": "Na conversa, apoie seu pedido nos seus resultados, por exemplo: "
        "“{bullet}”.",
        "career_skills": "Do seu CV, estas habilidades costumam ser transferíveis: {skills}.",
        "career_close": "Quer montar um plano com próximos passos para as próximas semanas?",
        "role_unknown": "seu cargo atual",
        "and": " e ",
    },
    EN: {
        "refuse_injection": "I don't follow instructions to change my role and I don't share "
        "my internal instructions; I'm still here as your career coach.",
        "refuse_fabrication": "I can't invent experience, titles, dates, degrees or figures "
        "that are not in your CV: they are easy to check and can get you dropped from the "
        "process. I can help you present what you really did in a stronger way.",
        "cv_injection": "Your CV contains a passage that reads like an instruction to automated "
        "systems. I treated it as plain text and suggest removing it: recruiters and ATSs may "
        "see it as an attempt at manipulation.",
        "no_cv": "I haven't found an analysed CV in your account yet, so I won't assume "
        "anything about your experience. Upload your CV and I'll use its analysis in the next "
        "replies. Meanwhile:",
        "score": "Your current score is {score}/100. Let's start with the weakest areas:",
        "area": "{n}. {label} ({score}/100)",
        "in_cv": "   In your CV: “{line}”",
        "rewrite": "   A possible rewrite: {example}",
        "tip": "Tip: {title}. {text}",
        "start_with": "To start, a line of your CV that could show more context and result: "
        "“{line}”. What did it achieve, in real figures?",
        "review_close": "Want to rewrite one of these with me? Tell me the real figures (time, "
        "volume, savings) and I'll draft the line; I won't make numbers up.",
        "no_weak": "Your CV does well in every category of the analysis. To go further:",
        "interview_intro": "Let's run a mock interview{target}. One question at a time; answer "
        "as you would live and I'll comment using the STAR method (situation, task, action, "
        "result).",
        "target": " for {role}",
        "question": "Question: {question}",
        "skill_question": "Tell me about a piece of work where you used {skill}. What was the "
        "context and what did you do?",
        "star_feedback": "Feedback on your answer (STAR): score {score}/100.",
        "star_has": "You covered: {parts}.",
        "star_missing": "Missing: {parts}.",
        "star_all": "Your answer covers all four STAR parts.",
        "star_tip_situation": "Situation: open with one sentence of context (where, when, what "
        "the problem was).",
        "star_tip_task": "Task: say what was yours to do in that situation.",
        "star_tip_action": "Action: tell what you did, in the first person (I did, I decided).",
        "star_tip_result": "Result: close with what changed; use a real figure if you have one.",
        "next_question": "Next question: {question}",
        "tailor_need_jd": "To tailor your CV to a job, paste the job description here (or "
        "create the session with it). With it I compare keywords, show the changes as a diff "
        "you accept or reject and draft a cover letter.",
        "tailor_head": "Comparing your CV with the job:",
        "tailor_matched": "Already in your CV: {skills}.",
        "tailor_missing": "The job asks for, and your CV doesn't show: {skills}. Add only what "
        "you really used; if you used {first}, in which role was it?",
        "tailor_none": "I found no named tools or technologies in the job description.",
        "tailor_diff": "Proposed changes (accept or reject each one):",
        "tailor_unchanged": "Employers, titles, dates and degrees stay exactly as they are.",
        "tailor_numbers": "Bullets without a figure: tell me the real value instead of me "
        "inventing one.",
        "tailor_ask_number": "   • “{bullet}”: how much was it? (time, volume, % or people)",
        "cover_head": "Cover letter draft:",
        "cover_body": "Hello! I'm interested in the role and I believe my experience as "
        "{title} fits what you are looking for{skills}. {proof}I'd be glad to talk about how "
        "I can contribute to the team.",
        "cover_skills": ", especially with {skills}",
        "cover_proof": "One example of my work: “{bullet}”. ",
        "outreach_head": "Message to the recruiter:",
        "outreach_body": "Hi! I saw the opening and it fits me well: I work as {title}{skills}. "
        "May I send you my CV or have a short call?",
        "outreach_skills": " with {skills}",
        "headline_head": "LinkedIn headline: {headline}",
        "about_head": "About (LinkedIn): {about}",
        "about_body": "I work as {title}{skills}. {proof}",
        "about_proof": "A result I'm proud of: “{bullet}”.",
        "career_no_salary": "I have no source of salary data for your role and region, so I "
        "won't quote figures. ",
        "career_results": "In the conversation, back your ask with your results, for example: "
        "“{bullet}”.",
        "career_skills": "From your CV, these skills usually transfer well: {skills}.",
        "career_close": "Shall we build a plan with next steps for the coming weeks?",
        "role_unknown": "your current role",
        "and": " and ",
    },
}

# What to do about a weak category when the analysis has no suggestion text in the
# reply's language.
_ADVICE: dict[str, dict[str, str]] = {
    PT: {
        "parseability": "   Use um arquivo de uma coluna, sem tabelas nem imagens com texto.",
        "contact": "   Deixe nome, e-mail, telefone, cidade e LinkedIn no topo.",
        "structure": "   Use títulos de seção comuns: Resumo, Experiência, Formação, Habilidades.",
        "impact": "   Mostre o resultado de cada item: o que mudou e quanto.",
        "action_verbs": "   Comece cada item com um verbo de ação no passado.",
        "length_readability": "   Corte o que não ajuda na vaga; itens curtos, de uma ou duas linhas.",
        "dates_consistency": "   Use o mesmo formato de data em todas as experiências.",
        "keywords": "   Traga para o CV, com as palavras da vaga, o que você realmente tem.",
    },
    EN: {
        "parseability": "   Use a single-column file, with no tables or text inside images.",
        "contact": "   Put name, e-mail, phone, city and LinkedIn at the top.",
        "structure": "   Use common section headings: Summary, Experience, Education, Skills.",
        "impact": "   Show each bullet's result: what changed and by how much.",
        "action_verbs": "   Start each bullet with a past-tense action verb.",
        "length_readability": "   Cut what doesn't help for the job; short, one or two line bullets.",
        "dates_consistency": "   Use the same date format in every entry.",
        "keywords": "   Bring into the CV, in the job's words, what you really have.",
    },
}

_WEAK_BELOW = 85
_SALARY_WORDS = ("salar", "negoci", "proposta", "offer", "pretens", "aumento", "raise", "pay")


def reply(data: CoachInput) -> CoachReply:
    language = detect(data.message, data.locale)
    t = _T[language]
    flags = safety.screen(data.message)
    last = data.history[-1] if data.history else None
    in_interview = bool(
        last is not None and last.role == CoachRole.ASSISTANT and last.asked_question
    )
    mode = choose_mode(data.message, data.session_mode, in_interview)
    if safety.FABRICATION in flags and mode in (CoachMode.INTERVIEW, CoachMode.CAREER):
        mode = CoachMode.REVIEW
    parts: list[str] = []
    if safety.INJECTION in flags or safety.PROMPT_REQUEST in flags:
        parts.append(t["refuse_injection"])
    if safety.FABRICATION in flags:
        parts.append(t["refuse_fabrication"])
    all_flags = list(flags)
    facts = data.facts
    if facts is not None and facts.suspicious:
        all_flags.append(safety.CV_INJECTION)
        parts.append(t["cv_injection"])
    kb = knowledge(language)
    sources: list[str] = []
    references: list[str] = []
    star: StarFeedback | None = None
    asked = False

    def use(entry: Entry) -> str:
        sources.append(f"kb:{entry.id}")
        references.append(entry.text)
        references.append(entry.title)
        return t["tip"].format(title=entry.title, text=entry.text)

    if facts is None:
        parts.append(t["no_cv"])
    if mode == CoachMode.REVIEW:
        parts.extend(_review(facts, language, t, sources))
        entry = _entry_for_weakest(kb, facts, language)
        entries = [entry] if entry is not None else kb.search(data.message, mode)
        parts.extend(use(e) for e in entries)
        if facts is not None:
            parts.append(t["review_close"])
    elif mode == CoachMode.INTERVIEW:
        asked_so_far = sum(1 for turn in data.history if turn.asked_question)
        role = data.target_role or _latest_title(facts)
        if in_interview and looks_like_answer(data.message):
            star = assess(data.message)
            parts.extend(_star_feedback(star, language, t))
            sources.append("star")
        else:
            target = t["target"].format(role=role) if role else ""
            parts.append(t["interview_intro"].format(target=target))
            parts.extend(use(e) for e in kb.search("star " + data.message, mode))
        question = _question(kb.questions, role, data.job_description, facts, asked_so_far, t)
        references.append(question)
        key = "next_question" if star is not None else "question"
        parts.append(t[key].format(question=question))
        asked = True
    elif mode == CoachMode.TAILOR:
        parts.extend(_tailor(facts, data.job_description, language, t, sources))
        parts.extend(use(e) for e in kb.search(data.message + " keywords palavra", mode))
    else:
        entries = kb.search(data.message, mode, limit=2)
        if not entries:
            entries = kb.search("plano busca plan search", mode)
        parts.extend(use(e) for e in entries)
        parts.extend(_career_facts(data.message, facts, t, sources))
        parts.append(t["career_close"])
    return CoachReply(
        text="\n\n".join(p for p in parts if p),
        mode=mode,
        language=language,
        sources=tuple(dict.fromkeys(sources)),
        safety=tuple(all_flags),
        star=star,
        asked_question=asked,
        references=tuple(references),
    )


# The knowledge-base entry about each category of the analysis.
_CATEGORY_ENTRIES = {
    "impact": "cv-impact",
    "action_verbs": "cv-verbs",
    "parseability": "cv-ats",
    "structure": "cv-structure",
    "length_readability": "cv-length",
    "dates_consistency": "cv-dates",
    "contact": "cv-contact",
    "keywords": "cv-keywords",
}


def _entry_for_weakest(kb: KnowledgeBase, facts: CvFacts | None, language: str) -> Entry | None:
    if facts is None or not facts.weakest:
        return None
    suffix = _CATEGORY_ENTRIES.get(facts.weakest[0].category)
    prefix = "pt" if language == PT else "en"
    return kb.by_id(f"{prefix}-{suffix}") if suffix else None


def _review(
    facts: CvFacts | None, language: str, t: dict[str, str], sources: list[str]
) -> list[str]:
    if facts is None:
        return []
    weak = [area for area in facts.weakest if area.score < _WEAK_BELOW][:3]
    if len(weak) < 2:
        weak = [area for area in facts.weakest if area.score < 100][:2]
    if not weak:
        return [t["no_weak"]]
    lines = [t["score"].format(score=facts.score)]
    same_language = (facts.language == "pt") == (language == PT)
    for n, area in enumerate(weak, start=1):
        block = [
            t["area"].format(n=n, label=category_label(area.category, language), score=area.score)
        ]
        sources.append(f"cv:{area.category}")
        quoted = 0
        for item in area.evidence:
            if item.line and item.line not in facts.suspicious and quoted < 2:
                block.append(t["in_cv"].format(line=item.line))
                quoted += 1
                if item.example and same_language:
                    block.append(t["rewrite"].format(example=item.example))
        messages = [e.message for e in area.evidence if e.message]
        if messages and same_language:
            block.append(f"   {messages[0]}")
        else:
            block.append(_ADVICE[language].get(area.category, ""))
        lines.append("\n".join(b for b in block if b))
    if not any(e.line for area in weak for e in area.evidence):
        # Advice lands better on one of the user's own lines: the first without a figure.
        own = [b for b in _bullets_without_numbers(facts.roles) if b not in facts.suspicious]
        own = own or [b for r in facts.roles for b in r.bullets if b not in facts.suspicious]
        if own:
            lines.append(t["start_with"].format(line=own[0]))
            sources.append("cv:experience")
    return lines


def _latest_title(facts: CvFacts | None) -> str | None:
    if facts is None:
        return None
    return next((r.title for r in facts.roles if r.title), None)


def _question(
    questions: dict[str, tuple[str, ...]],
    role: str | None,
    job_description: str | None,
    facts: CvFacts | None,
    asked: int,
    t: dict[str, str],
) -> str:
    family = role_family(role)
    pool = list(questions.get(family) or questions["general"])
    if job_description and facts is not None:
        shared = [s for s in find_skills(job_description) if _has_skill(facts, s)]
        pool = [t["skill_question"].format(skill=s) for s in shared[:2]] + pool
    return pool[asked % len(pool)]


def _has_skill(facts: CvFacts, skill: str) -> bool:
    return fold(skill) in {fold(s) for s in facts.skills}


def _star_feedback(star: StarFeedback, language: str, t: dict[str, str]) -> list[str]:
    labels = STAR_LABELS[language]
    present = [labels[p] for p in ("situation", "task", "action", "result") if star.present[p]]
    lines = [t["star_feedback"].format(score=star.score)]
    if present:
        lines.append(t["star_has"].format(parts=", ".join(present)))
    if star.missing:
        lines.append(t["star_missing"].format(parts=", ".join(labels[p] for p in star.missing)))
        lines.extend(t[f"star_tip_{p}"] for p in star.missing)
    else:
        lines.append(t["star_all"])
    return ["\n".join(lines)]


def _join(items: list[str], t: dict[str, str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t["and"] + items[-1]


def _bullets_with_numbers(roles: tuple[Role, ...]) -> list[str]:
    return [b for r in roles for b in r.bullets if any(c.isdigit() for c in b)]


def _bullets_without_numbers(roles: tuple[Role, ...]) -> list[str]:
    return [b for r in roles for b in r.bullets if not any(c.isdigit() for c in b)]


def _tailor(
    facts: CvFacts | None,
    job_description: str | None,
    language: str,
    t: dict[str, str],
    sources: list[str],
) -> list[str]:
    if not job_description:
        return [t["tailor_need_jd"]]
    sources.append("job_description")
    wanted = find_skills(job_description)
    if facts is None:
        if not wanted:
            return [t["tailor_none"]]
        return [
            t["tailor_head"],
            t["tailor_missing"].format(skills=_join(wanted, t), first=wanted[0]),
        ]
    matched = [s for s in wanted if _has_skill(facts, s)]
    missing = [s for s in wanted if not _has_skill(facts, s)]
    sources.append("cv:skills")
    lines = [t["tailor_head"]]
    if matched:
        lines.append(t["tailor_matched"].format(skills=_join(matched, t)))
    if missing:
        lines.append(t["tailor_missing"].format(skills=_join(missing, t), first=missing[0]))
    if not wanted:
        lines.append(t["tailor_none"])
    title = _latest_title(facts)
    top = (matched or list(facts.skills))[:3]
    headline = " | ".join(p for p in (title, " · ".join(top)) if p)
    if headline:
        current = title or ""
        lines.append(
            "\n".join(
                [
                    t["tailor_diff"],
                    f"- {t['headline_head'].format(headline=current)}",
                    f"+ {t['headline_head'].format(headline=headline)}",
                    t["tailor_unchanged"],
                ]
            )
        )
    bare = [b for b in _bullets_without_numbers(facts.roles) if b not in facts.suspicious][:2]
    if bare:
        lines.append(
            "\n".join(
                [t["tailor_numbers"], *(t["tailor_ask_number"].format(bullet=b) for b in bare)]
            )
        )
    proof_bullets = [b for b in _bullets_with_numbers(facts.roles) if b not in facts.suspicious]
    role_name = title or t["role_unknown"]
    skills_text = _join(top, t)
    cover = t["cover_body"].format(
        title=role_name,
        skills=t["cover_skills"].format(skills=skills_text) if top else "",
        proof=t["cover_proof"].format(bullet=proof_bullets[0]) if proof_bullets else "",
    )
    lines.append(f"{t['cover_head']}\n{cover}")
    outreach = t["outreach_body"].format(
        title=role_name, skills=t["outreach_skills"].format(skills=skills_text) if top else ""
    )
    lines.append(f"{t['outreach_head']}\n{outreach}")
    about = t["about_body"].format(
        title=role_name,
        skills=t["outreach_skills"].format(skills=skills_text) if top else "",
        proof=t["about_proof"].format(bullet=proof_bullets[0]) if proof_bullets else "",
    )
    if headline:
        lines.append(t["headline_head"].format(headline=headline))
    lines.append(t["about_head"].format(about=about.strip()))
    return lines


def _career_facts(
    message: str, facts: CvFacts | None, t: dict[str, str], sources: list[str]
) -> list[str]:
    folded = fold(message)
    lines: list[str] = []
    if any(word in folded for word in _SALARY_WORDS):
        proof = _bullets_with_numbers(facts.roles) if facts is not None else []
        proof = [b for b in proof if facts is not None and b not in facts.suspicious]
        text = t["career_no_salary"]
        if proof:
            text += t["career_results"].format(bullet=proof[0])
            sources.append("cv:experience")
        lines.append(text.strip())
    elif facts is not None and facts.skills:
        lines.append(t["career_skills"].format(skills=_join(list(facts.skills[:5]), t)))
        sources.append("cv:skills")
    return lines
