import pytest
from hypothesis import given
from hypothesis import strategies as st

from consumers.parsing.contact import (
    extract_contact,
    find_email,
    find_github,
    find_linkedin,
    find_location,
    find_name,
    find_name_before_contact,
    find_phone,
    leading_name,
    normalize_phone,
)

DDDS = [11, 19, 21, 27, 31, 41, 48, 51, 61, 71, 81, 85, 91, 98]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(11) 98765-4321", "+5511987654321"),
        ("11 98765 4321", "+5511987654321"),
        ("+55 11 98765-4321", "+5511987654321"),
        ("+55 (11) 9 8765-4321", "+5511987654321"),
        ("(21) 3456-7890", "+552134567890"),
        ("011 98765-4321", "+5511987654321"),
        ("+1 415 555 0100", "+14155550100"),
        ("Celular: 61.99123.4567", "+5561991234567"),
    ],
)
def test_find_phone_normalises_to_e164(raw, expected):
    assert find_phone(f"Contato\n{raw}\n") == expected


@pytest.mark.parametrize(
    "text",
    [
        "2019 - 2021",
        "jan/2019 - dez/2021",
        "03/2018 - 01/2020",
        "CPF 123.456.789-09",
        "CEP 01310-100",
        "Período: 2015-2019, 2020 - 2022",
        "(10) 98765-4321",
        "(11) 18765-4321",
    ],
)
def test_dates_and_other_numbers_are_not_phones(text):
    assert find_phone(text) is None


def test_labelled_phone_wins_over_the_first_number():
    assert find_phone("+1 415 555 0100\nCel: (48) 99999-1234") == "+5548999991234"


_mobile = st.builds(
    lambda ddd, rest: (ddd, "9" + rest),
    st.sampled_from(DDDS),
    st.text("0123456789", min_size=8, max_size=8),
)
_landline = st.builds(
    lambda ddd, first, rest: (ddd, first + rest),
    st.sampled_from(DDDS),
    st.sampled_from("2345"),
    st.text("0123456789", min_size=7, max_size=7),
)
_FORMATS = [
    "({ddd}) {a}-{b}",
    "{ddd} {a} {b}",
    "+55 {ddd} {a}-{b}",
    "+55 ({ddd}) {a}-{b}",
    "0{ddd} {a}-{b}",
    "{ddd}{a}{b}",
    "55 {ddd} {a} {b}",
    "+55{ddd}{a}{b}",
    "{ddd}.{a}.{b}",
]


@given(number=st.one_of(_mobile, _landline), template=st.sampled_from(_FORMATS))
def test_brazilian_formats_all_normalise_to_the_same_e164(number, template):
    ddd, subscriber = number
    raw = template.format(ddd=ddd, a=subscriber[:-4], b=subscriber[-4:])

    assert normalize_phone(raw) == f"+55{ddd}{subscriber}"
    assert find_phone(f"Telefone: {raw} | email") == f"+55{ddd}{subscriber}"


@given(start=st.integers(1950, 2030), length=st.integers(0, 40))
def test_year_ranges_are_never_phones(start, length):
    assert find_phone(f"{start} - {start + length}") is None
    assert find_phone(f"{start}-{start + length}") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("João da Silva", "João da Silva"),
        ("Maria José dos Santos", "Maria José dos Santos"),
        ("MARIA JOSÉ DOS SANTOS", "Maria José dos Santos"),
        ("ANA DE SOUZA E SILVA", "Ana de Souza e Silva"),
        ("Ana Beatriz Oliveira | Engenheira de Dados", "Ana Beatriz Oliveira"),
        ("Mary O'Neil", "Mary O'Neil"),
    ],
)
def test_find_name(line, expected):
    assert find_name(f"{line}\nSão Paulo - SP") == expected


@pytest.mark.parametrize(
    "text",
    ["Desenvolvedor Python Sênior", "Currículo Vitae", "EXPERIÊNCIA PROFISSIONAL", "Acme Ltda"],
)
def test_find_name_skips_non_names(text):
    assert find_name(text) is None


def test_find_name_skips_a_document_title_line():
    assert find_name("Currículo\nPedro Henrique Alves\nRio de Janeiro/RJ") == (
        "Pedro Henrique Alves"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("São Paulo - SP", "São Paulo - SP"),
        ("Rio de Janeiro/RJ", "Rio de Janeiro - RJ"),
        ("Belo Horizonte, MG", "Belo Horizonte - MG"),
        ("Localização: Curitiba – PR", "Curitiba - PR"),
        ("Rua X, 100 - Centro, Campinas, SP, Brasil", "Campinas - SP"),
        ("Lisboa, Portugal", "Lisboa, Portugal"),
        ("Austin, USA", "Austin, USA"),
        ("Project Management - MS", None),
        ("Worked at SAP Labs, India", None),
    ],
)
def test_find_location(text, expected):
    assert find_location(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("linkedin.com/in/joao-silva/", "https://www.linkedin.com/in/joao-silva"),
        ("https://br.linkedin.com/in/maria", "https://www.linkedin.com/in/maria"),
        ("http://www.linkedin.com/in/Ana_Lima?trk=x", "https://www.linkedin.com/in/Ana_Lima"),
    ],
)
def test_find_linkedin(text, expected):
    assert find_linkedin(text) == expected


def test_find_github():
    assert find_github("github.com/joaos/repo") == "https://github.com/joaos"
    assert find_github("https://www.github.com/ana-dev") == "https://github.com/ana-dev"
    assert find_github("no profile") is None


def test_extract_contact_en():
    text = "Mary Johnson\nAustin, USA · +1 415 555 0100 · Mary.Johnson@Example.com\n"

    contact = extract_contact(text)

    assert contact.name == "Mary Johnson"
    assert contact.email == "mary.johnson@example.com"
    assert contact.phone == "+14155550100"
    assert contact.location == "Austin, USA"


def test_prose_is_not_taken_for_a_name():
    # A lowercase fragment, and a long sentence cut at a comma, are not names.
    assert find_name("ranks starting as a layout artist\nJoão da Silva") == "João da Silva"
    sentence = (
        "Hall Columbia, where I led the communication campaigns of three regional units "
        "for several years"
    )
    assert find_name(f"{sentence}\nRecife - PE") is None
    # A long header split by bars is still a header.
    header = "Maria José dos Santos | Analista Financeira Sênior | São Paulo - SP | (11) 98765-4321"
    assert find_name(header) == "Maria José dos Santos"


@pytest.mark.parametrize(
    ("text", "number", "region"),
    [
        ("Jane Roe\nAustin, TX\n(512) 874-3310", "+15128743310", "US"),
        ("Jane Roe\nToronto, ON\n416-874-3310", "+14168743310", "CA"),
        ("Inês Louro\nLisboa, Portugal\n912 345 678", "+351912345678", "PT"),
        ("Callum Greaves\nManchester, United Kingdom\n07911 123456", "+447911123456", "GB"),
        ("Lucía Ruiz\nMadrid, Spain\n612 34 56 78", "+34612345678", "ES"),
        ("Nahuel Sosa\nCórdoba, Argentina\n(0351) 15 234-5678", "+5493512345678", "AR"),
        ("Itzel Ochoa\n+52 1 55 1234 5678", "+525512345678", "MX"),
        ("Ana Lima\nRecife - PE\n0xx81 98765-4321", "+5581987654321", "BR"),
        ("Jo Doe\n+44 (0)20 7946 0958", "+442079460958", "GB"),
    ],
)
def test_phones_of_eight_countries_become_e164_when_the_region_is_known(text, number, region):
    contact = extract_contact(text, language="en")

    assert (contact.phone, contact.phone_region) == (number, region)


def test_a_national_number_of_unknown_region_is_kept_as_written():
    # Valid in Portugal and in Spain alike: the CV does not say which.
    contact = extract_contact("Jane Roe\nPhone: 912 345 678", language="en")

    assert contact.phone == "912 345 678"
    assert contact.phone_region is None


def test_a_number_written_the_north_american_way_is_read_there():
    contact = extract_contact("Jane Roe\nPhone: (512) 874-3310", language="en")

    assert (contact.phone, contact.phone_region) == ("+15128743310", "US")


def test_a_foreign_number_in_a_brazilian_cv_is_kept():
    contact = extract_contact("Ana Lima\nRecife - PE\n(81) 98765-4321 / (786) 816-7536")

    assert [p.number for p in contact.phones] == ["+5581987654321", "+17868167536"]


def test_two_numbers_side_by_side_are_both_kept():
    contact = extract_contact("Ana Lima +55 81 3472-7154 (12) 97598-6510 ana@x.com")

    assert [p.number for p in contact.phones] == ["+558134727154", "+5512975986510"]


def test_every_number_is_kept_and_the_country_code_of_one_tells_the_other():
    contact = extract_contact("Jane Roe\n+1 512 874 3310 · home 512.874.9911", language="en")

    assert [(p.number, p.region) for p in contact.phones] == [
        ("+15128743310", "US"),
        ("+15128749911", "US"),
    ]


def test_identity_numbers_are_not_phones():
    contact = extract_contact("Ana Lima\nCPF: 119.876.543-21\nRG: 12.345.678-9", language="pt")

    assert contact.phones == []


@pytest.mark.parametrize(
    ("text", "language", "location", "phone"),
    [
        ("John Smith\nBoston, MA\n(617) 555-0100", "en", "Boston, MA", "+16175550100"),
        ("John Smith\nBoston, MA\n+1 617 555 0100", "pt", "Boston, MA", "+16175550100"),
        ("Maria Silva\nSão Luís, MA\n(98) 98765-4321", "pt", "São Luís - MA", "+5598987654321"),
        ("Maria Silva\nSão Luís, MA\n+55 98 98765-4321", "en", "São Luís - MA", "+5598987654321"),
    ],
)
def test_a_code_both_countries_use_follows_the_cv(text, language, location, phone):
    # MA is Massachusetts and Maranhão: the language and the numbers decide.
    contact = extract_contact(text, language=language)

    assert (contact.location, contact.phone) == (location, phone)


def test_a_name_wrapped_over_three_lines_in_a_sidebar_is_whole():
    prominent = ("Murilo Damasceno de", "Murilo", "Damasceno de Vasconcelos", "EXPERIÊNCIAS")

    assert extract_contact("x", prominent=prominent).name == "Murilo Damasceno de Vasconcelos"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("E-mail: maria.o'connell@example.com", "maria.o'connell@example.com"),
        ("Contato: luca.d’angelo@example.it", "luca.d'angelo@example.it"),
        ("write to 'ana.souza@example.com' today", "ana.souza@example.com"),
    ],
)
def test_an_apostrophe_inside_the_local_part_belongs_to_the_email(text, expected):
    assert find_email(text) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Joana Prates Vidal ETL Developer - Acme Systems", "Joana Prates Vidal"),
        ("Rui Batista 42 Harbour Road, Leeds 0113 496 0000", "Rui Batista"),
        ("Nadia Ferreira, MBA, PMP 12 Elm Ave, Dover", "Nadia Ferreira"),
        ("Owen Castle Graphic Designer with ten years in print", "Owen Castle"),
        ("Lia Monteiro B lia@example.org", "Lia Monteiro"),
    ],
)
def test_the_name_that_opens_a_run_on_first_line(line, expected):
    assert leading_name(line) == expected
    assert find_name(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Your Name 10 Any Street, Springfield",
        "Client Name (555) 010-0000",
        "Innovative software engineer offering four years of experience",
        "Professional Summary Driven analyst with a taste for numbers",
        "Curriculum Vitae Personal Details",
    ],
)
def test_a_run_on_line_without_a_name_at_its_start_gives_none(line):
    assert leading_name(line) is None


@pytest.mark.parametrize("text", ["Your Name", "Phone Number", "Last Updated", "Client Name"])
def test_template_placeholders_are_not_names(text):
    assert find_name(text) is None


def test_a_name_just_before_the_contact_block_is_found_after_a_template_title():
    text = "Sample Resume for Store Manager Tomás Avelar 17 Quarry Lane, Bath tomas@example.org"
    assert find_name_before_contact(text) == "Tomás Avelar"


@pytest.mark.parametrize(
    "text",
    [
        "Graduated in Physics Expected May 2024 at the local school",
        "Worked for the Acme Group 2019 to 2021 in Lyon France 69002",
        "Store Manager 555-010-0000 quiet shifts",
    ],
)
def test_dates_places_and_titles_before_a_number_are_not_names(text):
    assert find_name_before_contact(text) is None


def test_a_long_first_line_of_a_name_and_degrees_gives_the_name():
    line = "Dora Quintal, Ph.D., MBA 88 Mill Road, Norwich dora@example.org +44 20 7946 0000 ext"
    assert find_name(f"{line}\nProfile") == "Dora Quintal"


@given(
    prefix=st.sampled_from(["91", "92", "93", "96"]),
    rest=st.integers(min_value=0, max_value=9_999_999),
)
def test_a_number_two_countries_read_is_read_where_the_cvs_language_is_spoken(prefix, rest):
    digits = f"{prefix}{rest:07d}"
    written = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    # Portuguese mobile or Spanish landline: a CV in Portuguese means Portugal.
    contact = extract_contact(f"Rita Sousa\nTelemóvel: {written}", language="pt")

    assert (contact.phone, contact.phone_region) == (f"+351{digits}", "PT")


def test_a_british_mobile_in_an_english_cv_is_british_without_a_location():
    contact = extract_contact("Jane Roe\nPhone: 07553 454531", language="en")

    assert (contact.phone, contact.phone_region) == ("+447553454531", "GB")


def test_the_language_does_not_overrule_a_region_that_contradicts_it():
    # Valid in Britain and Brazil, in an English CV from Mexico: no reading is preferred.
    contact = extract_contact("Jane Roe\nCiudad de México, Mexico\n07553 454531", language="en")

    assert contact.phone_region != "GB"
