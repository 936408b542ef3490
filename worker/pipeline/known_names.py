"""Names whose type is known: organisations, events and products that Danish and English news
name every day.

The tagger types a name by its shape and the words around it, and for a name it never saw in
training that goes wrong in the same way article after article: DaN+, its Danish training data, is
news from the 1990s, so "Apple" reads as a person, "Google" as MISC, "Skat" and "Enhedslisten" as
places, and events and television formats ("X Factor", "OL", "Roskilde Festival") as organisations.
Over 1,150 DaNewsroom articles that was 24 mentions of "Apple" typed PER, 38 of "Skat" LOC, 39 of
"Google" MISC, 24 of "X Factor" ORG. Where the tagger found such a name, the kind-cue step
(``kind_cues.py``) gives it the type listed here; where it did not, the step after that
(``listed_names.py``) adds it, but for a common word opening a sentence (``COMMON_WORDS``).

Only names with one reading in news are listed, so a city that names a football club
("Liverpool", "Barcelona"), a person's name that names a party and places that stand for their
government ("Kreml", "Det Hvide Hus") are left to the tagger. A party named by a word that is
common in lower case ("Venstre" the party, "venstre" left) is listed: capitalised mid-sentence it
is the party, and opening a sentence it is left to the tagger (``COMMON_WORDS``). The list was
written for this project from general knowledge, not taken from any dataset.
"""

from __future__ import annotations

ORGANISATIONS = """
    Socialdemokratiet | Socialdemokraterne | Dansk Folkeparti | Det Konservative Folkeparti |
    De Konservative | Radikale Venstre | Det Radikale Venstre | De Radikale |
    Socialistisk Folkeparti | Enhedslisten | Liberal Alliance | Alternativet | Nye Borgerlige |
    Kristendemokraterne | Kristeligt Folkeparti | Moderaterne | Danmarksdemokraterne |
    Fremskridtspartiet | Centrum-Demokraterne | Frie Grønne | Stram Kurs | Venstre | Konservative |
    Radikale | SF |
    Republikanerne | Demokraterne | Sverigedemokraterna | Socialdemokraterna | Moderaterna |
    Arbeiderpartiet | Fremskrittspartiet | Hamas | Hizbollah | Hezbollah | Taliban | Islamisk Stat |
    al-Qaeda | al-Qaida | Politiken | Berlingske | Berlingske Tidende | Jyllands-Posten | Ekstra Bladet |
    Ekstrabladet | Kristeligt Dagblad | Weekendavisen | Dagbladet Information | Børsen |
    Dagbladet Børsen | Se og Hør | SE og HØR | Altinget | Zetland | Ingeniøren | Ritzau |
    Ritzaus Bureau | Danmarks Radio | DR1 | DR2 | DR3 | DR K | DR Ramasjang | DR Ultra | TV 2 Charlie |
    TV 2 Zulu | TV 2 Sport | TV 2 Fri | TV3+ | TV3 Sport | Kanal 4 | Kanal 5 |
    TV 2 | TV2 | TV 2 News | TV3 | Radio24syv | Reuters | AFP | AP | Associated Press | Bloomberg |
    BBC | CNN | NRK | SVT | Aftonbladet | Expressen | Dagens Nyheter | Der Spiegel | Al Jazeera |
    Sky News | Fox News | ESPN | TMZ | The Guardian | The Mirror | Daily Mirror |
    The New York Times | New York Times |
    The Washington Post | Washington Post | Wall Street Journal | The Wall Street Journal |
    Financial Times | Daily Mail | Huffington Post | The Huffington Post | The Telegraph | Charlie Hebdo |
    The Daily Telegraph | Daily Telegraph | Scanpix | Ritzau Scanpix | Polfoto | Newspaq | Skat | SKAT |
    Folketinget | Rigspolitiet | Københavns Politi | Nationalbanken | Danmarks Nationalbank |
    Finanstilsynet | Rigsrevisionen | Højesteret | Østre Landsret | Vestre Landsret |
    Københavns Byret | Retten i Esbjerg | Retten i Glostrup | Retten i Helsingør | Retten i Herning |
    Retten i Hillerød | Retten i Hjørring | Retten i Holbæk | Retten i Holstebro | Retten i Horsens |
    Retten i Kolding | Retten i Lyngby | Retten i Nykøbing Falster | Retten i Næstved | Retten i Odense |
    Retten i Randers | Retten i Roskilde | Retten i Svendborg | Retten i Sønderborg | Retten i Viborg |
    Retten i Aalborg | Retten i Aarhus | Retten på Bornholm | Retten på Frederiksberg | Københavns Kommune |
    Aarhus Kommune | Odense Kommune | Aalborg Kommune | Handelshøjskolen i København |
    Handelshøjskolen i Aarhus | Handelshøjskolen i Århus | IT-Universitetet i København |
    Region Hovedstaden | Region Sjælland | Region Syddanmark | Region Midtjylland | Region Nordjylland |
    Forsvaret | Hjemmeværnet | Politiets Efterretningstjeneste | Forsvarets Efterretningstjeneste |
    EU-Kommissionen | Europa-Kommissionen | Europa-Parlamentet | Europaparlamentet |
    Den Europæiske Centralbank | ECB | Verdensbanken | IMF | OECD | WTO | WHO | Unicef | UNICEF |
    Røde Kors | Dansk Røde Kors | Amnesty International | Greenpeace | Red Barnet |
    Læger uden Grænser | Interpol | Europol | FBI | CIA | NSA | Pentagon | FIFA | UEFA | DBU |
    CERN | Cern | IOC | Danmarks Idrætsforbund | Team Danmark | Apple | Google | Microsoft | Facebook | Meta |
    Amazon | Twitter | Instagram | YouTube | Netflix | Spotify | Uber | Airbnb | Samsung | Sony |
    Nokia | Ericsson | Huawei | Tesla | IBM | Intel | LinkedIn | Snapchat | TikTok | WhatsApp |
    Yahoo | eBay | PayPal | Paypal | Mastercard | MasterCard | American Express | Volkswagen | Toyota |
    Ikea | IKEA | H&M | Lego | LEGO | Carlsberg | Mærsk |
    Maersk | A.P. Møller - Mærsk | A.P. Møller-Mærsk | Novo Nordisk | Novozymes | Danfoss |
    Vestas | Ørsted | DONG Energy | Dong Energy | Grundfos | Arla | Arla Foods | Danish Crown |
    Coloplast | Pandora | DSV | Jyske Bank | Danske Bank | Nordea | Nykredit | Sydbank |
    Saxo Bank | Topdanmark | TDC | Telia | Telenor | YouSee | Dansk Supermarked |
    Salling Group | Coop | Netto | Føtex | Bilka | Lidl | Aldi | Rema 1000 | Matas | Jysk |
    Bestseller | SAS | Ryanair | Lufthansa | Boeing | Airbus | DSB | Banedanmark | Movia | Arriva |
    PostNord | COWI | Cowi | IDA | Stasi |
    Post Danmark | Falck | Bang & Olufsen | Ecco | Royal Unibrew | Lundbeck | Genmab | Rockwool |
    FLSmidth | Velux | Nestlé | Unilever | McDonald's | Starbucks | Shell | Statoil | Equinor |
    Gazprom | Goldman Sachs | Deutsche Bank | FC København | FCK | Brøndby IF | AGF |
    FC Midtjylland | FC Nordsjælland | AaB | Randers FC | Esbjerg fB | SønderjyskE | Silkeborg IF |
    Viborg FF | Vejle Boldklub | Lyngby Boldklub | AC Horsens | Real Madrid | FC Barcelona |
    Manchester United | Manchester City | Arsenal | Tottenham | Juventus | Bayern München |
    Borussia Dortmund | Ajax | Paris Saint-Germain | PSG | AC Milan | Atlético Madrid | West Brom |
    West Bromwich Albion | Man City | Man United | Man Utd | West Ham United | Tottenham Hotspur |
    Chelsea | Crystal Palace | Aston Villa | Newcastle United | Leicester City | Swansea City | Stoke City |
    Atletico Madrid | LO | FH | SiD | 3F | FOA | FTF | Akademikerne | Dansk Metal |
    Dansk Arbejdsgiverforening | Dansk Industri | DI | Dansk Erhverv | Landbrug & Fødevarer |
    Kommunernes Landsforening | KL | Danske Regioner | Danmarks Statistik | Rigshospitalet |
    Kræftens Bekæmpelse | Danida | Tele Danmark | GN Store Nord | ØK | NKT | DFDS | Danisco |
    Bikuben | BG Bank | Unibank | Den Danske Bank | Privatbanken | Baltica | Codan | Hafnia |
    Realkredit Danmark | BRF Kredit | Fondsbørsen | Københavns Fondsbørs |
    Københavns Lufthavne | Scandinavian Airlines | Fiat | Ford Motor | Volvo | Saab | Citroën | Peugeot |
    Renault | Opel | Mercedes-Benz | Daimler | Siemens | ABB | General Motors |
    General Electric | Coca-Cola | PepsiCo | EF | WEU | OSCE | CSCE | UNHCR | UNESCO | Unesco |
    IAEA | OPEC | Opec | PLO | IRA | KGB | FSB | Mossad | Scotland Yard | Europarådet |
    Nordisk Råd | Arktisk Råd | Den Europæiske Union | Den Europæiske Menneskerettighedsdomstol |
    EU-Domstolen | Den Internationale Straffedomstol | Røde Halvmåne | Frelsens Hær | Kirkens Korshær |
    Riksdagen | Stortinget | Bundestag | Bundestagen | Knesset | Dumaen | Underhuset |
    Overhuset | Kongressen | Senatet | Repræsentanternes Hus | NASA | Nasa | ESA | Roscosmos | SpaceX | Blue Origin | Virgin Galactic | ISIS | Boko Haram |
    al-Shabaab | Al-Shabaab | FN | NATO | Nato | EU | EFTA | GATT | EBRD | UNPROFOR | ATP | B.T. | DR | KTAS |
    KrF | SPD | CDU | CSU | FDP | Labour | Likud | Fatah | ANC | Sundhedsstyrelsen | Forbrugerrådet |
    Landbrugsrådet | Texaco | Audi | BMW | Subaru | Nissan | Honda | Mazda | Hyundai | Mitsubishi | Chrysler |
    Lancia | Alfa Romeo | Cessna | Porsche | Ferrari | Lamborghini | Maserati | Bugatti | Lexus | Dacia |
    Asus | Lenovo | Acer | Xiaomi | Lockheed Martin | Lockheed | Trustpilot |
    Voxmeter | Epinion | Megafon | Gallup | TNS Gallup | Kantar Gallup | Norstat | YouGov |
    Analyse Danmark | Greens Analyseinstitut | Userneeds |
    Kvickly | SuperBrugsen | Superbrugsen | Dagli'Brugsen | Daglibrugsen | Fakta | Meny | Irma | Løvbjerg |
    Min Købmand | Elgiganten | Harald Nyborg | Jem & Fix | Biltema | Søstrene Grene | Magasin du Nord |
    Walmart | Wal-Mart | Waitrose | Asda | Tesco | Sainsbury's | Morrisons | Marks & Spencer | Debenhams |
    Primark | Victoria's Secret | Sotheby's |
    Topshop | Topman | Costco | Mattel | Hasbro | Barclays | HSBC | NatWest | Lloyds | Lloyds Bank |
    Ladbrokes | Betfred | Paddy Power | Sportsmail | MailOnline | Mail Online | Panasonic |
    Canon | Nikon | Toshiba | Hitachi | Fujitsu | GoPro | Garmin | Logitech | Nvidia | Qualcomm | Cisco |
    Adobe | Salesforce | Dropbox | Klarna | Visa | Netcompany | Zalando | Boozt | Wolt | Just Eat |
    Sampension | PensionDanmark | Viaplay | Nets |
    Athletic Bilbao | Real Sociedad | Celta Vigo | Deportivo La Coruña | Deportivo La Coruna | Deportivo |
    Rayo Vallecano | Levante | Villarreal | Real Betis | Espanyol | Osasuna | Real Zaragoza | Real Valladolid |
    Fiorentina | Sampdoria | Udinese | Atalanta | Inter Milan | Internazionale | Bayern Munich | Schalke |
    Schalke 04 | Borussia Mönchengladbach | Bayer Leverkusen | Werder Bremen | Hertha Berlin |
    Eintracht Frankfurt | VfB Stuttgart | Hamburger SV | RB Leipzig | Hoffenheim | Olympique Lyonnais |
    Olympique Marseille | Olympique de Marseille | AS Monaco | Benfica | Sporting Lissabon | Sporting Lisbon |
    FC Porto | PSV Eindhoven | PSV | Feyenoord | AZ Alkmaar | Galatasaray | Fenerbahce | Fenerbahçe |
    Besiktas | Beşiktaş | Olympiacos | Anderlecht | Club Brugge | Malmö FF | Shakhtar Donetsk | Dynamo Kiev |
    Red Bull Salzburg | Everton | Fulham | West Ham | Nottingham Forest | Queens Park Rangers |
    Wolverhampton Wanderers | Wolves | Blackburn Rovers | Bolton Wanderers | Wigan Athletic |
    Charlton Athletic | Millwall | Derby County | Leeds United | Hull City | Norwich City | Cardiff City |
    Ipswich Town | Sheffield Wednesday | Sheffield United | Hibernian | Ross County | Dundee United |
    St Johnstone | Partick Thistle | Inverness Caledonian Thistle | Heart of Midlothian
"""

# Events, contests, prizes, television formats, products (medicines and drinks among them), wars,
# diseases, scriptures and founding documents, the flag and constellations: MISC, as DaN+ annotates
# them ("VMs", "UEFA Cup", "Panodil", "Gammel Dansk", "Anden Verdenskrig", "AIDS", "Grundloven",
# "Bibelen", "Dannebrog", "Karlsvognen").
OTHER_NAMES = """
    VM | EM | OL | DM | Super Bowl | Champions League | Europa League | Premier League | Superligaen |
    Bundesligaen | La Liga | Tour de France | Giro d'Italia | Vuelta a España | Australian Open |
    US Open | French Open | Eurovision | Eurovision Song Contest | Melodi Grand Prix |
    Dansk Melodi Grand Prix | X Factor | Roskilde Festival | Smukfest | Folkemødet | Nobelprisen |
    Nobels Fredspris | Nobels fredspris | Formel 1 | World Cup | Brexit | Windows | Internet Explorer |
    iPhone | iPad | Android | Paradise Hotel | Vild med dans | Robinson Ekspeditionen | Game of Thrones |
    Star Wars |
    Første Verdenskrig | Anden Verdenskrig | Den Kolde Krig | Ebola | Zika | HIV | AIDS | Aids |
    Covid-19 | COVID-19 | MRSA | SARS | MERS | Panodil | Pamol | Pinex | Treo | Kodimagnyl | Magnyl |
    Ipren | Ibumetin | Viagra | Prozac | Ozempic | Wegovy | Saxenda | Gammel Dansk | Fernet Branca |
    Fanta | Sprite | Minecraft | Fortnite | Pokémon Go | Grundloven | Bibelen | Biblen | Koranen |
    Det Nye Testamente | Det Gamle Testamente | Dannebrog | Karlsvognen | Mælkevejen | Holocaust |
    F-16 | F-35 | Bluetooth
"""

# The planets and the moon, places (where DaN+ annotates "Jorden", it is LOC; CoNLL-2003 names no
# planet): the taggers typed "Mars" a person (9 mentions in one article) and "Jorden" an
# organisation (7 in another). Not "Venus" (Venus Williams), "Mercury" (Freddie Mercury), "Pluto"
# (Disney's dog), "Moon" (a Korean surname) nor "Sun" (a newspaper).
CELESTIAL = """Merkur | Jorden | Mars | Jupiter | Saturn | Uranus | Neptun | Neptune | Månen | Earth"""
# Listed names that are retyped where the tagger found them but never added where it did not:
# DaN+ train leaves the capitalised "Jorden" and "Jordens" (the Earth, also the ground) unannotated
# 6 times in 7, and adding them gave the cross-validation 6 false names (83.20 -> 83.16).
RETYPED_ONLY = frozenset({"Jorden", "Månen"})

# Makers and products whose name, followed by a model's number or name, names a product: "Peugeot
# 605", "Saab 9000", "Boeing 737", "iPhone 7", "Opel Omega" (MISC, as DaN+ annotates them: see
# listed_names.py).
NUMBERED_PRODUCTS = frozenset("""Audi BMW Saab Volvo Peugeot Citroën Citroen Renault Opel Fiat Toyota Volkswagen
    VW Nissan Honda Mazda Hyundai Mitsubishi Chrysler Lancia Subaru Mercedes Mercedes-Benz Skoda Kia Tesla Boeing Airbus
    Cessna Samsung Nokia Sony iPhone iPad Windows PlayStation Playstation Xbox Porsche Ferrari Lamborghini Maserati
    Bugatti Lexus Dacia""".split())
# Makers that are also first names ("Kia Reumert", "Mercedes Smith"): a capitalised word after
# them is no model's name.
FIRST_NAME_MAKERS = frozenset({"Kia", "Mercedes"})

# Listed names that are also common Danish words ("skat" tax or darling, "forsvaret" the defence,
# "alternativet" the alternative, "børsen" the exchange): opening a sentence, where the capital
# says nothing, they are left to the tagger (listed_names.py).
COMMON_WORDS = frozenset("""Skat Forsvaret Alternativet Børsen Kongressen Senatet Netto Jysk Meta Bestseller
    Ingeniøren Venstre Konservative Radikale Demokraterne Fakta Wolves Visa Canon""".split())


# Abbreviations of common nouns and units, written in capitals, that the tagger takes for names on
# their own ("stjal en bærbar PC", "sendte en SMS", "spor af DNA", "udledningen af CO2", "få SU", "en
# BMI over 30", "barnets SFO", "450 MW", "2 GB ram", "LED-lys"): no names. Not "DJ", also Dansk
# Journalistforbund, "CD", the party Centrum-Demokraterne in DaN+, "PS", the French Parti
# Socialiste, nor "BNP", a bank or a party in CoNLL (and Danish for GDP).
NOT_NAMES = frozenset("""SMS MMS PC EDB LP DVD GPS USB PDF VIP ABS OBS DNA CO2 SU BMI ISBN SUV SFO
    MW GW GB LED""".split())


# Letters after a person's name that are no part of it (CoNLL-2003 annotates "Conservative MP"
# MISC and O): an office ("Anas Sarwar MP", "Labour MPs", a member of a parliament) or a rank
# ("Eleanor Laws QC", a senior barrister; "OBE", an honour).
POST_NOMINALS = frozenset("MP MPs MEP MEPs MSP MSPs QC KC OBE MBE CBE".split())


# Short names -> their full names, the first that an article uses: a party's letters after a
# politician's name ("Mette Frederiksen (S)", "Kristian Thulesen Dahl (DF)"; the letters on the
# ballot too: "O", "Ø"), clubs' ("FCK", "West Brom"), and acronyms whose letters are no initials of
# the name ("PET", "IOC") or, of two letters, name too many things to be read by their initials
# alone ("DR", "EU": see entities.resolve_acronyms). Where the article also names it in full, with
# the same type, the short name joins that group (entities.group_mentions); else it stays as it is.
SHORT_NAMES = {
    "S": "Socialdemokratiet | Socialdemokraterne | Socialdemokraterna",
    "A": "Socialdemokratiet | Socialdemokraterne",
    "V": "Venstre", "K": "Det Konservative Folkeparti | Konservative Folkeparti | De Konservative | Konservative",
    "C": "Det Konservative Folkeparti | Konservative Folkeparti | De Konservative | Konservative",
    "R": "Radikale Venstre | Det Radikale Venstre | De Radikale | Radikale",
    "RV": "Radikale Venstre | Det Radikale Venstre | De Radikale | Radikale",
    "B": "Radikale Venstre | Det Radikale Venstre | De Radikale | Radikale",
    # A party named short beside its full name: "Det Konservative Folkeparti ... om Konservative kan".
    "Konservative": "Det Konservative Folkeparti | Konservative Folkeparti | De Konservative",
    "De Konservative": "Det Konservative Folkeparti | Konservative Folkeparti",
    "Radikale": "Radikale Venstre | Det Radikale Venstre | De Radikale",
    "De Radikale": "Radikale Venstre | Det Radikale Venstre",
    "SF": "Socialistisk Folkeparti", "F": "Socialistisk Folkeparti | SF", "EL": "Enhedslisten", "Ø": "Enhedslisten",
    "DF": "Dansk Folkeparti", "O": "Dansk Folkeparti", "LA": "Liberal Alliance", "I": "Liberal Alliance",
    "ALT": "Alternativet", "Å": "Alternativet", "KD": "Kristendemokraterne", "NB": "Nye Borgerlige",
    "D": "Nye Borgerlige", "M": "Moderaterne | Moderaterna", "SD": "Sverigedemokraterna",
    "Æ": "Danmarksdemokraterne", "DD": "Danmarksdemokraterne", "Q": "Frie Grønne", "FCK": "FC København",
    "FCM": "FC Midtjylland", "FCN": "FC Nordsjælland",
    "BIF": "Brøndby IF", "OB": "Odense Boldklub", "West Brom": "West Bromwich Albion",
    "Man City": "Manchester City", "Man Utd": "Manchester United", "Man United": "Manchester United",
    "Spurs": "Tottenham Hotspur | Tottenham", "PSG": "Paris Saint-Germain", "QPR": "Queens Park Rangers",
    "Wolves": "Wolverhampton Wanderers", "Barca": "FC Barcelona | Barcelona", "Barça": "FC Barcelona | Barcelona",
    "DR": "Danmarks Radio", "PET": "Politiets Efterretningstjeneste", "FE": "Forsvarets Efterretningstjeneste",
    "AE": "Arbejderbevægelsens Erhvervsråd", "HA": "Hells Angels",
    "IOC": "Den Internationale Olympiske Komité | Internationale Olympiske Komité | International Olympic Committee",
    "EU": "Den Europæiske Union | Europæiske Union | European Union", "FN": "De Forenede Nationer",
    "UN": "United Nations", "US": "United States | United States of America",
    "USA": "Amerikas Forenede Stater | United States | United States of America", "UK": "United Kingdom",
}
# The Danish parties' short names above: the letters on the ballot and the abbreviations that
# news write after a politician's name ("Mette Frederiksen (S)", "Alex Vanopslagh (LA)"); and
# Sweden's that are no Danish party's ("Jimmie Åkesson (SD)"; "(S)" and "(M)" join
# "Socialdemokraterna" and "Moderaterna" where a Swedish story names them).
PARTY_LETTERS = frozenset("S A V K C R RV B SF F EL Ø DF O LA I ALT Å KD NB D M Æ DD Q SD".split())
_SHORT_KEYS = {short.casefold(): [full.strip().casefold() for full in fulls.split("|")]
               for short, fulls in SHORT_NAMES.items()}


def full_names(keys: set[str]) -> dict[str, str]:
    """Each lower-cased short name among ``keys`` -> the first of its full names among them."""
    found = {}
    for key in keys & _SHORT_KEYS.keys():
        full = next((full for full in _SHORT_KEYS[key] if full in keys), None)
        if full is not None:
            found[key] = full
    return found


def name_table(names: str, label: str) -> dict[str, str]:
    """Each name of a ``|``-separated list (spaces within a name kept as one) -> ``label``."""
    return {" ".join(name.split()): label for name in names.split("|") if name.strip()}


KNOWN = name_table(ORGANISATIONS, "ORG") | name_table(OTHER_NAMES, "MISC") | name_table(CELESTIAL, "LOC")
# Typeset text writes the apostrophe "’" and a dash between words "–": "Sainsbury’s" was a
# person, "McDonald’s" not found, "A.P. Møller – Mærsk" a person and an organisation.
_TYPESET = {"'": "’", " - ": " – "}
KNOWN |= {name.replace(plain, typeset): label
          for name, label in KNOWN.items() for plain, typeset in _TYPESET.items() if plain in name}
_KEY_LABELS = {name.casefold(): label for name, label in KNOWN.items()}


# The genitive after an apostrophe, as Danish writes it after abbreviations ("USA's"), plain or typeset.
APOSTROPHE_GENITIVES = ("'s", "’s")


def genitive_base(name: str) -> str | None:
    """The name a Danish genitive is formed from: "Politikens" -> "Politiken", and after an
    apostrophe (APOSTROPHE_GENITIVES) "USA's" -> "USA", and a name ending in "s", "x" or "z" takes
    the apostrophe alone: "Texas'" -> "Texas"; None for no "-s"."""
    if name.endswith(APOSTROPHE_GENITIVES):
        return name[:-2]
    if name.endswith(("'", "’")) and name[-2:-1] in ("s", "x", "z"):
        return name[:-1]
    return name[:-1] if name.endswith("s") else None


def known_label(name: str, genitive_s: bool) -> str | None:
    """The listed type of ``name``, also in the Danish genitive ("Politikens", "FBI's") with
    ``genitive_s``; None for a name not listed."""
    name = " ".join(name.split())
    if name in KNOWN:
        return KNOWN[name]
    base = genitive_base(name) if genitive_s else None
    return KNOWN.get(base) if base else None


def is_listed(name: str) -> bool:
    """Whether ``name`` is listed as it is written ("McDonald's", whose "'s" is its own)."""
    return " ".join(name.split()) in KNOWN


# A listed name at the end of another that names something else: "Venstre" is not "Radikale
# Venstre", which an article naming both had taken it into (lower-cased, as `is_known_key`).
NAMES_APART = frozenset({("venstre", "radikale venstre"), ("venstre", "det radikale venstre")})


def is_known_key(key: str) -> bool:
    """Whether a lower-cased name is listed."""
    return key in _KEY_LABELS


def key_label(key: str) -> str | None:
    """The listed type of a lower-cased name, or None for a name not listed."""
    return _KEY_LABELS.get(key)


def is_known_genitive(key: str) -> bool:
    """Whether a lower-cased name is the Danish genitive of a listed one ("apples", "politikens"),
    so that its group is named by the listed form even where the article never uses it."""
    base = genitive_base(key)
    return base is not None and base in _KEY_LABELS
