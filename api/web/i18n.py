"""The pages' words, in Brazilian Portuguese and English.

One table, one entry per phrase with both languages side by side, so a phrase cannot
exist in one language only (a test checks it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemas.users import Locale

_T: dict[str, tuple[str, str]] = {
    # key: (pt-BR, en)
    "brand.tagline": (
        "Seu currículo, lido como um recrutador lê",
        "Your CV, read the way a recruiter reads it",
    ),
    "nav.skip": ("Pular para o conteúdo", "Skip to content"),
    "nav.dashboard": ("Painel", "Dashboard"),
    "nav.upload": ("Enviar CV", "Upload CV"),
    "nav.coach": ("Coach", "Coach"),
    "nav.billing": ("Plano", "Plan"),
    "nav.notifications": ("Notificações", "Notifications"),
    "nav.account": ("Conta", "Account"),
    "nav.logout": ("Sair", "Sign out"),
    "nav.login": ("Entrar", "Sign in"),
    "nav.signup": ("Criar conta", "Sign up"),
    "nav.ops": ("Operação", "Operations"),
    "nav.admin": ("Administração", "Administration"),
    "nav.main": ("Navegação principal", "Main navigation"),
    "locale.switch": ("Idioma", "Language"),
    "footer.privacy": (
        "Seus dados ficam cifrados com uma chave só sua. Exporte ou apague quando quiser.",
        "Your data is encrypted with a key of your own. Export or delete it whenever you like.",
    ),
    # landing
    "landing.title": ("Recoloca — currículo e carreira", "Recoloca — CV and career"),
    "landing.hero": (
        "Descubra o que o robô do RH vê no seu currículo",
        "See what the hiring robot sees in your CV",
    ),
    "landing.lead": (
        "Envie seu CV e receba em segundos uma nota de 0 a 100, o que pesou nela e sugestões concretas, com a linha exata de cada uma. Cole uma vaga e veja as palavras que faltam.",
        "Upload your CV and get, in seconds, a 0–100 score, what weighed on it and concrete suggestions, each pointing at the exact line. Paste a job ad and see the words you are missing.",
    ),
    "landing.deleted": (
        "Sua conta está sendo apagada. Obrigado por ter usado o Recoloca.",
        "Your account is being erased. Thank you for using Recoloca.",
    ),
    "landing.cta": ("Comece grátis", "Start for free"),
    "landing.how": ("Como funciona", "How it works"),
    "landing.step1": (
        "Envie um PDF, DOCX, ODT, RTF ou TXT.",
        "Upload a PDF, DOCX, ODT, RTF or TXT.",
    ),
    "landing.step2": (
        "Acompanhe a análise ao vivo: lido, pontuado.",
        "Watch the analysis live: read, scored.",
    ),
    "landing.step3": (
        "Corrija com as sugestões e converse com o coach.",
        "Fix it with the suggestions and talk to the coach.",
    ),
    "landing.plans": ("Planos", "Plans"),
    "plan.free": ("Grátis", "Free"),
    "plan.pro": ("Pro", "Pro"),
    "plan.analyses": ("análises por mês", "analyses a month"),
    "plan.coach_messages": ("mensagens ao coach por dia", "coach messages a day"),
    "plan.per_month": ("/mês", "/month"),
    "plan.per_year": ("/ano", "/year"),
    # auth
    "login.title": ("Entrar", "Sign in"),
    "signup.title": ("Criar conta", "Create your account"),
    "field.email": ("E-mail", "Email"),
    "field.password": ("Senha", "Password"),
    "field.password_hint": (
        "Pelo menos 10 caracteres; uma frase é ótima.",
        "At least 10 characters; a phrase works well.",
    ),
    "field.mfa_code": (
        "Código de 6 dígitos ou código de recuperação",
        "6-digit code or a recovery code",
    ),
    "login.submit": ("Entrar", "Sign in"),
    "signup.submit": ("Criar conta", "Create account"),
    "login.no_account": ("Ainda não tem conta?", "No account yet?"),
    "signup.have_account": ("Já tem conta?", "Already have an account?"),
    "mfa.title": ("Verificação em duas etapas", "Two-step verification"),
    "mfa.lead": (
        "Abra seu aplicativo autenticador e digite o código. Sem o celular? Use um código de recuperação.",
        "Open your authenticator app and type the code. No phone? Use a recovery code.",
    ),
    "mfa.submit": ("Verificar", "Verify"),
    # dashboard
    "dashboard.title": ("Seu painel", "Your dashboard"),
    "dashboard.cvs": ("Seus currículos", "Your CVs"),
    "dashboard.empty": (
        "Nenhum CV ainda. Envie o primeiro — leva menos de um minuto.",
        "No CV yet. Upload your first one — it takes under a minute.",
    ),
    "dashboard.usage": ("Uso do plano", "Plan usage"),
    "dashboard.unread": ("notificações não lidas", "unread notifications"),
    "col.file": ("Arquivo", "File"),
    "col.status": ("Situação", "Status"),
    "col.score": ("Nota", "Score"),
    "col.change": ("Desde o CV anterior", "Since the previous CV"),
    "col.date": ("Enviado em", "Uploaded"),
    "status.queued": ("na fila", "queued"),
    "status.parsed": ("lido", "read"),
    "status.scored": ("pontuado", "scored"),
    "status.failed": ("falhou", "failed"),
    "usage.of": ("de", "of"),
    # upload
    "upload.title": ("Enviar currículo", "Upload a CV"),
    "upload.lead": (
        "PDF, DOCX, ODT, RTF ou TXT, até {mib} MiB. Arquivos escaneados (só imagem) não têm texto para ler.",
        "PDF, DOCX, ODT, RTF or TXT, up to {mib} MiB. Scanned files (images only) have no text to read.",
    ),
    "upload.drop": (
        "Arraste o arquivo para cá ou escolha no computador",
        "Drag the file here or pick it from your computer",
    ),
    "upload.file": ("Arquivo do currículo", "CV file"),
    "upload.job": ("Descrição da vaga (opcional)", "Job description (optional)"),
    "upload.job_hint": (
        "Cole o anúncio para ver as palavras-chave que batem e as que faltam.",
        "Paste the ad to see which keywords match and which are missing.",
    ),
    "upload.submit": ("Analisar", "Analyse"),
    "upload.progress": ("Andamento", "Progress"),
    "upload.step.sent": ("Enviado", "Sent"),
    "upload.step.queued": ("Na fila", "Queued"),
    "upload.step.parsed": ("Lido", "Read"),
    "upload.step.scored": ("Pontuado", "Scored"),
    "upload.too_large": ("O arquivo passa de {mib} MiB.", "The file is over {mib} MiB."),
    "upload.bad_type": (
        "Use um PDF, DOCX, ODT, RTF ou TXT.",
        "Use a PDF, DOCX, ODT, RTF or TXT file.",
    ),
    "upload.empty": ("O arquivo está vazio.", "The file is empty."),
    "upload.failed": ("Não conseguimos analisar este arquivo", "We could not analyse this file"),
    "upload.what_now": (
        "Exporte o currículo de novo como PDF com texto (não imagem) ou envie um DOCX.",
        "Export the CV again as a PDF with text (not an image) or upload a DOCX.",
    ),
    "upload.see": ("Ver a análise completa", "See the full analysis"),
    "upload.sending": ("Enviando…", "Sending…"),
    "failure.no_extractable_text": (
        "não há texto para ler — parece um arquivo escaneado ou só com imagens.",
        "there is no text to read — it looks scanned or made of images.",
    ),
    "failure.unreadable_file": (
        "o arquivo está danificado ou incompleto.",
        "the file is damaged or incomplete.",
    ),
    "failure.file_too_complex": (
        "o arquivo é complexo demais para ler com segurança.",
        "the file is too complex to read safely.",
    ),
    "failure.unsafe_content": (
        "o arquivo traz scripts ou anexos, que não abrimos.",
        "the file carries scripts or attachments, which we do not open.",
    ),
    # analysis
    "cv.title": ("Análise do currículo", "CV analysis"),
    "cv.score": ("Nota ATS", "ATS score"),
    "cv.breakdown": ("O que pesou na nota", "What weighed on the score"),
    "cv.weight": ("peso", "weight"),
    "cv.suggestions": ("Sugestões", "Suggestions"),
    "cv.no_suggestions": ("Nada a corrigir — muito bem.", "Nothing to fix — well done."),
    "cv.evidence": ("No seu CV", "In your CV"),
    "cv.example": ("Como poderia ficar", "How it could read"),
    "cv.severity.high": ("importante", "important"),
    "cv.severity.medium": ("médio", "medium"),
    "cv.severity.low": ("detalhe", "detail"),
    "cv.as_read": ("Como o ATS leu", "As the ATS read it"),
    "cv.contact": ("Contato", "Contact"),
    "cv.sections": ("Seções", "Sections"),
    "cv.skills": ("Competências", "Skills"),
    "cv.experience": ("Experiência", "Experience"),
    "cv.none": ("não encontrado", "not found"),
    "cv.match": ("Aderência à vaga", "Job match"),
    "cv.matched": ("Tem", "You have"),
    "cv.missing": ("Falta", "Missing"),
    "cv.rematch": ("Comparar com uma vaga", "Compare with a job"),
    "cv.rematch_hint": (
        "Uma nova análise do mesmo CV contra este anúncio; conta como uma análise do plano.",
        "A new analysis of the same CV against this ad; it counts as one of the plan's analyses.",
    ),
    "cv.rematch_submit": ("Comparar", "Compare"),
    "cv.report": ("Baixar o relatório em PDF", "Download the PDF report"),
    "cv.report_pending": (
        "O relatório em PDF está sendo gerado.",
        "The PDF report is being prepared.",
    ),
    "cv.waiting": (
        "Analisando… esta página se atualiza sozinha.",
        "Analysing… this page updates by itself.",
    ),
    "cv.name": ("Nome", "Name"),
    "cv.phone": ("Telefone", "Phone"),
    "cv.location": ("Local", "Location"),
    "cv.versions": ("Versões desta análise lado a lado", "This analysis's versions side by side"),
    "cv.versions_lead": (
        "Cada comparação com uma vaga gera uma nova versão; veja o que mudou na nota.",
        "Each comparison with a job makes a new version; see what changed in the score.",
    ),
    "cv.versions_row": ("Item", "Item"),
    "cv.version": ("Versão", "Version"),
    "cv.coach_cta": ("Conversar com o coach sobre este CV", "Talk to the coach about this CV"),
    # coach
    "coach.title": ("Coach de carreira", "Career coach"),
    "coach.lead": (
        "Um coach que conhece o seu currículo e nunca inventa o que não está nele.",
        "A coach that knows your CV and never makes up what is not in it.",
    ),
    "coach.sessions": ("Suas conversas", "Your conversations"),
    "coach.new": ("Nova conversa", "New conversation"),
    "coach.mode": ("Modo", "Mode"),
    "coach.mode.review": ("Revisar o CV", "Review my CV"),
    "coach.mode.interview": ("Treinar entrevista", "Practise an interview"),
    "coach.mode.tailor": ("Adaptar a uma vaga", "Tailor to a job"),
    "coach.mode.career": ("Carreira", "Career"),
    "coach.start": ("Começar", "Start"),
    "coach.empty": ("Nenhuma conversa ainda.", "No conversation yet."),
    "coach.message": ("Sua mensagem", "Your message"),
    "coach.send": ("Enviar", "Send"),
    "coach.cancel": ("Parar resposta", "Stop reply"),
    "coach.you": ("Você", "You"),
    "coach.bot": ("Coach", "Coach"),
    "coach.thinking": ("escrevendo…", "writing…"),
    "coach.cancelled": ("Resposta interrompida.", "Reply stopped."),
    "coach.rate": ("Avalie esta resposta", "Rate this reply"),
    "coach.helpful": ("Útil", "Helpful"),
    "coach.not_helpful": ("Não ajudou", "Not helpful"),
    # billing
    "billing.title": ("Plano e pagamento", "Plan and billing"),
    "billing.current": ("Seu plano", "Your plan"),
    "billing.upgrade": ("Assinar o Pro", "Upgrade to Pro"),
    "billing.manage": ("Gerenciar assinatura", "Manage subscription"),
    "billing.unavailable": (
        "Pagamentos indisponíveis no momento.",
        "Payments are unavailable right now.",
    ),
    "billing.continue": ("Continuar para o pagamento", "Continue to payment"),
    "billing.continue_lead": (
        "O pagamento é feito na página segura da Stripe.",
        "Payment happens on Stripe's secure page.",
    ),
    "billing.state.none": ("sem assinatura", "no subscription"),
    "billing.state.active": ("ativa", "active"),
    "billing.state.trialing": ("em teste", "on trial"),
    "billing.state.past_due": ("pagamento pendente", "payment overdue"),
    "billing.state.unpaid": ("não paga", "unpaid"),
    "billing.state.canceled": ("cancelada", "cancelled"),
    "billing.state.incomplete": ("aguardando pagamento", "awaiting payment"),
    "billing.state.incomplete_expired": ("expirada", "expired"),
    "billing.state.paused": ("pausada", "paused"),
    "billing.status": ("Situação", "Status"),
    "billing.invoices": ("Faturas", "Invoices"),
    "billing.invoices_unconfigured": (
        "As faturas aparecem aqui quando houver pagamentos; este servidor ainda não cobra.",
        "Invoices show here once there are payments; this server does not take any yet.",
    ),
    "billing.invoices_unavailable": (
        "Não conseguimos buscar suas faturas agora. Tente de novo em alguns minutos.",
        "We could not fetch your invoices just now. Try again in a few minutes.",
    ),
    "billing.invoices_none": ("Nenhuma fatura ainda.", "No invoices yet."),
    "billing.invoice_number": ("Número", "Number"),
    "billing.invoice_date": ("Data", "Date"),
    "billing.invoice_amount": ("Valor", "Amount"),
    "billing.invoice_open": ("Ver fatura", "View invoice"),
    "billing.invoice_status.paid": ("paga", "paid"),
    "billing.invoice_status.open": ("em aberto", "open"),
    "billing.invoice_status.draft": ("rascunho", "draft"),
    "billing.invoice_status.void": ("anulada", "void"),
    "billing.invoice_status.uncollectible": ("não cobrável", "uncollectible"),
    # notifications
    "notifications.title": ("Notificações", "Notifications"),
    "notifications.empty": ("Nada por aqui.", "Nothing here."),
    "notifications.mark_all": ("Marcar todas como lidas", "Mark all as read"),
    "notifications.unread": ("não lida", "unread"),
    "notifications.prefs": ("Preferências", "Preferences"),
    "notifications.category": ("Assunto", "Topic"),
    "notifications.channel.email": ("E-mail", "Email"),
    "notifications.channel.in_app": ("No app", "In the app"),
    "notifications.kind.account": ("Conta", "Account"),
    "notifications.kind.security": ("Segurança", "Security"),
    "notifications.kind.billing": ("Pagamentos", "Payments"),
    "notifications.kind.privacy": ("Privacidade", "Privacy"),
    "notifications.kind.analysis": ("Análises de CV", "CV analyses"),
    "notifications.kind.coach": ("Respostas do coach", "Coach replies"),
    "notifications.kind.product": ("Novidades da Recoloca", "Recoloca news"),
    "notifications.required_hint": (
        "Avisos de conta, segurança, pagamento e privacidade sempre chegam.",
        "Account, security, payment and privacy notices always arrive.",
    ),
    "notifications.save": ("Salvar preferências", "Save preferences"),
    # account
    "account.title": ("Sua conta", "Your account"),
    "account.profile": ("Perfil", "Profile"),
    "account.display_name": ("Como podemos te chamar", "What should we call you"),
    "account.locale": ("Idioma", "Language"),
    "account.save": ("Salvar", "Save"),
    "account.saved": ("Salvo.", "Saved."),
    "account.password": ("Senha", "Password"),
    "account.current_password": ("Senha atual", "Current password"),
    "account.new_password": ("Nova senha", "New password"),
    "account.change_password": ("Trocar senha", "Change password"),
    "account.sessions": ("Sessões ativas", "Active sessions"),
    "account.this_session": ("esta sessão", "this session"),
    "account.revoke": ("Encerrar", "End"),
    "account.api_keys": ("Chaves de API", "API keys"),
    "account.no_keys": ("Nenhuma chave.", "No keys."),
    "account.mfa_lead": (
        "Proteja a conta com um código do aplicativo autenticador a cada entrada.",
        "Protect the account with a code from an authenticator app at each sign-in.",
    ),
    "account.mfa_start": ("Ativar", "Turn on"),
    "account.mfa_scan": (
        "Escaneie o código com o aplicativo autenticador.",
        "Scan the code with your authenticator app.",
    ),
    "account.mfa_qr_alt": (
        "Código QR para o aplicativo autenticador",
        "QR code for the authenticator app",
    ),
    "account.mfa_manual": ("Ou digite esta chave:", "Or type this key:"),
    "account.mfa_confirm_code": ("Código de 6 dígitos do aplicativo", "6-digit code from the app"),
    "account.mfa_confirm": ("Confirmar", "Confirm"),
    "account.mfa_disable": ("Desativar", "Turn off"),
    "account.mfa_disable_lead": (
        "Para desativar, confirme com a senha e um código do aplicativo (ou de recuperação).",
        "To turn it off, confirm with your password and a code from the app (or a recovery code).",
    ),
    "account.mfa_turned_off": (
        "Verificação em duas etapas desativada.",
        "Two-step verification is off.",
    ),
    "account.recovery_lead": (
        "Guarde estes códigos de recuperação num lugar seguro: cada um entra uma vez sem o celular. Eles não serão mostrados de novo.",
        "Keep these recovery codes somewhere safe: each signs you in once without your phone. They will not be shown again.",
    ),
    "account.key_name": ("Nome da chave", "Key name"),
    "account.key_scopes": ("O que a chave pode fazer", "What the key may do"),
    "account.scope.cvs_read": ("Ler CVs e análises", "Read CVs and analyses"),
    "account.scope.cvs_write": ("Enviar CVs", "Upload CVs"),
    "account.scope.coach": ("Conversar com o coach", "Talk to the coach"),
    "account.key_create": ("Criar chave", "Create key"),
    "account.key_once": (
        "Copie a chave agora: ela não será mostrada de novo.",
        "Copy the key now: it will not be shown again.",
    ),
    "account.export": ("Exportar meus dados", "Export my data"),
    "account.export_lead": (
        "Um arquivo .zip com tudo o que guardamos sobre você. Avisamos quando estiver pronto.",
        "A .zip of everything we hold about you. We will let you know when it is ready.",
    ),
    "account.export_requested": (
        "Exportação pedida. Avisaremos quando estiver pronta.",
        "Export requested. We will let you know when it is ready.",
    ),
    "account.export_download": ("Baixar o arquivo", "Download the file"),
    "account.export_status.queued": ("preparando…", "preparing…"),
    "account.export_status.ready": ("pronto", "ready"),
    "account.export_status.failed": ("falhou; peça de novo", "failed; ask again"),
    "account.export_status.expired": ("expirou; peça de novo", "expired; ask again"),
    "account.delete": ("Apagar minha conta", "Delete my account"),
    "account.delete_lead": (
        "Isso apaga seus currículos, análises, conversas e a conta. Não dá para desfazer.",
        "This erases your CVs, analyses, conversations and the account. It cannot be undone.",
    ),
    "account.delete_confirm": ("Digite sua senha para confirmar", "Type your password to confirm"),
    "account.mfa": ("Verificação em duas etapas", "Two-step verification"),
    "account.mfa_on": ("ativada", "on"),
    "account.mfa_off": ("desativada", "off"),
    "account.mfa_code": (
        "Código (se a verificação em duas etapas estiver ativa)",
        "Code (if two-step verification is on)",
    ),
    "cat.parseability": ("Leitura pelo ATS", "ATS readability"),
    "cat.contact": ("Contato", "Contact"),
    "cat.structure": ("Estrutura", "Structure"),
    "cat.impact": ("Impacto e resultados", "Impact and results"),
    "cat.action_verbs": ("Verbos de ação", "Action verbs"),
    "cat.length_readability": ("Tamanho e clareza", "Length and clarity"),
    "cat.dates_consistency": ("Datas coerentes", "Consistent dates"),
    "cat.keywords": ("Palavras-chave da vaga", "Job keywords"),
    # the console of operators and admins
    "ops.title": ("Operação do barramento", "Bus operations"),
    "ops.lag": ("Atraso por worker", "Lag per worker"),
    "ops.group": ("Grupo de consumo", "Consumer group"),
    "ops.topics": ("Tópicos", "Topics"),
    "ops.lag_col": ("Mensagens por ler", "Messages not yet read"),
    "ops.dead_letters": ("Mensagens mortas", "Dead letters"),
    "ops.topic": ("Tópico de origem", "Original topic"),
    "ops.show": ("Mostrar", "Show"),
    "ops.no_letters": ("Nenhuma mensagem morta neste tópico.", "No dead letter on this topic."),
    "ops.pick": ("Reenviar", "Redrive"),
    "ops.letter": ("Mensagem", "Letter"),
    "ops.failure": ("Falha", "Failure"),
    "ops.attempts": ("tentativas:", "attempts:"),
    "ops.state.waiting": ("aguardando", "waiting"),
    "ops.state.redriven": ("reenviada", "redriven"),
    "ops.redrive": ("Reenviar ao tópico", "Send back to the topic"),
    "ops.letters_shown": (
        "As {shown} mais antigas de {total}; a API de operações lista as demais.",
        "The oldest {shown} of {total}; the operations API lists the rest.",
    ),
    "ops.redrive_hint": (
        "Sem nenhuma marcada, todas as que aguardam voltam ao tópico, cada uma uma vez.",
        "With none checked, every waiting letter goes back to the topic, each once.",
    ),
    "ops.redriven": ("{count} mensagem(ns) reenviada(s).", "{count} letter(s) sent back."),
    "admin.title": ("Administração", "Administration"),
    "admin.users": ("Usuários", "Users"),
    "admin.search": ("Parte do e-mail", "Part of the email"),
    "admin.search_submit": ("Buscar", "Search"),
    "admin.since": ("Conta desde", "Account since"),
    "admin.role": ("Papel", "Role"),
    "admin.role_of": ("Papel de {email}", "Role of {email}"),
    "admin.set_role": ("Aplicar", "Apply"),
    "admin.role_changed": (
        "Papel alterado; vale a partir da próxima requisição da conta.",
        "Role changed; it applies from the account's next request.",
    ),
    "admin.disabled": ("desativada", "disabled"),
    "admin.audit": ("Registro de auditoria", "Audit log"),
    "admin.when": ("Quando (UTC)", "When (UTC)"),
    "admin.action": ("Ação", "Action"),
    "admin.outcome": ("Resultado", "Outcome"),
    "admin.actor": ("Quem", "Who"),
    "admin.subject": ("Sobre quem", "About whom"),
    "role.user": ("usuário", "user"),
    "role.operator": ("operador", "operator"),
    "role.admin": ("administrador", "admin"),
    # errors
    "error.title": ("Algo deu errado", "Something went wrong"),
    "error.not_found": ("Não encontramos esta página.", "We could not find this page."),
    "error.back": ("Voltar ao painel", "Back to the dashboard"),
    "error.invalid_credentials": ("E-mail ou senha incorretos.", "Wrong email or password."),
    "error.email_taken": (
        "Já existe uma conta com este e-mail.",
        "An account with this email already exists.",
    ),
    "error.password_too_short": ("A senha é curta demais.", "The password is too short."),
    "error.password_too_common": (
        "Essa senha é fácil de adivinhar; escolha outra.",
        "That password is easy to guess; pick another.",
    ),
    "error.invalid_mfa_code": ("Código incorreto.", "Wrong code."),
    "error.csrf_failed": (
        "O formulário expirou. Recarregue a página e tente de novo.",
        "The form has expired. Reload the page and try again.",
    ),
    "error.rate_limited": (
        "Muitas tentativas. Espere um pouco.",
        "Too many attempts. Wait a little.",
    ),
    "error.plan_limit_reached": (
        "Você usou todas as análises do plano este mês.",
        "You have used all of your plan's analyses this month.",
    ),
    "error.invalid_password": ("Senha incorreta.", "Wrong password."),
    "error.api_key_invalid": (
        "Dê um nome e escolha ao menos uma permissão.",
        "Give it a name and pick at least one permission.",
    ),
    "error.too_many_api_keys": (
        "Você atingiu o limite de chaves; encerre uma antes.",
        "You have reached the key limit; revoke one first.",
    ),
    "error.mfa_code_reused": (
        "Este código já foi usado; espere o próximo.",
        "This code was already used; wait for the next one.",
    ),
    "error.mfa_code_required": (
        "Digite o código do aplicativo autenticador.",
        "Type the code from your authenticator app.",
    ),
    "error.job_too_short": (
        "Cole o anúncio inteiro: pelo menos 30 caracteres.",
        "Paste the whole ad: at least 30 characters.",
    ),
    "error.validation_error": ("Confira os campos.", "Check the fields."),
    "error.forbidden": (
        "Esta página é só para a equipe de operação.",
        "This page is for the operations team only.",
    ),
    "error.last_admin": (
        "É preciso manter ao menos um administrador.",
        "At least one admin must remain.",
    ),
    "error.mfa_not_enabled": (
        "A verificação em duas etapas já está desativada.",
        "Two-step verification is already off.",
    ),
}

LOCALES: tuple[Locale, ...] = ("pt-BR", "en")


def translations() -> dict[str, tuple[str, str]]:
    return dict(_T)


def translator(locale: Locale) -> Callable[..., str]:
    """``t("key", name=value)``: the phrase in ``locale``; an unknown key shows itself, so
    a missing phrase is visible on the page instead of blank."""
    index = 0 if locale == "pt-BR" else 1

    def t(key: str, default: str | None = None, **values: Any) -> str:
        entry = _T.get(key)
        if entry is None:
            return key if default is None else default
        text = entry[index]
        return text.format(**values) if values else text

    return t


def error_text(locale: Locale, code: str, fallback: str) -> str:
    entry = _T.get(f"error.{code}")
    return entry[0 if locale == "pt-BR" else 1] if entry else fallback
