"""An invented observer roster for the demo mission, as rows of the roster import file.

International observers come from the EU member states, Norway, Switzerland and Canada, in
rough proportion to how many each sends; drivers and interpreters are local staff. Names
are put together from common first names and surnames of each country, so any likeness to
a real person is chance.
"""

import random
import unicodedata

SEED = 2027_03_14
LOCAL_NATIONALITY = "BJ"  # the importer checks ISO 3166, which has no code for Veridia
DOMAIN = "eueom-veridia.example"
COLUMNS = [
    "ref",
    "name",
    "role",
    "nationality",
    "gender",
    "languages",
    "previous_missions",
    "email",
    "phone",
]
LOCAL_ROLES = ("driver", "interpreter")
FEMALE_SHARE = {"driver": 0.1}  # 0.5 for every other role
# role, count, ref prefix, digits
ROSTER = [
    ("core", 8, "CT-", 2),
    ("lto", 24, "LTO-", 2),
    ("sto", 120, "STO-", 3),
    ("driver", 30, "DRV-", 2),
    ("interpreter", 20, "INT-", 2),
]

# nationality: (weight, own languages, female first names, male first names, surnames)
NATIONS = {
    "DE": (
        12,
        "de",
        "Anna Katrin Julia Sabine Miriam",
        "Jonas Markus Tobias Stefan Felix",
        "Müller Schmidt Becker Wagner Hoffmann Krüger Richter",
    ),
    "FR": (
        12,
        "fr",
        "Claire Camille Élodie Sophie Marion",
        "Julien Thomas Nicolas Olivier Hugo",
        "Martin Bernard Dubois Moreau Laurent Girard Fontaine",
    ),
    "IT": (
        10,
        "it",
        "Giulia Chiara Francesca Elena Sara",
        "Marco Luca Andrea Matteo Davide",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo",
    ),
    "ES": (
        10,
        "es",
        "Lucía Carmen Marta Laura Elena",
        "Javier Pablo Sergio Daniel Alejandro",
        "García Fernández López Martínez Sánchez Romero Navarro",
    ),
    "PL": (
        6,
        "pl",
        "Agnieszka Katarzyna Magdalena Anna",
        "Piotr Tomasz Paweł Michał",
        "Nowak Kowalski Wiśniewski Wójcik Kamińska Lewandowski",
    ),
    "NL": (
        6,
        "nl",
        "Sanne Lotte Femke Anouk",
        "Daan Bram Joost Pieter",
        "Jansen Bakker Visser Smit Mulder Bos",
    ),
    "BE": (
        6,
        "fr nl",
        "Sarah Charlotte Lien Nathalie",
        "Pieter Maxime Wouter Arnaud",
        "Peeters Janssens Maes Dupont Lambert Claes",
    ),
    "SE": (
        5,
        "sv",
        "Karin Emma Ingrid Sofia",
        "Erik Lars Johan Anders",
        "Andersson Johansson Karlsson Nilsson Lindqvist Berg",
    ),
    "PT": (
        5,
        "pt",
        "Inês Mariana Beatriz Joana",
        "João Tiago Rui Miguel",
        "Silva Santos Ferreira Pereira Costa Oliveira",
    ),
    "AT": (
        4,
        "de",
        "Verena Lisa Theresa Johanna",
        "Lukas Florian Matthias Georg",
        "Gruber Huber Bauer Pichler Steiner Moser",
    ),
    "DK": (
        4,
        "da",
        "Mette Louise Signe Ida",
        "Rasmus Mads Søren Mikkel",
        "Jensen Nielsen Hansen Pedersen Christensen Larsen",
    ),
    "FI": (
        4,
        "fi",
        "Aino Laura Elina Johanna",
        "Mikko Juha Antti Ville",
        "Korhonen Virtanen Mäkinen Nieminen Lehtonen Heikkinen",
    ),
    "IE": (
        4,
        "en",
        "Aoife Siobhán Niamh Ciara",
        "Cian Seán Conor Darragh",
        "Murphy Kelly Byrne Walsh O'Brien Ryan",
    ),
    "CZ": (
        3,
        "cs",
        "Tereza Lucie Petra Kateřina",
        "Jakub Tomáš Martin Ondřej",
        "Novák Svoboda Dvořák Černý Procházka Kučera",
    ),
    "HU": (
        3,
        "hu",
        "Eszter Zsófia Réka Anna",
        "Bence Gábor Dániel Péter",
        "Nagy Kovács Tóth Szabó Horváth Varga",
    ),
    "RO": (
        3,
        "ro",
        "Ioana Andreea Elena Ana",
        "Andrei Mihai Alexandru Radu",
        "Popescu Ionescu Popa Dumitrescu Stan Georgescu",
    ),
    "GR": (
        3,
        "el",
        "Eleni Maria Katerina Sofia",
        "Giorgos Nikos Dimitris Kostas",
        "Papadopoulos Georgiou Nikolaou Papadaki Vlachos Oikonomou",
    ),
    "SK": (2, "sk", "Zuzana Lucia Martina", "Marek Peter Juraj", "Horváth Kováč Varga Tóth"),
    "SI": (2, "sl", "Maja Nina Špela", "Luka Jure Matej", "Novak Horvat Kranjc Zupančič"),
    "HR": (2, "hr", "Ivana Petra Marija", "Ivan Luka Marko", "Horvat Kovačević Babić Marić"),
    "BG": (2, "bg", "Maria Elena Desislava", "Georgi Ivan Dimitar", "Ivanova Petrov Georgiev"),
    "LT": (2, "lt", "Rūta Eglė Gabija", "Mantas Tomas Lukas", "Kazlauskas Jankauskas Petrauskas"),
    "LV": (1, "lv", "Līga Anna Ilze", "Jānis Mārtiņš Andris", "Bērziņš Kalniņš Ozols"),
    "EE": (1, "et", "Kadri Liis Triin", "Kristjan Mart Rasmus", "Tamm Saar Sepp Mägi"),
    "LU": (1, "lb fr de", "Anne Carole Sophie", "Marc Luc Tom", "Schmit Weber Hoffmann Wagner"),
    "MT": (1, "mt", "Maria Rebecca Claire", "Joseph Mark Daniel", "Borg Camilleri Vella Farrugia"),
    "CY": (1, "el", "Andri Christina Eleni", "Andreas Christos Marios", "Christodoulou Ioannou"),
    "NO": (
        3,
        "no",
        "Ingrid Kari Silje Hanne",
        "Ola Håkon Eirik Sindre",
        "Hansen Olsen Johansen Haugen Bakke Solberg",
    ),
    "CH": (
        3,
        "de fr",
        "Corinne Nadia Laura Sandrine",
        "Reto Lukas Yannick Beat",
        "Meier Keller Weber Favre Bühler Rochat",
    ),
    "CA": (
        3,
        "en fr",
        "Emily Geneviève Sarah Megan",
        "Ryan Mathieu Kevin Alexandre",
        "Tremblay Smith Gagnon Roy MacDonald Wilson",
    ),
}
LOCAL = (
    "Afi Adjoa Aïcha Mariam Rachida Clémence Bernadette Nafissatou Sika Fati",
    "Koffi Kodjo Ibrahim Moussa Sylvain Sènan Issa Romuald Gildas Boni",
    "Hounkpatin Agossou Adjovi Sanni Tchabi Zinsou Akpovi Gbaguidi Alassane Orou Kpadonou "
    "Dossa Yessoufou Bio Sossa",
)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch in ".-")


def _experience(role: str, rng: random.Random) -> int:
    if role == "core":
        return rng.randint(4, 12)
    if role == "lto":
        return rng.choice((0, 1)) if rng.random() < 0.1 else rng.randint(2, 10)
    if role == "sto":
        return 0 if rng.random() < 0.35 else min(12, int(rng.expovariate(1 / 3)) + 1)
    return 0 if rng.random() < 0.35 else rng.randint(1, 6)


def _languages(role: str, own: list[str], rng: random.Random) -> list[str]:
    if role in ("driver", "interpreter"):
        local = rng.choice(("ha", "yo", "fon"))
        if role == "driver":
            return ["fr", local] + (["en"] if rng.random() < 0.3 else [])
        return ["fr", "en", local]
    languages = ["en"]
    if role != "sto" or rng.random() < 0.8:
        languages.append("fr")
    languages += own
    if rng.random() < 0.25:
        languages.append(rng.choice(("de", "es", "pt", "it")))
    return list(dict.fromkeys(languages))


def _quota(weights: dict[str, float], count: int, rng: random.Random) -> list[str]:
    """`count` values in proportion to their weights (largest remainders), shuffled."""
    total = sum(weights.values())
    shares = {key: count * weight / total for key, weight in weights.items()}
    counts = {key: int(share) for key, share in shares.items()}
    by_remainder = sorted(shares, key=lambda key: counts[key] - shares[key])
    for key in by_remainder[: count - sum(counts.values())]:
        counts[key] += 1
    values = [key for key, n in counts.items() for _ in range(n)]
    rng.shuffle(values)
    return values


def build_roster() -> list[dict[str, str]]:
    """Roster rows in ROSTER order, with refs like STO-001 and the roster's column names."""
    rng = random.Random(SEED)
    internationals = sum(count for role, count, *_ in ROSTER if role not in LOCAL_ROLES)
    nationalities = _quota({code: n[0] for code, n in NATIONS.items()}, internationals, rng)
    used: set[str] = set()
    rows = []
    for role, count, prefix, digits in ROSTER:
        women = FEMALE_SHARE.get(role, 0.5)
        genders = _quota({"female": women, "male": 1 - women}, count, rng)
        for number in range(1, count + 1):
            female = genders.pop() == "female"
            if role in LOCAL_ROLES:
                nationality, own = LOCAL_NATIONALITY, []
                firsts, surnames = LOCAL[0 if female else 1], LOCAL[2]
            else:
                nationality = nationalities.pop()
                _, own_text, women, men, surnames = NATIONS[nationality]
                own = own_text.split()
                firsts = women if female else men
            while True:
                first, last = rng.choice(firsts.split()), rng.choice(surnames.split())
                name = f"{first} {last}"
                if name not in used:
                    used.add(name)
                    break
            local_number = f"+990 9{rng.randint(0, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
            rows.append(
                {
                    "ref": f"{prefix}{number:0{digits}d}",
                    "name": name,
                    "role": role,
                    "nationality": nationality,
                    "gender": "female" if female else "male",
                    "languages": ";".join(_languages(role, own, rng)),
                    "previous_missions": str(_experience(role, rng)),
                    "email": f"{_ascii(first)}.{_ascii(last)}@{DOMAIN}",
                    "phone": f"{local_number} {rng.randint(10, 99)}",
                }
            )
    return rows
