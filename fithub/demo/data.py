"""Fictional content for the demo and scale data: names, places and the demo logins.

Every organisation, factory and person here is invented. The shape follows the real FIT
pilots (reference/domain.md 1.3): 11 SCORE-graduate enterprises in Karachi with 11 trained
facilitators, and 15 facilitators from four provider organisations in Bangladesh.
"""

from dataclasses import dataclass

DEMO_PASSWORD = "fithub-demo"
DEMO_DOMAIN = "demo.fithub.test"
DEMO_SUFFIX = " (demo)"


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    where: str
    language: str = "en"


OWNER_ORG = "ILO FIT pilots (demo)"
BUYER_ORG = "Northwind Apparel (demo)"
PK_PROGRAMME = "FIT pilot Pakistan, Karachi (demo)"
BD_PROGRAMME = "FIT pilot Bangladesh (demo)"

# (provider name, facilitators). The first facilitator of the first provider is the
# documented facilitator login.
PK_PROVIDERS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Karachi Garment Employers Association (demo)",
        [
            ("Sana Tariq", "female"),
            ("Muhammad Imran Qureshi", "male"),
            ("Ayesha Memon", "female"),
            ("Bilal Ahmed Siddiqui", "male"),
            ("Kamran Baloch", "male"),
            ("Hina Jamali", "female"),
        ],
    ),
    (
        "Sindh Productivity Centre (demo)",
        [
            ("Faisal Abbasi", "male"),
            ("Rabia Ansari", "female"),
            ("Zeeshan Haider", "male"),
            ("Nadia Shaikh", "female"),
            ("Tariq Mehmood Soomro", "male"),
        ],
    ),
]

# Modelled on an employers' federation, two manufacturers' associations and a Better Work-style
# programme team, as in the Bangladesh facilitator workshop of January 2021.
BD_PROVIDERS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Bengal Employers' Council (demo)",
        [
            ("Farzana Rahman", "female"),
            ("Md. Kamrul Hasan", "male"),
            ("Shirin Sultana", "female"),
            ("Anisur Rahman", "male"),
        ],
    ),
    (
        "Apparel Makers' Association of Bangladesh (demo)",
        [
            ("Nasrin Akter", "female"),
            ("Md. Shafiqul Alam", "male"),
            ("Rumana Chowdhury", "female"),
            ("Tanvir Ahmed", "male"),
        ],
    ),
    (
        "Knitwear Exporters' Guild of Bangladesh (demo)",
        [
            ("Jannatul Ferdous", "female"),
            ("Mizanur Rahman", "male"),
            ("Shampa Roy", "female"),
            ("Arif Hossain", "male"),
        ],
    ),
    (
        "Decent Work Partnership Dhaka (demo)",
        [
            ("Taslima Begum", "female"),
            ("Partha Sarker", "male"),
            ("Moushumi Das", "female"),
        ],
    ),
]


@dataclass(frozen=True)
class DemoFactory:
    name: str
    sector: str
    city: str
    address: str
    lat: str
    lng: str
    product_types: str
    os_id: str | None = None


# Karachi's industrial estates: SITE, Korangi, Landhi, North Karachi, Federal B Area, Port Qasim.
# fmt: off
PK_FACTORIES = [
    DemoFactory("Sahil Stitchcraft (Pvt) Ltd", "garments", "Karachi", "Plot B-17, SITE Area, Karachi 75700", "24.903400", "66.992100", "shirts, trousers"),  # noqa: E501
    DemoFactory("Chandni Cotton Works", "textile", "Karachi", "Plot 42, Sector 16, Korangi Industrial Area, Karachi 74900", "24.831200", "67.128700", "yarn, greige fabric"),  # noqa: E501
    DemoFactory("Sitara Loom Textiles", "textile", "Karachi", "Plot D-9, SITE Area, Karachi 75730", "24.898700", "66.987800", "woven fabric, bed linen"),  # noqa: E501
    DemoFactory("Kehkashan Apparel", "garments", "Karachi", "Plot 11, Sector 24, Korangi Industrial Area, Karachi 74900", "24.820500", "67.116300", "denim jeans, jackets"),  # noqa: E501
    DemoFactory("Gul Bahar Garments", "garments", "Karachi", "Plot 27, Sector 12-B, North Karachi Industrial Area, Karachi 75850", "24.985600", "67.065400", "knitted T-shirts, polo shirts"),  # noqa: E501
    DemoFactory("Nakhlistan Fashions (Pvt) Ltd", "garments", "Karachi", "Plot 5, Sector 6-B, Landhi Industrial Area, Karachi 75160", "24.855200", "67.206500", "workwear, trousers"),  # noqa: E501
    DemoFactory("Darya Spinning & Weaving", "textile", "Karachi", "Plot 14, North Western Industrial Zone, Port Qasim, Karachi 75020", "24.793800", "67.343000", "yarn, denim fabric"),  # noqa: E501
    DemoFactory("Roshan Apparel Industries", "garments", "Karachi", "Plot F-45, SITE Area, Karachi 75700", "24.910100", "67.001200", "children's wear"),  # noqa: E501
    DemoFactory("Saahil Home Textiles", "textile", "Karachi", "Plot 33, Sector 7-A, Korangi Industrial Area, Karachi 74900", "24.840300", "67.136200", "towels, bath robes"),  # noqa: E501
    DemoFactory("Mehtab Garments", "garments", "Karachi", "Plot 18, Sector 3, Mehran Town, Korangi, Karachi 74900", "24.847000", "67.158000", "sportswear"),  # noqa: E501
    DemoFactory("Afsana Knit & Stitch", "garments", "Karachi", "Plot ST-21, Sector 12, Federal B Industrial Area, Karachi 75950", "24.944800", "67.078200", "hosiery, knitted tops"),  # noqa: E501
]

BD_FACTORIES = [
    DemoFactory("Shapla Sutoy Knit Composite Ltd", "knitwear", "Gazipur", "Konabari, Gazipur 1751", "24.001200", "90.342300", "T-shirts, polo shirts", "BD2019143K7QF2M"),  # noqa: E501
    DemoFactory("Kadam Phul Apparels Ltd", "garments", "Gazipur", "Board Bazar, National University Road, Gazipur 1704", "23.950200", "90.386700", "shirts, blouses", "BD2020017R3XW8P"),  # noqa: E501
    DemoFactory("Nakshi Kantha Garments Ltd", "garments", "Gazipur", "Cherag Ali, Tongi, Gazipur 1711", "23.893700", "90.402700", "trousers, shorts"),  # noqa: E501
    DemoFactory("Bokul Knit Fashions Ltd", "knitwear", "Gazipur", "Mawna, Sreepur, Gazipur 1740", "24.201200", "90.478900", "sweaters, cardigans", "BD2021226M4HT9C"),  # noqa: E501
    DemoFactory("Shimul Textile Mills Ltd", "textile", "Ashulia", "Zirabo, Ashulia, Savar, Dhaka 1341", "23.903500", "90.316800", "knitted fabric, dyeing"),  # noqa: E501
    DemoFactory("Krishnachura Garments Ltd", "garments", "Ashulia", "Baipail, Ashulia, Savar, Dhaka 1349", "23.927000", "90.280400", "jackets, outerwear", "BD2019301ZP5N7D"),  # noqa: E501
    DemoFactory("Hijol Knitwear Ltd", "knitwear", "Ashulia", "Narasinghapur, Ashulia, Savar, Dhaka 1341", "23.901200", "90.303600", "T-shirts, nightwear"),  # noqa: E501
    DemoFactory("Rajanigandha Fashions Ltd", "knitwear", "Narayanganj", "BSCIC Industrial Area, Fatullah, Narayanganj 1421", "23.643000", "90.486000", "babywear, leggings", "BD2022058CQ2L6V"),  # noqa: E501
    DemoFactory("Chandrabindu Apparel Ltd", "garments", "Narayanganj", "Kanchpur, Sonargaon, Narayanganj 1441", "23.700500", "90.521000", "denim jeans"),  # noqa: E501
    DemoFactory("Shonar Tori Textiles Ltd", "textile", "Narayanganj", "Adamjee EPZ, Siddhirganj, Narayanganj 1431", "23.706500", "90.514700", "woven fabric, yarn dyeing", "BD2020190H8JD3S"),  # noqa: E501
    DemoFactory("Nilgiri Garments Ltd", "garments", "Chattogram", "Chattogram EPZ, South Halishahar, Chattogram 4223", "22.291300", "91.789200", "shirts, dresses", "BD2023044T6RB1K"),  # noqa: E501
    DemoFactory("Halda Knit Composite Ltd", "knitwear", "Chattogram", "Kalurghat Heavy Industrial Area, Chattogram 4212", "22.395800", "91.867600", "T-shirts, sweatshirts"),  # noqa: E501
]
# fmt: on

# Improvement team names: (name, sex).
PK_PEOPLE = [
    ("Muhammad Asif Iqbal", "male"), ("Saima Parveen", "female"), ("Usman Sheikh", "male"),
    ("Farah Naz", "female"), ("Naveed Akhtar", "male"), ("Mehwish Khan", "female"),
    ("Ali Raza", "male"), ("Zainab Hussain", "female"), ("Shahid Latif", "male"),
    ("Kiran Bibi", "female"), ("Adnan Malik", "male"), ("Shazia Noor", "female"),
    ("Imtiaz Ali Chandio", "male"), ("Rukhsana Kausar", "female"), ("Waqas Anwar", "male"),
    ("Nasreen Akhtar", "female"), ("Junaid Rehman", "male"), ("Samina Yousuf", "female"),
    ("Hamza Farooq", "male"), ("Uzma Rafiq", "female"), ("Salman Javed", "male"),
    ("Sumaira Aslam", "female"), ("Rizwan Butt", "male"), ("Tahira Bano", "female"),
]  # fmt: skip
BD_PEOPLE = [
    ("Lipi Khatun", "female"), ("Md. Rafiqul Islam", "male"), ("Sharmin Islam", "female"),
    ("Abdul Karim", "male"), ("Rokeya Begum", "female"), ("Sujon Mia", "male"),
    ("Morjina Akter", "female"), ("Shahidul Islam", "male"), ("Ruma Akter", "female"),
    ("Jahangir Alam", "male"), ("Fatema Khatun", "female"), ("Mostafizur Rahman", "male"),
    ("Parvin Sultana", "female"), ("Abul Kalam Azad", "male"), ("Hasina Akter", "female"),
    ("Rashedul Hasan", "male"), ("Mitu Rani Das", "female"), ("Nazmul Huda", "male"),
    ("Shilpi Akter", "female"), ("Sohel Rana", "male"), ("Kohinoor Begum", "female"),
    ("Babul Mia", "male"), ("Ayesha Siddika", "female"), ("Delwar Hossain", "male"),
]  # fmt: skip

# The documented logins, one per role, all with DEMO_PASSWORD.
COORDINATOR_FACTORY = PK_FACTORIES[0].name
MANAGER_FACTORY = BD_FACTORIES[0].name
LOGINS = [
    Login("Programme owner", f"owner@{DEMO_DOMAIN}", OWNER_ORG),
    Login("Provider admin", f"provider.admin@{DEMO_DOMAIN}", PK_PROVIDERS[0][0]),
    Login("Facilitator", f"facilitator@{DEMO_DOMAIN}", PK_PROVIDERS[0][0]),
    Login("Assessor", f"assessor@{DEMO_DOMAIN}", PK_PROVIDERS[1][0]),
    Login("Viewer", f"viewer@{DEMO_DOMAIN}", OWNER_ORG),
    Login("Factory coordinator", f"coordinator@{DEMO_DOMAIN}", COORDINATOR_FACTORY, "ur"),
    Login("Factory manager", f"manager@{DEMO_DOMAIN}", MANAGER_FACTORY, "bn"),
    Login("Worker representative", f"workerrep@{DEMO_DOMAIN}", COORDINATOR_FACTORY, "ur"),
    Login("Buyer", f"buyer@{DEMO_DOMAIN}", BUYER_ORG),
    Login("Superuser", f"admin@{DEMO_DOMAIN}", "all data; Django admin at /admin/"),
]
