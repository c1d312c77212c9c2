"""People for the second family: names, places, phones (as printed and E.164)."""

from __future__ import annotations

import random
from dataclasses import dataclass

# Given names and surnames per country of origin; a few forms every CV parser meets
# (hyphenated, apostrophes, particles, initials).
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "BR": (
        ("Thaís", "Lorena", "Yasmin", "Giovana", "Débora", "Rafaela", "Jéssica", "Lívia",
         "Natália", "Bianca", "Vitória", "Heloísa", "Sabrina", "Priscila", "Tainá", "Iara"),
        ("Caio", "Otávio", "Renan", "Guilherme", "Vinícius", "Leandro", "Wesley", "Murilo",
         "Igor", "Davi", "Heitor", "Júlio", "Ítalo", "Edson", "Cauã", "Thiago"),
        ("Nogueira", "Teixeira", "Cavalcanti", "Bezerra", "Moraes", "Siqueira", "Vasconcelos",
         "Queiroz", "Falcão", "Brandão", "Guimarães", "Andrade", "Prado", "Rezende", "Fontes",
         "Damasceno", "Aragão", "Peixoto", "Tavares", "Mendonça"),
    ),
    "PT": (
        ("Inês", "Leonor", "Matilde", "Beatriz", "Carolina", "Mariana"),
        ("Duarte", "Tomás", "Rodrigo", "Gonçalo", "Afonso", "Martim"),
        ("Figueiredo", "Magalhães", "Sequeira", "Antunes", "Louro", "Quintela", "Pestana"),
    ),
    "ES": (
        ("Lucía", "Nerea", "Ainhoa", "Carmen", "Elena", "Paula"),
        ("Iker", "Álvaro", "Javier", "Sergio", "Hugo", "Pablo"),
        ("Etxeberria", "Gutiérrez", "Ruiz", "Navarro", "Castaño", "Ibáñez", "Morales"),
    ),
    "AR": (
        ("Florencia", "Agustina", "Camila", "Milagros", "Rocío"),
        ("Facundo", "Tomás", "Joaquín", "Santiago", "Nahuel"),
        ("Pereyra", "Giménez", "Benítez", "Acosta", "Sosa", "Bianchi", "Ferraro"),
    ),
    "MX": (
        ("Ximena", "Guadalupe", "Itzel", "Fernanda", "Renata"),
        ("Emiliano", "Diego", "Alejandro", "Luis Ángel", "Mateo"),
        ("Hernández", "Villaseñor", "Zúñiga", "Cárdenas", "Ochoa", "Treviño"),
    ),
    "US": (
        ("Madison", "Brianna", "Shannon", "Kayla", "Megan", "Lauren"),
        ("Tyler", "Brandon", "Kevin", "Dylan", "Garrett", "Marcus"),
        ("O'Brien", "McAllister", "Washington", "Kowalski", "Nguyen", "Brooks", "Fitzgerald"),
    ),
    "CA": (
        ("Chloé", "Amélie", "Brooke", "Avery"),
        ("Étienne", "Liam", "Mathieu", "Owen"),
        ("Tremblay", "Gagnon", "Bouchard", "MacDonald", "Lavoie"),
    ),
    "UK": (
        ("Imogen", "Harriet", "Niamh", "Eleanor", "Freya"),
        ("Callum", "Rhys", "Alistair", "Hamish", "Oliver"),
        ("Pemberton", "Ashworth", "Whitfield", "Thornton", "Llewellyn", "Greaves"),
    ),
}  # fmt: skip

# (city, region as printed, phone area codes); the region is a Brazilian UF or a
# state/province abbreviation, or None where CVs write the country instead.
_PLACES: dict[str, tuple[tuple[str, str | None, tuple[str, ...]], ...]] = {
    "BR": (
        ("Recife", "PE", ("81",)), ("Fortaleza", "CE", ("85",)), ("Goiânia", "GO", ("62",)),
        ("Manaus", "AM", ("92",)), ("Florianópolis", "SC", ("48",)), ("Campinas", "SP", ("19",)),
        ("Niterói", "RJ", ("21",)), ("Vitória", "ES", ("27",)), ("Natal", "RN", ("84",)),
        ("Uberlândia", "MG", ("34",)), ("Londrina", "PR", ("43",)), ("Belém", "PA", ("91",)),
        ("São José dos Campos", "SP", ("12",)), ("Porto Alegre", "RS", ("51",)),
    ),
    "PT": (("Lisboa", None, ("21",)), ("Porto", None, ("22",)), ("Braga", None, ("253",))),
    "ES": (("Madrid", None, ("91",)), ("Barcelona", None, ("93",)), ("Valencia", None, ("96",))),
    "AR": (("Buenos Aires", None, ("11",)), ("Córdoba", None, ("351",)), ("Rosario", None, ("341",))),
    "MX": (("Ciudad de México", None, ("55",)), ("Guadalajara", None, ("33",)), ("Monterrey", None, ("81",))),
    "US": (("Austin", "TX", ("512", "737")), ("Seattle", "WA", ("206",)), ("Boston", "MA", ("617",)),
           ("Miami", "FL", ("305", "786")), ("Chicago", "IL", ("312", "773"))),
    "CA": (("Toronto", "ON", ("416", "647")), ("Montréal", "QC", ("514",)), ("Vancouver", "BC", ("604",))),
    "UK": (("London", None, ("20",)), ("Manchester", None, ("161",)), ("Edinburgh", None, ("131",))),
}  # fmt: skip

COUNTRY_NAMES = {
    "pt": {"PT": "Portugal", "ES": "Espanha", "AR": "Argentina", "MX": "México",
           "US": "EUA", "CA": "Canadá", "UK": "Reino Unido", "BR": "Brasil"},
    "en": {"PT": "Portugal", "ES": "Spain", "AR": "Argentina", "MX": "Mexico",
           "US": "USA", "CA": "Canada", "UK": "United Kingdom", "BR": "Brazil"},
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Phone:
    printed: str
    e164: str


@dataclass(frozen=True, slots=True)
class Person:
    country: str
    name_printed: str
    name_label: str
    feminine: bool
    city: str
    location_printed: str
    location_label: str
    phones: tuple[Phone, ...]
    email: str


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def phone_for(rng: random.Random, country: str, area: str) -> Phone:
    """A number of ``country`` in one of the ways people there print it."""
    if country == "BR":
        mobile = rng.random() < 0.75
        local = f"9{rng.randint(7, 9)}{_digits(rng, 7)}" if mobile else f"3{_digits(rng, 7)}"
        a, b = local[:-4], local[-4:]
        shapes = [f"({area}) {a}-{b}", f"+55 {area} {a} {b}", f"0xx{area} {a}-{b}",
                  f"+55 ({area}) {a}.{b}", f"{area}.{a}.{b}", f"(0{area}) {a} {b}",
                  f"+55-{area}-{a}-{b}"]  # fmt: skip
        if mobile:
            shapes += [f"({area}) 9.{a[1:]}-{b}", f"+55 {area} 9 {a[1:]} {b}"]
        return Phone(rng.choice(shapes), f"+55{area}{local}")
    if country in ("US", "CA"):
        exchange = f"{rng.randint(2, 9)}{_digits(rng, 2)}"
        line = _digits(rng, 4)
        shapes = [f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}",
                  f"{area}.{exchange}.{line}", f"+1 {area} {exchange} {line}",
                  f"1-{area}-{exchange}-{line}", f"+1 ({area}) {exchange}-{line}"]  # fmt: skip
        return Phone(rng.choice(shapes), f"+1{area}{exchange}{line}")
    if country == "PT":
        if rng.random() < 0.7:
            local = f"9{rng.choice('1236')}{_digits(rng, 7)}"
        else:
            local = area + _digits(rng, 9 - len(area))
        g = f"{local[:3]} {local[3:6]} {local[6:]}"
        return Phone(rng.choice((f"+351 {g}", g, f"(+351) {g}", f"00351 {g}")), f"+351{local}")
    if country == "ES":
        local = f"6{_digits(rng, 8)}" if rng.random() < 0.7 else area + _digits(rng, 7)
        shapes = [f"+34 {local[:3]} {local[3:5]} {local[5:7]} {local[7:]}",
                  f"{local[:3]} {local[3:6]} {local[6:]}", f"+34 {local}",
                  f"(+34) {local[:3]} {local[3:6]} {local[6:]}"]  # fmt: skip
        return Phone(rng.choice(shapes), f"+34{local}")
    if country == "AR":
        subscriber = _digits(rng, 10 - len(area))
        head, tail = subscriber[:-4], subscriber[-4:]
        if rng.random() < 0.7:  # a mobile: +54 9 in international form, 15 at home
            shapes = [f"+54 9 {area} {head}-{tail}", f"+54 9 {area} {head} {tail}",
                      f"(0{area}) 15 {head}-{tail}", f"0{area} 15-{head}-{tail}"]  # fmt: skip
            return Phone(rng.choice(shapes), f"+549{area}{subscriber}")
        shapes = [f"+54 {area} {head}-{tail}", f"(0{area}) {head}-{tail}"]
        return Phone(rng.choice(shapes), f"+54{area}{subscriber}")
    if country == "MX":
        subscriber = _digits(rng, 10 - len(area))
        national = area + subscriber
        shapes = [f"+52 {area} {subscriber[:-4]} {subscriber[-4:]}",
                  f"({area}) {subscriber[:-4]} {subscriber[-4:]}", f"+52 1 {area} {subscriber}",
                  f"{national[:2]} {national[2:6]} {national[6:]}"]  # fmt: skip
        return Phone(rng.choice(shapes), f"+52{national}")
    if country == "UK":
        if rng.random() < 0.6:
            local = f"7{rng.choice('45789')}{_digits(rng, 8)}"
            shapes = [f"0{local[:4]} {local[4:]}", f"+44 {local[:4]} {local[4:]}",
                      f"+44 (0){local[:4]} {local[4:]}", f"0{local[:4]}-{local[4:]}"]  # fmt: skip
        else:
            rest = _digits(rng, 10 - len(area))
            if area == "20":
                rest = f"{rng.choice('378')}{rest[1:]}"
            local = area + rest
            shapes = [f"0{area} {rest[:4]} {rest[4:]}" if area == "20" else f"0{area} {rest[:3]} {rest[3:]}",
                      f"+44 {area} {rest}", f"+44 (0){area} {rest}"]  # fmt: skip
        return Phone(rng.choice(shapes), f"+44{local}")
    raise ValueError(country)


def _fold_ascii(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def make_person(rng: random.Random, lang: str) -> Person:
    if lang == "pt":
        country = "BR" if rng.random() < 0.85 else rng.choice(("PT", "PT", "AR", "ES"))
    else:
        country = rng.choice(("US", "US", "CA", "UK", "UK", "BR", "MX", "AR", "ES", "PT"))
    women, men, surnames = _NAMES[country]
    feminine = rng.random() < 0.5
    first = rng.choice(women if feminine else men)
    lasts = rng.sample(surnames, 2 if country in ("BR", "PT", "ES", "MX") else 1)
    words = [first, *lasts]
    if country == "BR" and rng.random() < 0.3:
        words.insert(-1, rng.choice(("de", "da", "dos")))
    if country == "US" and rng.random() < 0.3:
        words.insert(1, f"{rng.choice('ABCDJLMRT')}.")
    if country in ("ES", "UK") and rng.random() < 0.2:
        words[-2:] = [f"{words[-2]}-{words[-1]}"] if len(words) > 2 else words[-2:]
    label = " ".join(words)
    printed = label.upper() if rng.random() < 0.3 else label
    # Names printed in capitals are labelled as people write them in the first place.
    city, region, areas = rng.choice(_PLACES[country])
    if country == "BR":
        location_label = f"{city} - {region}"
        location_printed = rng.choice((f"{city}, {region}", f"{city} - {region}",
                                       f"{city}/{region}", f"{city} ({region})"))  # fmt: skip
    else:
        country_name = COUNTRY_NAMES[lang][country]
        tail = region if region else country_name
        location_label = location_printed = f"{city}, {tail}"
    area = rng.choice(areas)
    phones = [phone_for(rng, country, area)]
    if rng.random() < 0.2:  # a second number: a landline, or one from another country
        other = rng.choice(("BR", "PT", "US")) if rng.random() < 0.5 else country
        other_area = rng.choice(rng.choice(_PLACES[other])[2])
        phones.append(phone_for(rng, other, other_area))
    plain = [p for p in _fold_ascii(label).lower().replace("'", "").split() if len(p) > 2]
    plain = [p.rstrip(".") for p in plain] or ["cv"]
    local = rng.choice((f"{plain[0]}{plain[-1]}", f"{plain[0]}.{plain[-1]}{rng.randint(1, 9)}",
                        f"{plain[-1]}.{plain[0]}", f"{plain[0][0]}{plain[-1]}",
                        f"contato.{plain[0]}"))  # fmt: skip
    domain = rng.choice(("gmail.com", "outlook.com", "icloud.com", "yahoo.com", "hotmail.com",
                         "terra.com.br", "bol.com.br", "sapo.pt", "live.co.uk", "proton.me"))  # fmt: skip
    return Person(
        country=country,
        name_printed=printed,
        name_label=label,
        feminine=feminine,
        city=city,
        location_printed=location_printed,
        location_label=location_label,
        phones=tuple(phones),
        email=f"{local}@{domain}",
    )
