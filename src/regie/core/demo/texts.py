"""Short Dutch descriptions for the demo's events: synthetic, naming no one."""

EVENT_TEXTS: dict[str, tuple[str, ...]] = {
    # Collections
    "REGIE.AAN": (
        "Aanmaning verstuurd met aanbod om het signaal met de gemeente te delen.",
        "Tweede aanmaning verstuurd; huurder reageert niet.",
        "Herinneringsbrief huurachterstand verstuurd.",
    ),
    "REGIE.CTP": (
        "Huurder gebeld over de achterstand, voicemail ingesproken.",
        "Huisbezoek afgelegd over de achterstand, niemand thuis; kaartje achtergelaten.",
        "Telefonisch contact gehad, huurder belooft te betalen.",
        "Huurder aan de balie gesproken over de openstaande huur.",
    ),
    "REGIE.BZW": ("Huurder wil niet dat het signaal met de gemeente wordt gedeeld.",),
    "REGIE.DAG": ("Dagvaarding uitgebracht wegens huurachterstand.", "Deurwaarder heeft dagvaarding betekend."),
    "REGIE.VON": (
        "Vonnis: ontbinding huurovereenkomst en ontruiming toegewezen.",
        "Kantonrechter wijst vordering toe.",
    ),
    "REGIE.ONT": ("Ontruiming gepland door deurwaarder.", "Datum ontruiming vastgesteld."),
    "ZAAKTYPEDETAILSOORT.HUA": (
        "Dossier huurachterstand geopend bij incasso.",
        "Achterstand loopt op, dossier aangemaakt.",
    ),
    "ZAAKTYPEDETAILSOORT.BET": (
        "Betalingsregeling afgesproken, aflossing per maand.",
        "Betalingsregeling getroffen na gesprek.",
    ),
    "SIGNALERINGDETAILSOORT.BET": ("Meerdere huurbetalingen gemist.", "Huur twee maanden niet betaald."),
    "SIGNALERINGDETAILSOORT.DEU": ("Vordering overgedragen aan de deurwaarder.",),
    # Behaviour
    "ZAAKTYPEDETAILSOORT.GEL": (
        "Buren melden harde muziek tot laat in de nacht.",
        "Melding geluidsoverlast: geschreeuw en bonken.",
        "Blaffende hond overdag, meerdere klachten van buren.",
    ),
    "ZAAKTYPEDETAILSOORT.RUZ": (
        "Ruzie met bovenburen over de trap en het portiek.",
        "Burenruzie over geparkeerde fietsen in de gang.",
    ),
    "ZAAKTYPEDETAILSOORT.AGR": (
        "Buurman voelt zich bedreigd na woordenwisseling.",
        "Melding van bedreiging in het portiek.",
    ),
    "ZAAKTYPEDETAILSOORT.STA": ("Stankoverlast vanuit de woning gemeld door buren.",),
    "ZAAKTYPEDETAILSOORT.DIE": ("Overlast door huisdieren, veel geblaf en uitwerpselen in de tuin.",),
    "ZAAKTYPEDETAILSOORT.VAN": ("Vernieling aan de voordeur van het portiek.", "Brievenbussen in de hal beschadigd."),
    "ZAAKTYPEDETAILSOORT.DRU": ("Politie meldt vermoedelijke drugshandel vanuit de woning.",),
    "ZAAKTYPEDETAILSOORT.HEN": ("Politie trof hennepkwekerij aan in de woning.",),
    "SIGNALERINGDETAILSOORT.AGS": ("Huurder werd agressief aan de balie.",),
    "SIGNALERINGDETAILSOORT.VEB": ("Medewerker uitgescholden aan de telefoon.", "Dreigende taal tijdens huisbezoek."),
    "SIGNALERINGDETAILSOORT.FYS": ("Medewerker geduwd bij huisbezoek.",),
    "SIGNALERINGDETAILSOORT.SCH": ("Dreigende e-mail ontvangen van huurder.",),
    # Liveability
    "ZAAKTYPEDETAILSOORT.VUI": (
        "Vuilniszakken op het balkon en in de gang.",
        "Tuin vol afval, buren klagen over ratten.",
    ),
    "ZAAKTYPEDETAILSOORT.ONG": (
        "Melding ongedierte: muizen in de keuken.",
        "Kakkerlakken gemeld, bestrijder ingeschakeld.",
    ),
    "ZAAKTYPEDETAILSOORT.ONV": ("Kapotte verlichting en rommel in de gemeenschappelijke gang.",),
    "ZAAKTYPEDETAILSOORT.KLI": ("Spullen opgeslagen in de fietsenberging en de gang.",),
    "SIGNALERINGDETAILSOORT.VER": (
        "Ernstige vervuiling in de woning geconstateerd.",
        "Woning sterk vervuild, geur in het portiek.",
    ),
    "SIGNALERINGDETAILSOORT.MUT": (
        "Schade aan de woning vastgesteld bij einde huur.",
        "Mutatieschade: deuren en vloer beschadigd.",
    ),
    "REGIE.GTO": (
        "Monteur kreeg geen toegang voor onderhoud cv-ketel.",
        "Geen toegang bij afspraak voor reparatie lekkage.",
        "Niemand thuis bij geplande inspectie rookmelders.",
    ),
    "REGIE.VWL": (
        "Woning verwaarloosd aangetroffen bij inspectie.",
        "Ernstige verwaarlozing: ramen dichtgeplakt, tuin overwoekerd.",
    ),
    # Care
    "ZAAKTYPEDETAILSOORT.PSY": (
        "Wijkteam maakt zich zorgen over de psychische gezondheid van de huurder.",
        "GGZ meldt verward gedrag en zorgmijding.",
    ),
    "ZAAKTYPEDETAILSOORT.VER": ("Verslavingszorg meldt terugval.", "Signaal van alcoholproblematiek via het wijkteam."),
    "REGIE.ZRG": (
        "Zorgmelding van de huisarts: huurder redt het niet alleen.",
        "Wijkteam meldt zorgen over de kinderen in het gezin.",
        "Buurtzorg meldt vereenzaming en vervuiling.",
    ),
    # Everyday reports
    "ZAAKTYPEDETAILSOORT.HUR": ("Bezwaar tegen de jaarlijkse huurverhoging.",),
    "ZAAKTYPEDETAILSOORT.OVE": ("Vraag over de servicekosten.", "Klacht over schoonmaak van het trappenhuis."),
}

CASE_QUESTIONS: dict[str, tuple[str, ...]] = {
    "FINANCES": (
        "Ik wil van mijn schulden af en rust in huis.",
        "Ik wil mijn huur weer elke maand kunnen betalen.",
        "Ik wil niet uit mijn huis gezet worden. Help me met een regeling.",
        "Ik wil overzicht over mijn geld, ik weet niet meer wat ik moet betalen.",
    ),
    "BEHAVIOUR": (
        "Ik wil dat de ruzie met de buren stopt.",
        "Ik wil weer normaal met mijn buren kunnen praten.",
    ),
    "LIVEABILITY": (
        "Ik wil mijn huis weer op orde krijgen, maar ik weet niet waar ik moet beginnen.",
        "Ik wil dat mijn huis weer schoon en veilig is voor de kinderen.",
    ),
    "CARE": (
        "Ik wil hulp, want ik kan het allemaal niet meer alleen.",
        "Ik wil van de drank af en mijn leven weer oppakken.",
        "Ik wil dat er iemand met mij meekijkt, ik word er gek van.",
    ),
}
