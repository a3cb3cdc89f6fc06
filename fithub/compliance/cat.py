"""The clusters and compliance points of the Compliance Assessment Tool, which are set globally.

Better Work's CAT has three levels: 8 clusters and their compliance points are the same in
every country; only the questions under them follow national law (domain.md §3.1-3.2). So a
tool file names its questions' cluster and compliance point by these codes, and a code that is
not here is an unknown compliance point. Their titles are data shown in the reader's language,
like the questions', not interface text.

The point list follows the reference's list of the global CAT (its 17 publicly confirmed points
and the rest marked "from memory, verify"); check it against the published CAT before relying on
it beyond the sample tool.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class GlobalPoint:
    code: str
    title: dict[str, str]


@dataclass(frozen=True)
class GlobalCluster:
    code: str
    title: dict[str, str]
    points: tuple[GlobalPoint, ...]


def _p(code: str, en: str, bn: str, ur: str) -> GlobalPoint:
    return GlobalPoint(code, {"en": en, "bn": bn, "ur": ur})


CLUSTERS: tuple[GlobalCluster, ...] = (
    GlobalCluster(
        "CL",
        {"en": "Child Labour", "bn": "শিশুশ্রম", "ur": "چائلڈ لیبر"},
        (
            _p("CL-CHL", "Child Labourers", "শিশু শ্রমিক", "کم عمر مزدور"),
            _p(
                "CL-HAZ",
                "Hazardous Work and other Worst Forms",
                "ঝুঁকিপূর্ণ কাজ ও অন্যান্য নিকৃষ্টতম রূপ",
                "خطرناک کام اور دیگر بدترین شکلیں",
            ),
            _p(
                "CL-DOC",
                "Documentation and Protection of Young Workers",
                "কিশোর শ্রমিকদের নথিপত্র ও সুরক্ষা",
                "نوجوان کارکنوں کی دستاویزات اور تحفظ",
            ),
            _p(
                "CL-UWF",
                "Unconditional Worst Forms",
                "শর্তহীন নিকৃষ্টতম রূপ",
                "غیر مشروط بدترین شکلیں",
            ),
        ),
    ),
    GlobalCluster(
        "DI",
        {"en": "Discrimination", "bn": "বৈষম্য", "ur": "امتیازی سلوک"},
        (
            _p("DI-RAC", "Race and Origin", "জাতি ও উৎপত্তি", "نسل اور اصل"),
            _p(
                "DI-REL",
                "Religion and Political Opinion",
                "ধর্ম ও রাজনৈতিক মত",
                "مذہب اور سیاسی رائے",
            ),
            _p("DI-GEN", "Gender", "লিঙ্গ", "صنف"),
            _p("DI-OTH", "Other Grounds", "অন্যান্য কারণ", "دیگر بنیادیں"),
        ),
    ),
    GlobalCluster(
        "FL",
        {"en": "Forced Labour", "bn": "জবরদস্তিমূলক শ্রম", "ur": "جبری مشقت"},
        (
            _p("FL-COE", "Coercion", "জবরদস্তি", "جبر"),
            _p("FL-BON", "Bonded Labour", "বন্ধকী শ্রম", "بندھوا مزدوری"),
            _p(
                "FL-OVT",
                "Forced Labour and Overtime",
                "জবরদস্তিমূলক শ্রম ও অতিরিক্ত সময়",
                "جبری مشقت اور اوور ٹائم",
            ),
            _p("FL-PRI", "Prison Labour", "কারাবন্দি শ্রম", "قیدیوں سے مشقت"),
        ),
    ),
    GlobalCluster(
        "FA",
        {
            "en": "Freedom of Association and Collective Bargaining",
            "bn": "সংগঠনের স্বাধীনতা ও যৌথ দরকষাকষি",
            "ur": "انجمن سازی کی آزادی اور اجتماعی سودے بازی",
        },
        (
            _p("FA-UNO", "Union Operations", "ইউনিয়নের কার্যক্রম", "یونین کی سرگرمیاں"),
            _p("FA-FTA", "Freedom to Associate", "সংগঠিত হওয়ার স্বাধীনতা", "انجمن بنانے کی آزادی"),
            _p(
                "FA-INT",
                "Interference and Discrimination",
                "হস্তক্ষেপ ও বৈষম্য",
                "مداخلت اور امتیازی سلوک",
            ),
            _p("FA-CBA", "Collective Bargaining", "যৌথ দরকষাকষি", "اجتماعی سودے بازی"),
            _p("FA-STR", "Strikes", "ধর্মঘট", "ہڑتالیں"),
        ),
    ),
    GlobalCluster(
        "CO",
        {"en": "Compensation", "bn": "পারিশ্রমিক", "ur": "معاوضہ"},
        (
            _p(
                "CO-MIN",
                "Minimum Wages/Piece Rate Wages",
                "ন্যূনতম মজুরি/পিস রেট মজুরি",
                "کم از کم اجرت/فی نگ اجرت",
            ),
            _p("CO-OTW", "Overtime Wages", "অতিরিক্ত সময়ের মজুরি", "اوور ٹائم کی اجرت"),
            _p("CO-PRE", "Premium Pay", "প্রিমিয়াম মজুরি", "اضافی شرح اجرت"),
            _p("CO-MOP", "Method of Payment", "পরিশোধের পদ্ধতি", "ادائیگی کا طریقہ"),
            _p(
                "CO-WIU",
                "Wage Information, Use and Deduction",
                "মজুরির তথ্য, ব্যবহার ও কর্তন",
                "اجرت کی معلومات، استعمال اور کٹوتی",
            ),
            _p("CO-PLV", "Paid Leave", "সবেতন ছুটি", "تنخواہ کے ساتھ چھٹی"),
            _p(
                "CO-SSB",
                "Social Security and Other Benefits",
                "সামাজিক নিরাপত্তা ও অন্যান্য সুবিধা",
                "سماجی تحفظ اور دیگر مراعات",
            ),
        ),
    ),
    GlobalCluster(
        "CH",
        {
            "en": "Contracts and Human Resources",
            "bn": "চুক্তি ও মানবসম্পদ",
            "ur": "معاہدے اور انسانی وسائل",
        },
        (
            _p("CH-EMP", "Employment Contracts", "নিয়োগ চুক্তি", "ملازمت کے معاہدے"),
            _p("CH-PRO", "Contracting Procedures", "চুক্তির পদ্ধতি", "معاہدے کے طریقہ کار"),
            _p("CH-TER", "Termination", "চাকরি অবসান", "ملازمت کا خاتمہ"),
            _p(
                "CH-DDD",
                "Dialogue, Discipline and Disputes",
                "সংলাপ, শৃঙ্খলা ও বিরোধ",
                "مکالمہ، نظم و ضبط اور تنازعات",
            ),
        ),
    ),
    GlobalCluster(
        "OS",
        {
            "en": "Occupational Safety and Health",
            "bn": "পেশাগত নিরাপত্তা ও স্বাস্থ্য",
            "ur": "پیشہ ورانہ حفاظت اور صحت",
        },
        (
            _p(
                "OS-MGT",
                "OSH Management Systems",
                "পেশাগত নিরাপত্তা ও স্বাস্থ্য ব্যবস্থাপনা পদ্ধতি",
                "پیشہ ورانہ حفاظت و صحت کا انتظامی نظام",
            ),
            _p(
                "OS-CHE",
                "Chemicals and Hazardous Substances",
                "রাসায়নিক ও ঝুঁকিপূর্ণ পদার্থ",
                "کیمیکل اور خطرناک مادے",
            ),
            _p("OS-PRO", "Worker Protection", "শ্রমিক সুরক্ষা", "کارکنوں کا تحفظ"),
            _p("OS-ENV", "Working Environment", "কর্মপরিবেশ", "کام کا ماحول"),
            _p(
                "OS-HEA",
                "Health Services and First Aid",
                "স্বাস্থ্যসেবা ও প্রাথমিক চিকিৎসা",
                "صحت کی خدمات اور ابتدائی طبی امداد",
            ),
            _p("OS-WEL", "Welfare Facilities", "কল্যাণ সুবিধা", "فلاحی سہولیات"),
            _p("OS-ACC", "Worker Accommodation", "শ্রমিক আবাসন", "کارکنوں کی رہائش"),
            _p(
                "OS-EME",
                "Emergency Preparedness",
                "জরুরি অবস্থার প্রস্তুতি",
                "ہنگامی حالات کی تیاری",
            ),
        ),
    ),
    GlobalCluster(
        "WT",
        {"en": "Working Time", "bn": "কর্মঘণ্টা", "ur": "اوقاتِ کار"},
        (
            _p("WT-REG", "Regular Hours", "নিয়মিত কর্মঘণ্টা", "معمول کے اوقات"),
            _p("WT-OVT", "Overtime", "অতিরিক্ত সময়", "اوور ٹائم"),
            _p("WT-LEA", "Leave", "ছুটি", "چھٹی"),
        ),
    ),
)

CLUSTER_BY_CODE = {c.code: c for c in CLUSTERS}
POINT_BY_CODE = {p.code: p for c in CLUSTERS for p in c.points}
CLUSTER_OF_POINT = {p.code: c.code for c in CLUSTERS for p in c.points}
