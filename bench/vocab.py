"""The words the bench fill draws from: Dutch names and streets, event kinds, statuses, texts."""

SURNAMES = [
    "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
    "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
    "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Jong", "Schouten",
    "van Beek", "Willems", "van Dijk", "Hoekstra", "Maas", "Verhoeven", "Koster", "Prins", "Kuipers",
    "Yilmaz", "Kaya", "El Amrani", "Bouzid", "Ramdin", "Nguyen", "Kowalski", "Santos",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Emma", "Fatima", "Sanne", "Lisa", "Maria", "Noor", "Julia", "Sophie", "Eva", "Mila",
    "Yasmina", "Ingrid", "Petra", "Ayse", "Daan", "Sem", "Lucas", "Mohamed", "Jan", "Peter", "Kees",
    "Mehmet", "Thijs", "Ruben", "Bram", "Youssef", "Henk", "Piotr", "Rachid",
]  # fmt: skip
STREETS = [
    "Lindelaan", "Beukenstraat", "Eikenlaan", "Kastanjeplein", "Populierenweg", "Wilgenhof", "Esdoornstraat",
    "Berkenlaan", "Iepenstraat", "Platanenweg", "Merelstraat", "Lijsterweg", "Spreeuwenhof", "Mezenlaan",
    "Zwaluwstraat", "Reigerweg", "Meeuwenlaan", "Kievitstraat", "Roerdompweg", "Fazantenhof", "Tulpstraat",
    "Rozenlaan", "Dahliaweg", "Irisstraat", "Lelieplein", "Goudsbloemweg", "Klaverstraat", "Heidelaan",
    "Rembrandtlaan", "Vermeerstraat", "Mondriaanweg", "Van Goghstraat", "Escherhof", "Steenstraat",
    "Molenweg", "Havenkade", "Dijkstraat", "Schoolstraat", "Kerkplein", "Marktstraat",
]  # fmt: skip
AREAS = [("noord", "Noord"), ("zuid", "Zuid"), ("oost", "Oost"), ("west", "West"), ("centrum", "Centrum")]
DISTRICTS = ["Bloemenbuurt", "Vogelwijk", "Schildersbuurt", "Bomenwijk", "Oude Haven", "Molenkwartier"]
EVENT_TYPES = [
    # (type, source, severity choices, weight)
    ("REGIE.GTO", "OHD", (1,), 10),
    ("ZAAKTYPEDETAILSOORT.GEL", "KCC", (1, 1, 2), 9),
    ("ZAAKTYPEDETAILSOORT.ONG", "OHD", (1, 2), 5),
    ("ZAAKTYPEDETAILSOORT.OVE", "KCC", (1,), 5),
    ("ZAAKTYPEDETAILSOORT.RUZ", "WIJ", (1, 2, 2), 4),
    ("ZAAKTYPEDETAILSOORT.VUI", "WIJ", (1, 2), 4),
    ("REGIE.AAN", "INC", (1,), 6),
    ("REGIE.CTP", "INC", (1, 2), 3),
    ("REGIE.ZRG", "PAR", (1, 2, 3), 2),
    ("ZAAKTYPEDETAILSOORT.AGR", "POL", (2, 3), 1),
    ("REGIE.VWL", "OHD", (2, 3), 1),
]
LEGAL_TYPES = ["REGIE.DAG", "REGIE.VON", "REGIE.ONT"]
OPEN_STATUSES = [
    # (status, weight): every open status, most cases in progress
    ("signalled", 10),
    ("intake", 15),
    ("plan", 20),
    ("in_progress", 35),
    ("evaluation", 10),
    ("aftercare", 10),
]
STATUS_PATH = ["signalled", "intake", "plan", "in_progress", "evaluation", "aftercare", "closed"]
OUTCOMES = ["resolved", "stable", "handed_over", "declined", "no_contact", "moved"]
CHANNELS = ["BEZ", "TEL", "TEL", "BAL", "EMA", "APP", "BRI"]
NEXT_STEPS = [
    "Huisbezoek plannen",
    "Betalingsregeling voorstellen",
    "Overleg met wijkteam",
    "Budgetcoach inschakelen",
    "Terugbellen over afspraak",
    "Evaluatiegesprek voeren",
    "Schuldhulp aanmelden",
]
SUMMARIES = [
    "Huurder thuis getroffen; situatie besproken en afspraken gemaakt over de volgende stappen.",
    "Telefonisch contact; huurder geeft aan dat het beter gaat, betaling van deze maand is gedaan.",
    "Samen met het wijkteam op bezoek geweest; zorgen over de woning en de financiën besproken.",
    "Geen gehoor bij huisbezoek, kaartje achtergelaten met verzoek om contact op te nemen.",
    "Huurder op kantoor geweest voor een gesprek over de betalingsregeling.",
]
