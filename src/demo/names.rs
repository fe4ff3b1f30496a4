//! Word lists for synthetic Dutch households: names, Utrecht wijken, streets and postcodes.
//! All invented combinations; any resemblance to real households is chance.

/// A wijk (district) of Utrecht with its team, streets and postcode range.
pub struct Wijk {
    /// The team's name.
    pub team: &'static str,
    /// Streets in the wijk.
    pub streets: &'static [&'static str],
    /// The four-digit postcode range (inclusive).
    pub postcodes: (u16, u16),
}

/// The wijken served by the demo teams.
pub const WIJKEN: &[Wijk] = &[
    Wijk {
        team: "Overvecht",
        streets: &[
            "Zamenhofdreef",
            "Neckardreef",
            "Vechtdreef",
            "Camera Obscuradreef",
            "Tigrisdreef",
            "Donaudreef",
            "Gloriantdreef",
            "Wolgadreef",
            "Rhônedreef",
            "Bernadottelaan",
            "Hondsrugdreef",
            "Taagdreef",
        ],
        postcodes: (3561, 3564),
    },
    Wijk {
        team: "Zuid",
        streets: &[
            "Hoograven",
            "Rijnlaan",
            "Vaartsche Rijn",
            "Jutfaseweg",
            "Smaragdplein",
            "Hooft Graaflandstraat",
            "Briljantlaan",
            "Marshallaan",
            "Waalstraat",
            "Amsterdam-Rijnkanaal-kade",
        ],
        postcodes: (3521, 3527),
    },
    Wijk {
        team: "Noordoost",
        streets: &[
            "Biltstraat",
            "Adelaarstraat",
            "Kardinaal de Jongweg",
            "Voorveldselaan",
            "Gildstraat",
            "Zonstraat",
            "Vogelenbuurtplein",
            "Blauwkapelseweg",
            "Sterrenwijkstraat",
        ],
        postcodes: (3571, 3584),
    },
    Wijk {
        team: "Leidsche Rijn",
        streets: &[
            "Langerakbaan",
            "Parkzichtlaan",
            "Terwijde-allee",
            "Vleutensebaan",
            "Grauwaartsingel",
            "Dichterslaan",
            "Veldhuizerweg",
            "Rijnvliet",
            "Haarrijnweg",
        ],
        postcodes: (3541, 3545),
    },
    Wijk {
        team: "Noordwest",
        streets: &[
            "Amsterdamsestraatweg",
            "Ondiep",
            "Kaatstraat",
            "Zuilenselaan",
            "Marnixlaan",
            "Prins Bernhardlaan",
            "Elinkwijkstraat",
            "Pijlstraat",
        ],
        postcodes: (3551, 3555),
    },
    Wijk {
        team: "West",
        streets: &[
            "Kanaalstraat",
            "Damstraat",
            "Lombokplein",
            "Vleutenseweg",
            "Cartesiusweg",
            "Thomas à Kempisweg",
            "Billitonkade",
            "Bankastraat",
        ],
        postcodes: (3531, 3533),
    },
];

/// Female first names.
pub const FIRST_NAMES_F: &[&str] = &[
    "Fatima", "Anna", "Sanne", "Emma", "Sara", "Noor", "Yasmina", "Lotte", "Esra", "Maria",
    "Fleur", "Khadija", "Julia", "Lieke", "Naima", "Ayşe", "Chantal", "Priya", "Sophie", "Iris",
    "Samira", "Zoë", "Anouk", "Meryem", "Daphne", "Hatice", "Renée", "Gerda", "Ingrid", "Wilma",
];

/// Male first names.
pub const FIRST_NAMES_M: &[&str] = &[
    "Youssef", "Jan", "Mohamed", "Daan", "Sem", "Bram", "Ahmed", "Kees", "Mehmet", "Thomas",
    "Luuk", "Omar", "Ricardo", "Peter", "Bilal", "Emre", "Joost", "Ruben", "Hamza", "Gerrit",
    "Dennis", "Kevin", "Rachid", "Stefan", "Milan", "Ilias", "Henk", "Anton", "Jesse", "Noah",
];

/// Surnames, with their usual prefixes (tussenvoegsels) as part of the name.
pub const SURNAMES: &[&str] = &[
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "El Amrani",
    "Yılmaz",
    "Kaya",
    "Öztürk",
    "Bouzid",
    "El Idrissi",
    "Benali",
    "Ramdin",
    "Sewnarain",
    "Müller",
    "Eénhoorn",
    "van Dijk",
    "Kramer",
    "Verhoeven",
    "Koç",
    "Çelik",
    "Wijaya",
    "Tahiri",
    "Haddou",
    "van der Linden",
    "Hoekstra",
    "Postma",
    "Kok",
    "Jacobs",
    "de Jong",
    "Willems",
];

/// Agreement texts; `{n}` is a member's first name.
pub const AGREEMENTS: &[(&str, &str)] = &[
    ("{n} belt het budgetteam", "client"),
    ("{n} maakt een afspraak bij de huisarts", "client"),
    ("{n} vult het formulier kwijtschelding in", "client"),
    ("{n} zoekt een sportclub uit", "client"),
    ("Oma haalt de kinderen op dinsdag", "netwerk"),
    ("Buurvrouw helpt met de post", "netwerk"),
    ("Broer gaat mee naar het UWV", "netwerk"),
    ("Aanmelding schuldhulpverlening versturen", "professional"),
    ("Overleg met school over verzuim", "professional"),
    ("Wmo-aanvraag huishoudelijke hulp indienen", "professional"),
    ("Contact opnemen met woningcorporatie", "professional"),
    ("Intake ambulante begeleiding", "aanbieder"),
    ("Start gezinscoaching", "aanbieder"),
];

/// Plan goals in plain language.
pub const GOALS: &[(&str, &str)] = &[
    ("We hebben overzicht over de rekeningen", "financien"),
    ("De huur wordt elke maand op tijd betaald", "financien"),
    ("{n} gaat weer elke dag naar school", "werk_opleiding"),
    ("{n} heeft een dagbesteding die past", "tijdsbesteding"),
    ("Er is rust in huis", "huiselijke_relaties"),
    ("{n} heeft iemand om mee te praten", "sociaal_netwerk"),
    ("We wonen in een huis zonder schimmel", "huisvesting"),
    ("{n} slaapt beter", "geestelijke_gezondheid"),
];

/// One-line contact notes.
pub const NOTES: &[&str] = &[
    "Brief van deurwaarder samen doorgenomen",
    "Goed gesprek, sfeer ontspannen",
    "Kinderen waren erbij",
    "Afspraak verzet op verzoek",
    "Samen formulieren ingevuld",
    "Zorgen over slapen besproken",
];

/// Closing reasons.
pub const CLOSE_REASONS: &[&str] = &[
    "doelen bereikt",
    "verhuisd",
    "overgedragen aan specialistische hulp",
    "geen hulpvraag meer",
];
