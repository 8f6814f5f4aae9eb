"""Demo data. ILLUSTRATIVE: crossing points are real places on the DR Congo's north-eastern
borders (the four-crossing HBM assessment in the source brief was run from Bunia, in former
Province Orientale), but coordinates are approximate, capacities and p-codes are illustrative,
and every person and account is invented."""

DEMO_PASSWORD = "hbm-demo-2026"
# The demo users whose roles need two-factor login (security, coordinator, admin) share this
# published authenticator key, so that anyone can try the demo: add it to an authenticator app,
# or print the current code with `hbm demo code <username>`. Real accounts get random keys,
# and `hbm demo code` refuses any account whose key is not this one.
DEMO_TOTP_SECRET = "HBMDEMOKEYPUBLISHEDNOTASECRETXYZ"

ADMIN_AREAS = [
    # pcode, name, level, country
    ("CD54", "Ituri", 1, "COD"),
    ("CD53", "Haut-Uele", 1, "COD"),
    ("CD52", "Bas-Uele", 1, "COD"),
]

CROSSING_POINTS = [
    # code, name, kind, neighbour, admin area, lat, lon, daily capacity, status
    (
        "mahagi-goli",
        "Mahagi – Goli",
        "official_bcp",
        "UGA",
        "CD54",
        "2.2840",
        "31.0070",
        600,
        "open",
    ),
    ("aru-vurra", "Aru – Vurra", "official_bcp", "UGA", "CD54", "2.8620", "30.8550", 400, "open"),
    ("aba", "Aba", "official_bcp", "SSD", "CD53", "3.8690", "30.2290", 250, "restricted"),
    (
        "ndu-bangassou",
        "Ndu – Bangassou (Mbomou river)",
        "official_bcp",
        "CAF",
        "CD52",
        "4.6570",
        "22.8130",
        300,
        "open",
    ),
    # Informal crossings watched by enumerators (flow monitoring points); no reception capacity.
    (
        "kasenyi-landing",
        "Kasenyi landing (Lake Albert)",
        "flow_monitoring_point",
        "UGA",
        "CD54",
        "1.4000",
        "30.4400",
        None,
        "open",
    ),
    (
        "ariwara-path",
        "Ariwara market path",
        "flow_monitoring_point",
        "UGA",
        "CD54",
        "3.0400",
        "30.7100",
        None,
        "open",
    ),
]

AGENCIES = [
    # code, name, kind, crossing points
    (
        "dgm",
        "Direction Générale de Migration (DGM)",
        "immigration",
        ["mahagi-goli", "aru-vurra", "aba", "ndu-bangassou"],
    ),
    ("pnc", "Police Nationale Congolaise (PNC)", "police", ["mahagi-goli", "aru-vurra", "aba"]),
    (
        "dgda",
        "Direction Générale des Douanes et Accises (DGDA)",
        "customs",
        ["mahagi-goli", "aru-vurra"],
    ),
    (
        "pnhf",
        "Programme National d'Hygiène aux Frontières (PNHF)",
        "health",
        ["mahagi-goli", "aru-vurra", "ndu-bangassou"],
    ),
    ("fardc", "Forces Armées de la RDC (FARDC)", "armed_forces", ["aba", "ndu-bangassou"]),
    ("protection-civile", "Protection Civile Ituri", "civil_protection", ["mahagi-goli"]),
    (
        "iom",
        "International Organization for Migration (IOM)",
        "un_io",
        ["mahagi-goli", "aru-vurra", "aba", "ndu-bangassou", "kasenyi-landing", "ariwara-path"],
    ),
    ("unhcr", "UNHCR", "un_io", ["mahagi-goli", "ndu-bangassou"]),
    (
        "ituri-child-protection",
        "Ituri Child Protection Network (illustrative NGO)",
        "ngo",
        ["mahagi-goli", "aru-vurra"],
    ),
]

USERS = [
    # username, first name, last name, agency, roles, crossing points
    ("registration", "Amina", "Lokeli", "dgm", ["registration_officer"], ["mahagi-goli"]),
    (
        "protection",
        "Bruno",
        "Ndjadi",
        "unhcr",
        ["protection_officer"],
        ["mahagi-goli", "ndu-bangassou"],
    ),
    ("health", "Grace", "Adiru", "pnhf", ["health_officer"], ["mahagi-goli", "aru-vurra"]),
    ("security", "Joseph", "Mbuyi", "pnc", ["security_officer"], ["mahagi-goli", "aru-vurra"]),
    (
        "enumerator",
        "Esther",
        "Ujiga",
        "iom",
        ["flow_enumerator"],
        ["aru-vurra", "aba", "kasenyi-landing", "ariwara-path"],
    ),
    ("coordinator", "Patrick", "Kasongo", "dgm", ["coordinator"], []),
    ("assessor", "Claire", "Mwamba", "iom", ["assessor"], []),
    (
        "provider",
        "Ruth",
        "Angonzi",
        "ituri-child-protection",
        ["service_provider"],
        ["mahagi-goli"],
    ),
    ("admin", "Samuel", "Ilunga", "iom", ["administrator"], []),
    # The national account of the field station at Aru (docs/sync.md): it pushes, no one
    # logs in with it at a desk.
    (
        "station-aru",
        "Aru",
        "Field station",
        "dgm",
        ["field_station", "registration_officer"],
        ["aru-vurra"],
    ),
]
