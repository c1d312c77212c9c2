"""CV text (or file bytes) -> ``ParsedCv``: the entry points of the parsing package."""

from __future__ import annotations

import re

from consumers.parsing.bounds import bound_text
from consumers.parsing.contact import extract_contact
from consumers.parsing.experience import parse_education, parse_experience, parse_languages
from consumers.parsing.extract import extract_text
from consumers.parsing.flat import is_flattened, unflatten
from consumers.parsing.language import detect_language
from consumers.parsing.personal import find_personal_data
from consumers.parsing.sections import split_sections
from consumers.parsing.skills import find_cv_skills
from consumers.parsing.text import fold, normalize_text
from schemas.cv import ParsedCv, SectionKind
from schemas.files import FileKind


def parse_cv(
    text: str, page_count: int = 1, prominent: tuple[str, ...] = (), photo: bool = False
) -> ParsedCv:
    """Structure a CV's text: language, contact, sections, experience, education,
    skills and spoken languages. Pure and fast; never raises on odd text.

    ``prominent`` are the lines the file set apart by type, largest first (the name is
    usually the largest text on the first page, wherever the text order puts it);
    ``photo`` says the file shows a portrait (personal data, flagged like the CPF).
    The text is bounded first (``bounds``), so its cost is that of a CV at most."""
    text = bound_text(normalize_text(bound_text(text)))
    flattened = is_flattened(text)
    if flattened:
        text = bound_text(unflatten(text))
    preamble, sections = split_sections(text)

    def bodies(kind: SectionKind) -> list[str]:
        return [s.text for s in sections if s.kind is kind and s.text]

    language = detect_language(text)
    contact = extract_contact(text, preamble, language, prominent)
    # The CV's own city, written beside a role, is where the role was, not its company.
    places = (
        (fold(re.split(r" - |,|/|\(", contact.location)[0].strip()),) if contact.location else ()
    )
    experience = [
        e
        for body in bodies(SectionKind.EXPERIENCE)
        for e in parse_experience(body, places, flattened=flattened)
    ]
    education = [e for body in bodies(SectionKind.EDUCATION) for e in parse_education(body)]
    language_bodies = bodies(SectionKind.LANGUAGES)
    if language_bodies:
        languages = parse_languages("\n".join(language_bodies))
    else:
        languages = parse_languages(text, require_level=True)
    return ParsedCv(
        text=text,
        language=language,
        page_count=max(1, page_count),
        contact=contact,
        sections=sections,
        experience=experience,
        education=education,
        # A job title names the field its holder works in ("Assistente Contábil"): as
        # good a context as a skills section. A degree names what was studied
        # ("Graduação em Estatística"), which vouches for a technical field only.
        skills=find_cv_skills(
            text,
            "\n".join([*bodies(SectionKind.SKILLS), *(e.title for e in experience if e.title)]),
            studied="\n".join(e.degree for e in education if e.degree),
            employers=tuple({e.company for e in experience if e.company}),
        ),
        languages=languages,
        personal_data=find_personal_data(text, photo=photo),
    )


def parse_file(data: bytes, kind: FileKind) -> ParsedCv:
    """Extract the text of a CV file and parse it; raises ``ParseError`` (see
    ``extract_text``) when the file yields no usable text."""
    extracted = extract_text(data, kind)
    return parse_cv(extracted.text, extracted.page_count, extracted.prominent, extracted.photo)
