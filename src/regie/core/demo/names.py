"""Word lists for the demo corporation: invented places and common Dutch-looking names.

Everything here is synthetic. First names and surnames are common ones drawn from the many
backgrounds of the Dutch population and are combined at random, so no generated person is a
real one; the city, districts and streets are invented for the fictional town of Zandhoven.
"""

import unicodedata

CITY = "Zandhoven"
VILLAGE = "Ter Weyde"  # a village in the south of the municipality

# Per area: districts (CBS-like neighbourhood names) with their postcode digits and streets.
DISTRICTS = {
    "noord": [
        ("Bloemenbuurt", 7341, ["Zonnebloemstraat", "Tulpstraat", "Irisstraat", "Anjerlaan", "Lelieplein"]),
        ("Molenwijk", 7342, ["Molenweg", "Korenmolen", "Maalderij", "Wiekenhof", "Stellingmolenstraat"]),
        ("Vogelwijk-Noord", 7343, ["Merelstraat", "Lijsterbeslaan", "Spreeuwenhof", "Kievitstraat", "Reigerlaan"]),
        ("Oude Haven", 7344, ["Havenkade", "Vlietkade", "Schippersstraat", "Touwbaan", "Zeilmakershof"]),
    ],
    "zuid": [
        ("Rivierenwijk", 7351, ["Maasstraat", "Waalstraat", "IJsselstraat", "Rijnlaan", "Vechtstraat"]),
        ("Zuiderpark", 7352, ["Parklaan", "Vijverhof", "Esdoornstraat", "Kastanjelaan", "Berkenhof"]),
        ("De Horst", 7353, ["Horsterweg", "Heidestraat", "Brinkstraat", "Schaapsdrift", "Esweg"]),
        ("Boschveld", 7354, ["Boschveldlaan", "Eikenstraat", "Hazelaarhof", "Beukenlaan", "Wilgenstraat"]),
    ],
}
# Districts of the south that lie in the village rather than in Zandhoven itself.
VILLAGE_DISTRICTS = {"De Horst"}

AREAS = [("noord", "Noord", "team-noord", "Team Noord"), ("zuid", "Zuid", "team-zuid", "Team Zuid")]

# Surname pools by background: (prefix, surname). Weights roughly follow the population of a
# mid-sized Dutch town's social housing.
SURNAMES = {
    "nl": [
        ("", "Jansen"),
        ("de", "Vries"),
        ("van den", "Berg"),
        ("", "Bakker"),
        ("", "Visser"),
        ("", "Smit"),
        ("", "Meijer"),
        ("de", "Boer"),
        ("", "Mulder"),
        ("de", "Groot"),
        ("", "Bos"),
        ("", "Vos"),
        ("", "Peters"),
        ("", "Hendriks"),
        ("van", "Leeuwen"),
        ("", "Dekker"),
        ("", "Brouwer"),
        ("de", "Wit"),
        ("", "Dijkstra"),
        ("", "Smits"),
        ("de", "Graaf"),
        ("van der", "Meer"),
        ("van der", "Linden"),
        ("", "Kok"),
        ("", "Jacobs"),
        ("de", "Haan"),
        ("", "Vermeulen"),
        ("van den", "Heuvel"),
        ("van der", "Veen"),
        ("van den", "Broek"),
        ("de", "Bruijn"),
        ("", "Schouten"),
        ("van", "Beek"),
        ("", "Willems"),
        ("van", "Dijk"),
        ("", "Hoekstra"),
        ("", "Koster"),
        ("", "Prins"),
        ("", "Postma"),
        ("", "Kuipers"),
    ],
    "ma": [
        ("", "El Amrani"),
        ("", "Bouzid"),
        ("", "El Idrissi"),
        ("", "Benali"),
        ("", "Azzouz"),
        ("", "Ouali"),
        ("", "Haddouchi"),
        ("", "El Khatib"),
        ("", "Tahiri"),
        ("", "Boukhari"),
    ],
    "tr": [
        ("", "Yilmaz"),
        ("", "Kaya"),
        ("", "Demir"),
        ("", "Şahin"),
        ("", "Çelik"),
        ("", "Öztürk"),
        ("", "Aydın"),
        ("", "Arslan"),
        ("", "Doğan"),
        ("", "Koç"),
    ],
    "sr": [
        ("", "Pinas"),
        ("", "Doorson"),
        ("", "Ramdin"),
        ("", "Kromodikromo"),
        ("", "Sewnarain"),
        ("", "Biharie"),
        ("", "Fränkel"),
        ("", "Lieveld"),
        ("", "Soekhoe"),
        ("", "Martina"),
    ],
    "pl": [
        ("", "Nowak"),
        ("", "Kowalski"),
        ("", "Wiśniewska"),
        ("", "Kamińska"),
        ("", "Zieliński"),
        ("", "Lewandowski"),
    ],
    "sy": [
        ("", "Al-Hassan"),
        ("", "Haddad"),
        ("", "Khalil"),
        ("", "Tesfay"),
        ("", "Gebremedhin"),
        ("", "Abdi"),
        ("", "Mohamed"),
        ("", "Nour"),
    ],
}
BACKGROUND_WEIGHTS = [("nl", 64), ("ma", 9), ("tr", 8), ("sr", 8), ("pl", 5), ("sy", 6)]

FIRST_NAMES = {
    "nl": (
        "Jan Peter Kees Henk Gerrit Wim Ruud Mark Dennis Kevin Jeroen Bas Tim Daan Sem Luuk Milan Thijs Ricardo Bart",
        "Anna Maria Els Ingrid Marja Petra Sandra Linda Sanne Lisa Fleur Emma Julia Sophie Anouk Nina Romy Iris Kim",
    ),
    "ma": (
        "Mohammed Ahmed Youssef Karim Hamza Bilal Mustafa Rachid Ayoub Adam Ilias Anass",
        "Fatima Khadija Samira Naima Souad Yasmina Nora Imane Salma Hajar Malika Ikram",
    ),
    "tr": (
        "Mehmet Mustafa Ali Hüseyin Emre Burak Kemal Murat Yusuf Eren Can Serkan",
        "Ayşe Fatma Emine Zeynep Elif Hatice Merve Büşra Esra Derya Sevgi Hülya",
    ),
    "sr": (
        "Ricardo Glenn Romano Dwayne Rajesh Sunil Anand Marvin Edgar Clyde Xavier Quincy",
        "Shanti Priya Rosita Jennifer Melissa Kavita Sharon Denise Chantal Gisela Anita Shirley",
    ),
    "pl": (
        "Piotr Tomasz Krzysztof Marek Paweł Łukasz Michał Jakub",
        "Agnieszka Katarzyna Magdalena Joanna Anna Ewa Monika Zofia",
    ),
    "sy": (
        "Omar Khaled Ahmad Hassan Samir Yonas Dawit Abdullahi Tariq Faris",
        "Rania Lina Amal Huda Yasmin Selam Helen Hodan Layla Mariam",
    ),
}
CHILD_NAMES = (
    "Noah Liam Lucas Levi Finn Sem Daan Mees Adam Mohammed Yusuf Ilyas Ryan Jayden Max Luca Omar Emir",
    "Emma Julia Mila Tess Sophie Zoë Nora Yara Sara Lina Noor Amira Eva Liv Elif Maryam Jada Saar",
)


def first_names(background: str, female: bool) -> list[str]:
    return FIRST_NAMES[background][1 if female else 0].split()


def child_names(female: bool) -> list[str]:
    return CHILD_NAMES[1 if female else 0].split()


def display_surname(prefix: str, last_name: str) -> str:
    """How a household's name reads in a list: "de Vries", "van der Meer", "Jansen"."""
    return f"{prefix} {last_name}".strip()


def ascii_slug(text: str) -> str:
    """Lower-case ASCII for synthetic e-mail addresses ("Şahin" -> "sahin", "El Amrani" -> "elamrani")."""
    text = text.replace("ı", "i").replace("ł", "l").replace("Ł", "L")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


# Demo accounts: username -> (first name, last name, role, department, team codes).
USERS = {
    "demo-regisseur": ("Sanne", "de Wit", "professional", "social", ["team-noord"]),
    "demo-regisseur2": ("Youssef", "Amrani", "professional", "social", ["team-zuid"]),
    "demo-manager": ("Marieke", "Hoekstra", "manager", "social", ["team-noord", "team-zuid"]),
    "demo-collega": ("Kees", "Brouwer", "department", "maintenance", ["team-noord"]),
    "demo-beheerder": ("Priya", "Ramdin", "admin", "social", []),
    "demo-privacy": ("Thomas", "Bos", "privacy", "legal", []),
    "demo-incasso": ("Ilse", "Vermeulen", "department", "collections", []),
    "demo-bestuurder": ("Henk", "Postma", "board", "social", []),
    "demo-noord-2": ("Fatma", "Kaya", "professional", "social", ["team-noord"]),
    "demo-noord-3": ("Ruud", "Meijer", "professional", "social", ["team-noord"]),
    "demo-zuid-2": ("Lisa", "Verbeek", "professional", "social", ["team-zuid"]),
    "demo-zuid-3": ("Daan", "Koster", "professional", "social", ["team-zuid"]),
}
DEMO_PASSWORD = "regie-demo"  # noqa: S105 - published on purpose; works only in demo mode
